import { base64, call, CallResult } from '../../testing/simulator/http-client';
import { CommvaultSimulator, generateApps, loadSpec, Office365Workload, SimPaging } from '../../testing/simulator';
import { useSimulator } from '../../testing/simulator/use-simulator';

const WORKLOADS: readonly Office365Workload[] = ['Exchange', 'OneDrive', 'SharePoint', 'Teams'];
const listPath = (workload: string, query = ''): string => `/V4/Office365/${workload}${query === '' ? '' : `?${query}`}`;
const { registry } = loadSpec();

interface ClientsPage {
	totalRecords: number;
	clients: Array<{ id: number; name: string; type?: string }>;
}

const pageOf = (res: CallResult): ClientsPage => res.json as ClientsPage;
const idsOf = (res: CallResult): number[] => pageOf(res).clients.map((c) => c.id);
const errorOf = (res: CallResult): string => (res.json as { errorMessage: string }).errorMessage;
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

function createBody(workload: string, name: string): Record<string, unknown> {
	return {
		name,
		serverPlan: { id: 1 },
		...(workload === 'SharePoint' ? { tenantAdminSiteURL: 'https://contoso-admin.sharepoint.com' } : {}),
		azureApp: { applicationId: 'app-id', applicationSecret: base64('s3cr3t'), azureDirectoryId: 'tenant-id' },
	};
}

/**
 * API.md's paging rule, written as a client would: from page 0, each record once (by id), stop at
 * totalRecords, at an empty page after the first, or after ⌈totalRecords ÷ pageSize⌉ + 1 pages.
 */
async function pageAll(baseUrl: string, path: string, pageSize: number): Promise<{ ids: number[]; requests: number }> {
	const seen = new Map<number, number>();
	let total = Infinity;
	let requests = 0;
	for (let page = 0; seen.size < total && page <= Math.ceil(total / pageSize); page++) {
		const res = await call(baseUrl, 'GET', `${path}?pageNumber=${page}&pageSize=${pageSize}`);
		requests++;
		const { totalRecords, clients } = pageOf(res);
		total = totalRecords;
		if (clients.length === 0 && page > 0) break;
		for (const client of clients) seen.set(client.id, (seen.get(client.id) ?? 0) + 1);
	}
	return { ids: [...seen.keys()], requests };
}

describe('GET /V4/Office365/{workload}: the apps of one workload', () => {
	const { sim, req } = useSimulator();

	describe.each(WORKLOADS)('%s', (workload) => {
		it('lists the apps created by requests and seeded, of this workload only, as Office365ClientsResp', async () => {
			const created = await req('POST', listPath(workload), { body: createBody(workload, `Contoso ${workload}`) });
			expect(created.status).toBe(200);
			sim().addApp({ name: 'Seeded one', workload });
			sim().addApp({ name: 'A Dynamics 365 app' });
			for (const other of WORKLOADS.filter((w) => w !== workload)) sim().addApp({ name: `An app of ${other}`, workload: other });

			const res = await req('GET', listPath(workload));
			expect(res.status).toBe(200);
			expect(registry.validate('Office365ClientsResp', res.json)).toEqual([]);
			expect(res.json).toEqual({
				totalRecords: 2,
				clients: [
					{
						id: 1001,
						name: `Contoso ${workload}`,
						serverPlan: { id: 1, name: 'Server-Gold' },
						company: { id: 0, name: 'CommCell' },
						backupHealthPercentage: 0,
						itemsBackedUp: 0,
						backupSize: 0,
						associatedEntities: 0,
					},
					expect.objectContaining({ id: 1002, name: 'Seeded one' }),
				],
			});
			expect(sim().lastRequest).toMatchObject({ operationId: `Get${workload === 'OneDrive' ? 'Onedrive' : workload === 'SharePoint' ? 'Sharepoint' : workload}Client`, valid: true });
		});

		it('finds an app by name after its create answered 409, as ifExists: returnExisting will look for it', async () => {
			sim().addApp({ name: 'Fabrikam Mail', workload });
			const again = await req('POST', listPath(workload), { body: createBody(workload, 'FABRIKAM mail') });
			expect(again).toMatchObject({ status: 409, json: { errorMessage: 'An instance by this name already exists.', errorCode: 3 } });
			const found = await req('GET', listPath(workload, `searchKey=${encodeURIComponent('FABRIKAM mail')}&pageNumber=0&pageSize=100`));
			expect(pageOf(found)).toMatchObject({ totalRecords: 1, clients: [{ id: 1001, name: 'Fabrikam Mail' }] });
		});
	});

	it('has no list of Dynamics 365 apps (Commvault documents none): GET /v4/Dynamics365 is 405', async () => {
		const res = await req('GET', '/v4/Dynamics365');
		expect(res.status).toBe(405);
		expect(res.headers['content-type']).toMatch(/text\/html/);
	});

	it('answers 401 to a request without a valid token, before looking at its query', async () => {
		expect((await req('GET', listPath('Exchange', 'pageNumber=x'), { token: 'wrong' })).status).toBe(401);
	});

	it('GET /V4/Office365 lists the apps of all four workloads with their type, and no Dynamics 365 app', async () => {
		sim().addApp({ name: 'D365', workload: 'Dynamics365' });
		for (const workload of WORKLOADS) sim().addApp({ name: `M365 ${workload}`, workload });
		const res = await req('GET', '/V4/Office365?pageNumber=0&pageSize=3');
		expect(registry.validate('Office365AllClientsResp', res.json)).toEqual([]);
		expect(pageOf(res).totalRecords).toBe(4);
		expect(pageOf(res).clients.map((c) => [c.name, c.type])).toEqual([
			['M365 Exchange', 'EXCHANGE'],
			['M365 OneDrive', 'ONEDRIVE'],
			['M365 SharePoint', 'SHAREPOINT'],
		]);
		expect(pageOf(await req('GET', '/V4/Office365?pageNumber=1&pageSize=3')).clients.map((c) => c.type)).toEqual(['TEAMS']);
	});
});

