/**
 * Get Many for the Microsoft 365 apps inside n8n's engine: `GET /V4/Office365/{Workload}` with
 * `pageNumber`, `pageSize` and `searchKey` (openapi-subset.yaml, Office365ClientsResp), paged as
 * API.md says whichever page base the server uses. The simulator's list answers are scripted here
 * page by page (support/pages.ts), so each page base and each broken answer is the test's own.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CommvaultErrors, DEFAULT_AUTHTOKEN } from '../../testing/simulator';
import { runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { appsNamed, listRequests, servePages, type PageBase } from '../../testing/engine/support/pages';

const sim = useSimulator();

const getMany = (resource: string, overrides: INodeParameters = {}): INodeParameters => ({ resource, operation: 'getMany', ...overrides });

const WORKLOADS: Array<[string, string]> = [
	['exchangeApp', 'Exchange'],
	['oneDriveApp', 'OneDrive'],
	['sharePointApp', 'SharePoint'],
	['teamsApp', 'Teams'],
];

const BASES: Array<[string, PageBase]> = [
	['pages from 0', 'zero'],
	['pages from 1, page 0 repeating page 1', 'oneRepeats'],
	['pages from 1, page 0 empty', 'oneEmpty'],
];

describe('Get Many apps', () => {
	it.each(WORKLOADS)('%s: lists GET /V4/Office365/%s, one item per app with Commvault\'s fields, paired to the input item', async (resource, workload) => {
		const apps = appsNamed(3, `${workload} tenant`);
		servePages(sim, workload, apps, 'zero');
		const result = await runCommvault(sim, { parameters: getMany(resource) });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual(apps);
		expect(result.items.map((item) => item.pairedItem)).toEqual(apps.map(() => ({ item: 0 })));
		const [request] = listRequests(sim, workload);
		expect(request.query).toEqual({ pageNumber: '0', pageSize: '50' });
	});

	it('the limit (default 50) caps the apps, asking no more pages than it needs', async () => {
		const apps = appsNamed(120, 'Contoso');
		servePages(sim, 'Exchange', apps, 'zero');
		const byDefault = await runCommvault(sim, { parameters: getMany('exchangeApp') });
		expect(byDefault.items.map((item) => item.json.id)).toEqual(apps.slice(0, 50).map((app) => app.id));
		expect(listRequests(sim, 'Exchange')).toHaveLength(1);

		sim.clearRequests();
		const seven = await runCommvault(sim, { parameters: getMany('exchangeApp', { limit: 7 }) });
		expect(seven.items.map((item) => item.json.id)).toEqual(apps.slice(0, 7).map((app) => app.id));
		expect(listRequests(sim, 'Exchange').map((request) => request.query)).toEqual([{ pageNumber: '0', pageSize: '7' }]);
	});

	it.each(BASES)('Return All, %s: every app once, in order, never fewer than totalRecords', async (_, base) => {
		const apps = appsNamed(345, 'Fabrikam');
		servePages(sim, 'SharePoint', apps, base);
		const result = await runCommvault(sim, { parameters: getMany('sharePointApp', { returnAll: true }) });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(apps.map((app) => app.id));
		const pages = listRequests(sim, 'SharePoint').map((request) => Number(request.query.pageNumber));
		// 4 pages of 100 hold 345 apps; a server counting from 1 costs one page more (page 0), never a page twice.
		expect(new Set(pages).size).toBe(pages.length);
		expect(pages.length).toBe(base === 'zero' ? 4 : 5);
		expect(listRequests(sim, 'SharePoint').every((request) => request.query.pageSize === '100')).toBe(true);
	});

	it.each(BASES)('a limit above one page, %s: exactly the first apps up to the limit', async (_, base) => {
		const apps = appsNamed(250, 'Northwind');
		servePages(sim, 'OneDrive', apps, base);
		const result = await runCommvault(sim, { parameters: getMany('oneDriveApp', { limit: 180 }) });
		expect(result.items.map((item) => item.json.id)).toEqual(apps.slice(0, 180).map((app) => app.id));
	});

	it('after the first page, the next pages are fetched several at a time', async () => {
		const apps = appsNamed(800, 'Tailspin');
		servePages(sim, 'Teams', apps, 'zero');
		sim.latencyMs = 40;
		try {
			sim.resetMaxInFlight();
			const result = await runCommvault(sim, { parameters: getMany('teamsApp', { returnAll: true }) });
			expect(result.items).toHaveLength(800);
			expect(sim.peakInFlight).toBeGreaterThan(1);
		} finally {
			sim.latencyMs = 0;
		}
	});

	it('Filters > Search Key is sent as searchKey with every page', async () => {
		const apps = appsNamed(150, 'Contoso');
		servePages(sim, 'Exchange', apps, 'zero', 'Contoso');
		const result = await runCommvault(sim, { parameters: getMany('exchangeApp', { returnAll: true, filters: { searchKey: ' Contoso ' } }) });
		expect(result.items).toHaveLength(150);
		expect(listRequests(sim, 'Exchange').map((request) => request.query.searchKey)).toEqual(['Contoso', 'Contoso']);
	});

	it('an empty list is no item and no error', async () => {
		servePages(sim, 'Exchange', [], 'zero');
		const result = await runCommvault(sim, { parameters: getMany('exchangeApp', { returnAll: true }) });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
	});

	it('each input item gets its own list, paired to it', async () => {
		servePages(sim, 'Exchange', appsNamed(2, 'Contoso'), 'zero', 'Contoso');
		servePages(sim, 'Exchange', appsNamed(3, 'Fabrikam', 900), 'zero', 'Fabrikam');
		const result = await runCommvault(sim, {
			parameters: getMany('exchangeApp', { filters: { searchKey: '={{ $json.customer }}' } }),
			items: [{ json: { customer: 'Contoso' } }, { json: { customer: 'Fabrikam' } }],
		});
		expect(result.items.map((item) => [item.json.name, item.pairedItem])).toEqual([
			['Contoso 1', { item: 0 }],
			['Contoso 2', { item: 0 }],
			['Fabrikam 1', { item: 1 }],
			['Fabrikam 2', { item: 1 }],
			['Fabrikam 3', { item: 1 }],
		]);
	});

	it("a failed page fails the item with Commvault's message; with Continue On Fail the others go on", async () => {
		servePages(sim, 'Exchange', appsNamed(2, 'Contoso'), 'zero', 'Contoso');
		sim.failNext(
			{ method: 'GET', path: '/V4/Office365/Exchange', when: (request) => request.query.searchKey === 'Broken' },
			CommvaultErrors.generic(500, 2, 'The apps could not be listed.'),
		);
		const result = await runCommvault(sim, {
			parameters: getMany('exchangeApp', { filters: { searchKey: '={{ $json.customer }}' } }),
			items: [{ json: { customer: 'Broken' } }, { json: { customer: 'Contoso' } }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 1 }]);
		expect(String(result.items[0].json.error)).toContain('The apps could not be listed.');
	});

	it('an answer that is not a list of apps fails the item, saying what came instead', async () => {
		sim.respondNext({ method: 'GET', path: '/V4/Office365/Teams' }, { status: 200, body: { apps: [] } });
		const result = await runCommvault(sim, { parameters: getMany('teamsApp') });
		expect(result.error?.message).toMatch(/list of apps/);
		expect(result.error?.message).toContain('"apps"');
	});

	it('a page whose answer is cut fails the item, saying nothing was changed (a list changes nothing)', async () => {
		sim.respondNext({ method: 'GET', path: '/V4/Office365/Exchange' }, { status: 200, body: { totalRecords: 1, clients: [{ id: 1, name: 'A' }] }, cutAfterBytes: 10 });
		const result = await runCommvault(sim, { parameters: getMany('exchangeApp') });
		expect(result.error?.message).toMatch(/^Commvault did not answer GET \/V4\/Office365\/Exchange: the connection was dropped/);
		expect(result.error?.description).toBe('Nothing was changed by this request.');
	});

	it('a listed app that quotes the Authtoken comes out with it redacted', async () => {
		servePages(sim, 'Exchange', [{ ...appsNamed(1, 'Contoso')[0], name: `Contoso ${DEFAULT_AUTHTOKEN}` }], 'zero');
		const result = await runCommvault(sim, { parameters: getMany('exchangeApp') });
		expect(result.items.map((item) => item.json.name)).toEqual(['Contoso [redacted]']);
		expect(JSON.stringify(result.items)).not.toContain(DEFAULT_AUTHTOKEN);
	});

	it('a limit below 1 fails the item before anything is sent, naming the field', async () => {
		const result = await runCommvault(sim, { parameters: getMany('teamsApp', { limit: '={{ 0 }}' }) });
		expect(result.error?.message).toMatch(/^Limit: must be a whole number of at least 1/);
		expect(listRequests(sim, 'Teams')).toEqual([]);
	});
});
