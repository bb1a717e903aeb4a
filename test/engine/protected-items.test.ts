/**
 * Get Protected Items inside n8n's engine (node-contract.md, `getProtectedItems`): the mailboxes,
 * users, sites and teams of an app with their last backup, from each workload's own path (as the
 * OpenAPI document spells it), paged whichever page base Commvault uses, filtered by last backup
 * status (which Commvault's query cannot do: the limit counts what the filter keeps).
 */
import type { INodeParameters } from 'n8n-workflow';

import { generateProtectedItems, PROTECTION, type SimPaging } from '../../testing/simulator';
import { runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { appOf, PROTECTED_WORKLOADS } from '../../testing/engine/support/lifecycle';

const sim = useSimulator();

const protectedItems = (resource: string, appId: number, overrides: INodeParameters = {}): INodeParameters => ({
	resource,
	operation: 'getProtectedItems',
	appId,
	...overrides,
});

const ITEM_PATHS: Record<string, string> = {
	Exchange: 'Exchange/{id}/Mailboxes',
	OneDrive: 'Onedrive/{id}/Users',
	SharePoint: 'Sharepoint/{id}/Sites',
	Teams: 'Teams/{id}/Teams',
};

const PAGINGS: Array<[string, SimPaging]> = [
	['pages from 0', { pageBase: 0, pageZero: 'firstPage' }],
	['pages from 1, page 0 repeating page 1', { pageBase: 1, pageZero: 'firstPage' }],
	['pages from 1, page 0 empty', { pageBase: 1, pageZero: 'empty' }],
];

afterEach(() => {
	sim.paging = { pageBase: 0, pageZero: 'firstPage' };
});

describe('Get Protected Items', () => {
	it.each(PROTECTED_WORKLOADS)('%s: GET on its own path, one item per entity with Commvault\'s fields, paired', async (resource, workload) => {
		const app = appOf(sim, workload);
		const items = generateProtectedItems(3, { workload });
		sim.protection.set(app.id, items);
		const result = await runCommvault(sim, { parameters: protectedItems(resource, app.id) });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual(items);
		expect(result.items.map((item) => item.pairedItem)).toEqual(items.map(() => ({ item: 0 })));
		const [request] = sim.requests.filter((recorded) => recorded.operationId === PROTECTION[workload].list);
		expect(request.path).toBe(`/V4/Office365/${ITEM_PATHS[workload].replace('{id}', String(app.id))}`);
		expect(request.query).toEqual({ pageNumber: '0', pageSize: '50' });
		expect(request.valid).toBe(true);
	});

	it.each(PAGINGS)('Return All, %s: every item once, in order', async (_, paging) => {
		sim.paging = paging;
		const app = appOf(sim, 'Exchange');
		const items = generateProtectedItems(345, { workload: 'Exchange' });
		sim.protection.set(app.id, items);
		const result = await runCommvault(sim, { parameters: protectedItems('exchangeApp', app.id, { returnAll: true }) });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.GUID)).toEqual(items.map((item) => item.GUID));
	});

	it.each(PAGINGS)('Last Backup Status, %s: the never backed up and failed ones, the limit counting those kept', async (_, paging) => {
		sim.paging = paging;
		const app = appOf(sim, 'OneDrive');
		const items = generateProtectedItems(250, { workload: 'OneDrive', statuses: ['SUCCESSFUL', 'SUCCESSFUL', 'NONE', 'SUCCESSFUL', 'FAILED'] });
		sim.protection.set(app.id, items);
		const wanted = items.filter((item) => item.lastBackupStatus === 'NONE' || item.lastBackupStatus === 'FAILED');

		const all = await runCommvault(sim, { parameters: protectedItems('oneDriveApp', app.id, { returnAll: true, filters: { lastBackupStatus: ['NONE', 'FAILED'] } }) });
		expect(all.items.map((item) => item.json.GUID)).toEqual(wanted.map((item) => item.GUID));

		const limited = await runCommvault(sim, { parameters: protectedItems('oneDriveApp', app.id, { limit: 60, filters: { lastBackupStatus: ['NONE', 'FAILED'] } }) });
		expect(limited.items.map((item) => item.json.GUID)).toEqual(wanted.slice(0, 60).map((item) => item.GUID));
	});

	it('an item whose answer gives no last backup status counts as never backed up', async () => {
		const app = appOf(sim, 'Teams');
		const [plain, ...rest] = generateProtectedItems(3, { workload: 'Teams', statuses: ['SUCCESSFUL'] });
		const { lastBackupStatus: _dropped, ...noStatus } = plain;
		sim.protection.set(app.id, [noStatus as typeof plain, ...rest]);
		const result = await runCommvault(sim, { parameters: protectedItems('teamsApp', app.id, { filters: { lastBackupStatus: ['NONE'] } }) });
		expect(result.items.map((item) => item.json.GUID)).toEqual([plain.GUID]);
	});

	it('the search key goes to Commvault as searchKey', async () => {
		const app = appOf(sim, 'SharePoint');
		sim.protection.set(app.id, generateProtectedItems(30, { workload: 'SharePoint', prefix: 'Site' }));
		const result = await runCommvault(sim, { parameters: protectedItems('sharePointApp', app.id, { filters: { searchKey: 'site 2' } }) });
		expect(result.items.map((item) => item.json.name)).toEqual(['Site 2', ...Array.from({ length: 10 }, (_, k) => `Site ${20 + k}`)]);
		expect(sim.requestsTo('GET', /\/Sites$/)[0].query).toEqual({ searchKey: 'site 2', pageNumber: '0', pageSize: '50' });
	});

	it('an app Commvault does not have: its 404 message', async () => {
		const result = await runCommvault(sim, { parameters: protectedItems('exchangeApp', 4242), continueOnFail: true });
		expect(result.items[0].json.error).toBe('Exchange app with id 4242 does not exist.');
	});

	it('a word that is no last backup status fails naming the field, sending nothing', async () => {
		const result = await runCommvault(sim, {
			parameters: protectedItems('exchangeApp', 1001, { filters: { lastBackupStatus: ['FAILED', 'BROKEN'] } }),
			continueOnFail: true,
		});
		expect(result.items[0].json.error).toBe('Filters > Last Backup Status: "BROKEN" is not a last backup status (item 0)');
		expect(sim.requests).toEqual([]);
	});

	it('an answer that is not the list (an empty object) fails the item', async () => {
		const app = appOf(sim, 'Exchange');
		sim.respondNext({ method: 'GET', path: `/V4/Office365/Exchange/${app.id}/Mailboxes` }, { status: 200, body: {} });
		const result = await runCommvault(sim, { parameters: protectedItems('exchangeApp', app.id), continueOnFail: true });
		expect(result.items[0].json.error).toMatch(/is not a list of mailboxes \(with totalRecords and mailboxes\): it is an empty JSON object$/);
	});
});