describe('paging, 0-based (the default)', () => {
	const { sim, req } = useSimulator({ apps: generateApps(250, { workload: 'Exchange' }) });

	it('serves page n as records n × pageSize onwards, with totalRecords, and an empty page past the end', async () => {
		const pages = [];
		for (const page of [0, 1, 2, 3, 7]) pages.push(await req('GET', listPath('Exchange', `pageNumber=${page}&pageSize=100`)));
		for (const res of pages) expect(registry.validate('Office365ClientsResp', res.json)).toEqual([]);
		expect(pages.map((res) => pageOf(res).totalRecords)).toEqual([250, 250, 250, 250, 250]);
		expect(idsOf(pages[0])).toEqual(range(1001, 100));
		expect(idsOf(pages[1])).toEqual(range(1101, 100));
		expect(idsOf(pages[2])).toEqual(range(1201, 50));
		expect(pageOf(pages[3])).toEqual({ totalRecords: 250, clients: [] });
		expect(pageOf(pages[4])).toEqual({ totalRecords: 250, clients: [] });
		expect(sim().paging).toEqual({ pageBase: 0, pageZero: 'firstPage' });
	});

	it('takes page 0 when pageNumber is left out, and every record in one answer when pageSize is too', async () => {
		expect(idsOf(await req('GET', listPath('Exchange', 'pageSize=10')))).toEqual(range(1001, 10));
		const all = await req('GET', listPath('Exchange'));
		expect(pageOf(all).totalRecords).toBe(250);
		expect(idsOf(all)).toEqual(range(1001, 250));
	});

	it('gives every record exactly once to a client that follows the paging rule, in ⌈250 ÷ 100⌉ requests', async () => {
		const { ids, requests } = await pageAll(sim().baseUrl, listPath('Exchange'), 100);
		expect(ids.sort((a, b) => a - b)).toEqual(range(1001, 250));
		expect(requests).toBe(3);
	});
});

describe('paging, 1-based (the switch)', () => {
	const { sim, req } = useSimulator({ apps: generateApps(250, { workload: 'Teams' }), paging: { pageBase: 1 } });
	const page = async (n: number): Promise<CallResult> => req('GET', listPath('Teams', `pageNumber=${n}&pageSize=100`));

	it('serves page 1 first and page 0 as page 1 (pageZero: firstPage), so page 1 repeats it', async () => {
		expect(sim().paging).toEqual({ pageBase: 1, pageZero: 'firstPage' });
		expect(idsOf(await page(0))).toEqual(range(1001, 100));
		expect(idsOf(await page(1))).toEqual(range(1001, 100));
		expect(idsOf(await page(2))).toEqual(range(1101, 100));
		expect(idsOf(await page(3))).toEqual(range(1201, 50));
		expect(pageOf(await page(4))).toEqual({ totalRecords: 250, clients: [] });
		expect(idsOf(await req('GET', listPath('Teams', 'pageSize=5')))).toEqual(range(1001, 5));
	});

	it('answers page 0 with no records but the whole totalRecords with pageZero: empty', async () => {
		sim().paging = { pageBase: 1, pageZero: 'empty' };
		try {
			const zero = await page(0);
			expect(registry.validate('Office365ClientsResp', zero.json)).toEqual([]);
			expect(pageOf(zero)).toEqual({ totalRecords: 250, clients: [] });
			expect(idsOf(await page(1))).toEqual(range(1001, 100));
			sim().reset();
			expect(sim().paging).toEqual({ pageBase: 1, pageZero: 'empty' });
		} finally {
			sim().paging = { pageBase: 1 };
		}
	});

	it.each<Partial<SimPaging>>([{ pageBase: 1, pageZero: 'firstPage' }, { pageBase: 1, pageZero: 'empty' }, { pageBase: 0 }])(
		'gives every record exactly once to a client that follows the paging rule (%o)',
		async (paging) => {
			sim().paging = paging;
			try {
				const { ids, requests } = await pageAll(sim().baseUrl, listPath('Teams'), 100);
				expect(ids.sort((a, b) => a - b)).toEqual(range(1001, 250));
				// page 0 plus the three pages of 1 to 3 on a 1-based server: one request more than 0-based
				expect(requests).toBe(paging.pageBase === 1 ? 4 : 3);
			} finally {
				sim().paging = { pageBase: 1 };
			}
		},
	);

	it('refuses a paging switch it does not know', () => {
		expect(() => (sim().paging = { pageBase: 2 as 0 })).toThrow(/pageBase must be 0 or 1/);
		expect(() => new CommvaultSimulator({ paging: { pageZero: 'none' as 'empty' } })).toThrow(/pageZero/);
		expect(sim().paging).toEqual({ pageBase: 1, pageZero: 'firstPage' });
	});
});

describe('searchKey and sort', () => {
	const { sim, req } = useSimulator();
	const names = (res: CallResult): string[] => pageOf(res).clients.map((c) => c.name);

	beforeEach(() => {
		sim().addApps(['Contoso Mail', 'contoso archive', 'Fabrikam Mail', 'Tailspin (EU) 50% mail+', 'Woodgrove'].map((name) => ({ name, workload: 'Exchange' })));
		sim().addApp({ name: 'Contoso OneDrive', workload: 'OneDrive' });
	});

	it('matches a substring of the name, ignoring case; totalRecords counts the matches, not the apps', async () => {
		expect(names(await req('GET', listPath('Exchange', 'searchKey=CONTOSO')))).toEqual(['Contoso Mail', 'contoso archive']);
		const mail = await req('GET', listPath('Exchange', 'searchKey=mail&pageNumber=0&pageSize=2'));
		expect(pageOf(mail)).toMatchObject({ totalRecords: 3, clients: [{ name: 'Contoso Mail' }, { name: 'Fabrikam Mail' }] });
		expect(names(await req('GET', listPath('Exchange', 'searchKey=mail&pageNumber=1&pageSize=2')))).toEqual(['Tailspin (EU) 50% mail+']);
		expect(names(await req('GET', listPath('Exchange', `searchKey=${encodeURIComponent('50% MAIL+')}`)))).toEqual(['Tailspin (EU) 50% mail+']);
		expect(pageOf(await req('GET', listPath('Exchange', 'searchKey=nothing')))).toEqual({ totalRecords: 0, clients: [] });
		expect(pageOf(await req('GET', listPath('Exchange', 'searchKey=')))).toMatchObject({ totalRecords: 5 });
	});

	it('sorts by asc:<field> or desc:<field> (any case), ties in id order', async () => {
		expect(names(await req('GET', listPath('Exchange', 'sort=desc:name')))).toEqual([
			'Woodgrove',
			'Tailspin (EU) 50% mail+',
			'Fabrikam Mail',
			'Contoso Mail',
			'contoso archive',
		]);
		expect(names(await req('GET', listPath('Exchange', 'sort=ASC:Name&pageNumber=0&pageSize=2')))).toEqual(['contoso archive', 'Contoso Mail']);
		expect(idsOf(await req('GET', listPath('Exchange', 'sort=desc:itemsBackedUp')))).toEqual([1001, 1002, 1003, 1004, 1005]);
		expect(idsOf(await req('GET', listPath('Exchange', 'sort=desc:id')))).toEqual([1005, 1004, 1003, 1002, 1001]);
		for (const sort of ['name', 'desc:', 'desc:type', 'down:name']) {
			const res = await req('GET', listPath('Exchange', `sort=${encodeURIComponent(sort)}`));
			expect(res.status).toBe(400);
			expect(errorOf(res)).toMatch(/^sort must be asc:<field> or desc:<field> with a field of id, name, /);
		}
	});
});

describe('strict query: what the schema declares, each once, of its type', () => {
	const { sim, req } = useSimulator({ apps: generateApps(3, { workload: 'SharePoint' }) });

	it.each([
		['page=1&pageSize=10', '?page: unknown query parameter'],
		['pagenumber=1&pageSize=10', "?pagenumber: unknown query parameter (did you mean 'pageNumber'?)"],
		['pageNumber=0&pageNumber=1&pageSize=10', '?pageNumber: given more than once'],
		['pageNumber=1.5&pageSize=10', '?pageNumber: must be an integer, got the number 1.5'],
		['pageNumber=one&pageSize=10', '?pageNumber: must be an integer, got the string "one"'],
		['pageNumber=&pageSize=10', '?pageNumber: must be an integer, got the string ""'],
		['pageNumber=0&pageSize=2147483648', '?pageSize: must be an int32 (-2147483648..2147483647), got 2147483648'],
	])('refuses ?%s with 400: %s', async (query, message) => {
		const res = await req('GET', listPath('SharePoint', query));
		expect(res.status).toBe(400);
		expect(res.json).toEqual({ errorMessage: `Invalid request: ${message}`, errorCode: 2 });
		expect(sim().lastRequest).toMatchObject({ operationId: 'GetSharepointClient', valid: false, status: 400 });
	});

	it.each([
		['pageNumber=-1&pageSize=10', 'pageNumber must be 0 or more, got -1.'],
		['pageNumber=0&pageSize=0', 'pageSize must be 1 or more, got 0.'],
		['pageNumber=2', 'pageNumber needs pageSize.'],
	])('refuses ?%s with 400: %s', async (query, message) => {
		const res = await req('GET', listPath('SharePoint', query));
		expect(res).toMatchObject({ status: 400, json: { errorMessage: message, errorCode: 2 } });
	});

	it('refuses a query parameter on an operation that declares none, and records it as sent', async () => {
		const res = await req('POST', '/V4/Office365/Exchange?force=true', { body: createBody('Exchange', 'With a query') });
		expect(res).toMatchObject({ status: 400, json: { errorMessage: 'Invalid request: ?force: unknown query parameter' } });
		expect(sim().lastRequest).toMatchObject({ query: { force: 'true' }, valid: false });
		expect(sim().app('With a query')).toBeUndefined();
		expect((await req('GET', '/V4/PlanIds?all=1')).status).toBe(400);
	});

	it("checks its own answers against the operation's response schema: one that breaks it is a 500, not a silent pass", async () => {
		const app = sim().app(1002);
		if (!app) throw new Error('seed missing');
		app.stats.itemsBackedUp = 1.5;
		const res = await req('GET', listPath('SharePoint'));
		expect(res.status).toBe(500);
		expect(res.text).toContain('GetSharepointClient answer breaks Office365ClientsResp: /clients/1/itemsBackedUp: must be an integer, got the number 1.5');
	});
});

describe('many apps', () => {
	it('seeds 10,000 apps in well under a second, names zero-padded so they sort as ids, every one different in its figures', async () => {
		const started = Date.now();
		const sim = new CommvaultSimulator({ apps: generateApps(10_000, { workload: 'OneDrive', prefix: 'Bench' }) });
		expect(Date.now() - started).toBeLessThan(1000);
		try {
			const baseUrl = await sim.start();
			expect(sim.apps).toHaveLength(10_000);
			const last = await call(baseUrl, 'GET', listPath('OneDrive', 'pageNumber=99&pageSize=100'));
			expect(registry.validate('Office365ClientsResp', last.json)).toEqual([]);
			expect(pageOf(last)).toMatchObject({ totalRecords: 10_000 });
			expect(pageOf(last).clients.map((c) => c.name).slice(-2)).toEqual(['Bench-OneDrive-09999', 'Bench-OneDrive-10000']);
			const byName = await call(baseUrl, 'GET', listPath('OneDrive', 'sort=desc:name&pageNumber=0&pageSize=1'));
			expect(idsOf(byName)).toEqual([11000]);
			expect(new Set(sim.apps.map((a) => JSON.stringify(a.stats))).size).toBeGreaterThan(1000);
			// a create checks the name against all of them
			const taken = await call(baseUrl, 'POST', listPath('OneDrive'), { body: createBody('OneDrive', 'bench-onedrive-05000') });
			expect(taken.status).toBe(409);
		} finally {
			await sim.stop();
		}
		expect(generateApps(2, { firstId: 5000, workload: 'Teams' }).map((seed) => [seed.id, seed.name])).toEqual([
			[5000, 'Bulk-Teams-1'],
			[5001, 'Bulk-Teams-2'],
		]);
	});
});
