/**
 * Get Many apps and safe re-runs (Create's If App Exists) of the packed n8n-nodes-commvault inside
 * real n8n, every target of versions.json, through the n8n CLI as users run it (issue 20).
 *
 * Same set-up as commvault.e2e.test.ts (commvault-target.ts: one user folder, one import of the
 * credentials, one of the workflows, the plain-HTTP simulator reset before each case); the
 * workflows of this file are imported in the same one command. The simulator holds more apps
 * than one page of the node's (transport/paging.ts PAGE_SIZE, 100) and counts pages from 0 or
 * from 1, as Commvault's document leaves open. The last case searches everything n8n printed and
 * stored for secrets (leaks.ts).
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { generateApps, type RecordedRequest, type SimPaging } from '../../testing/simulator';
import { HOOK_TIMEOUT, expectRun, expectSchemaValid, packedPackage } from './commvault-suite';
import { CommvaultTarget } from '../../testing/e2e/commvault-target';
import { COMMVAULT_NODE, CREDENTIALS, createNode, itemsThenCommvault, tenant, type Workflow } from '../../testing/e2e/commvault-workflows';
import { assertSuccess, nodeError, outputItems, selectedTargets, type ExecuteResult } from '../../testing/e2e/n8n-cli';

/** More than two pages of the node's 100, the last one part full. */
const BULK = 250;
const LIST_PATH = '/V4/Office365/Exchange';
const O365_PLAN = { id: 21, name: 'O365-Mailboxes' };

const LISTS = {
	all: 'cvE2eListAll00001',
	limit: 'cvE2eListLimit001',
	search: 'cvE2eListSearch01',
	returnExisting: 'cvE2eIfExists0001',
	failIfExists: 'cvE2eIfExistsFail',
} as const;

const getMany = (resource: string, more: INodeParameters): INodeParameters => ({
	resource,
	operation: 'getMany',
	filters: {},
	options: {},
	...more,
});

/** An Exchange create of the item's tenant, with the content step (Office 365 plan) and `options`. */
const exchangeCreate = (options: INodeParameters): INodeParameters =>
	createNode(CREDENTIALS.authtoken, {
		resource: 'exchangeApp',
		additionalFields: { office365Plan: { __rl: true, mode: 'name', value: O365_PLAN.name } },
		options,
	}).parameters;

const EXISTING = 'Existing Exchange Tenant';
const NEW = 'New Exchange Tenant';

function listWorkflows(): Workflow[] {
	return [
		itemsThenCommvault(LISTS.all, 'Get Many Exchange apps, Return All', [{ ask: 'all' }], getMany('exchangeApp', { returnAll: true })),
		itemsThenCommvault(LISTS.limit, 'Get Many Exchange apps, limit 7', [{ ask: 'seven' }], getMany('exchangeApp', { returnAll: false, limit: 7 })),
		// two items, each its own search: every app out is paired to the item that asked for it
		itemsThenCommvault(
			LISTS.search,
			'Get Many Teams apps, a search key per item',
			[{ searchKey: 'alpha' }, { searchKey: 'BETA' }],
			getMany('teamsApp', { returnAll: true, filters: { searchKey: '={{ $json.searchKey }}' } }),
		),
		itemsThenCommvault(LISTS.returnExisting, 'Create Exchange apps, If App Exists: Return Existing App', [tenant(EXISTING), tenant(NEW)], exchangeCreate({ ifExists: 'returnExisting' })),
		itemsThenCommvault(LISTS.failIfExists, 'Create an Exchange app that exists, If App Exists: default', [tenant(EXISTING)], exchangeCreate({})),
	];
}

const namesOf = (items: INodeExecutionData[]): unknown[] => items.map((i) => i.json.name);
const pairsOf = (items: INodeExecutionData[]): unknown[] => items.map((i) => i.pairedItem);
const calls = (requests: RecordedRequest[]): string[] => requests.map((r) => `${r.method} ${r.path} ${r.status}`);
/**
 * The requests of the operation: without n8n's check of the Authtoken (preAuthentication, one
 * `GET /V4/PlanIds` in the first execution of a user folder, before n8n stores the credential's
 * session marker).
 */
const ofOperation = (requests: RecordedRequest[]): RecordedRequest[] => requests.filter((r) => r.path !== '/V4/PlanIds');

const tarball = packedPackage('n8n-e2e-lists-');

describe.each(selectedTargets().map((t) => [t.label, t] as const))('Get Many and safe re-runs in %s', (_label, spec) => {
	const target = new CommvaultTarget(spec);
	const { http } = target;
	const execute = (workflowId: string): Promise<ExecuteResult> => target.execute(workflowId);

	beforeAll(() => target.setup(tarball(), listWorkflows()), HOOK_TIMEOUT);
	beforeEach(() => {
		http.paging = { pageBase: 0, pageZero: 'firstPage' };
		target.resetSimulators();
	});
	afterAll(() => target.teardown());

	describe('Get Many apps', () => {
		const pagings: Array<[string, SimPaging]> = [
			['pages from 0', { pageBase: 0, pageZero: 'firstPage' }],
			['pages from 1, page 0 = page 1', { pageBase: 1, pageZero: 'firstPage' }],
			['pages from 1, page 0 empty', { pageBase: 1, pageZero: 'empty' }],
		];
		it.each(pagings)('Return All, %s: every Exchange app (3 pages of 100), each once, in order, paired to the item', async (_name, paging) => {
			http.paging = paging;
			const bulk = http.addApps(generateApps(BULK, { workload: 'Exchange' }));
			http.addApps(generateApps(3, { workload: 'Teams', prefix: 'Other' }));
			const run = assertSuccess(await execute(LISTS.all));
			expectRun(run, () => {
				const items = outputItems(run, COMMVAULT_NODE);
				expect(items).toHaveLength(BULK);
				expect(namesOf(items)).toEqual(bulk.map((app) => app.name));
				expect(items.map((i) => i.json.id)).toEqual(bulk.map((app) => app.id));
				expect(new Set(pairsOf(items).map((p) => JSON.stringify(p)))).toEqual(new Set([JSON.stringify({ item: 0 })]));
				// Commvault's fields as returned
				expect(items[BULK - 1].json).toEqual({
					id: bulk[BULK - 1].id,
					name: `Bulk-Exchange-${BULK}`,
					serverPlan: { id: 1, name: 'Server-Gold' },
					company: expect.any(Object),
					backupHealthPercentage: bulk[BULK - 1].stats.backupHealthPercentage,
					itemsBackedUp: bulk[BULK - 1].stats.itemsBackedUp,
					backupSize: bulk[BULK - 1].stats.backupSize,
					associatedEntities: bulk[BULK - 1].stats.associatedEntities,
				});
				// only list calls, of 100 a page, no more pages than two page bases can need
				const requests = ofOperation(http.requests);
				expect(calls(requests).filter((call) => call !== `GET ${LIST_PATH} 200`)).toEqual([]);
				expect(new Set(requests.map((r) => r.query.pageSize))).toEqual(new Set(['100']));
				expect(requests.length).toBeLessThanOrEqual(Math.ceil(BULK / 100) + 2);
				expect(requests.map((r) => r.query.pageNumber)).toContain('0');
				expectSchemaValid(http.requests);
			});
		});

		it('limit 7: the first 7 apps, one request of 7', async () => {
			const bulk = http.addApps(generateApps(BULK, { workload: 'Exchange' }));
			const run = assertSuccess(await execute(LISTS.limit));
			expectRun(run, () => {
				const items = outputItems(run, COMMVAULT_NODE);
				expect(namesOf(items)).toEqual(bulk.slice(0, 7).map((app) => app.name));
				expect(pairsOf(items)).toEqual(Array.from({ length: 7 }, () => ({ item: 0 })));
				expect(ofOperation(http.requests).map((r) => [r.method, r.path, r.query])).toEqual([
					['GET', LIST_PATH, { pageNumber: '0', pageSize: '7' }],
				]);
				expectSchemaValid(http.requests);
			});
		});

		it('limit 7 with pages from 1 (page 0 empty): still the first 7', async () => {
			http.paging = { pageBase: 1, pageZero: 'empty' };
			const bulk = http.addApps(generateApps(BULK, { workload: 'Exchange' }));
			const run = assertSuccess(await execute(LISTS.limit));
			expectRun(run, () => {
				expect(namesOf(outputItems(run, COMMVAULT_NODE))).toEqual(bulk.slice(0, 7).map((app) => app.name));
				expectSchemaValid(http.requests);
			});
		});

		it('Search Key: per item only the apps whose name has it, paired to that item', async () => {
			http.addApps(generateApps(BULK, { workload: 'Teams' }));
			const [alpha1, , beta, alpha2] = http.addApps([
				{ name: 'Contoso Alpha Teams', workload: 'Teams' },
				{ name: 'Alpha Mailboxes', workload: 'Exchange' },
				{ name: 'Fabrikam Beta', workload: 'Teams' },
				{ name: 'ALPHA Two', workload: 'Teams' },
			]);
			const run = assertSuccess(await execute(LISTS.search));
			expectRun(run, () => {
				const items = outputItems(run, COMMVAULT_NODE);
				expect(items.map((i) => [i.json.id, i.json.name, i.pairedItem])).toEqual([
					[alpha1.id, alpha1.name, { item: 0 }],
					[alpha2.id, alpha2.name, { item: 0 }],
					[beta.id, beta.name, { item: 1 }],
				]);
				// the node runs items side by side: the order of the two searches is not fixed
				const searches = ofOperation(http.requests).map((r) => [r.method, r.path, r.query.searchKey].join(' '));
				expect(searches.sort()).toEqual(['GET /V4/Office365/Teams BETA', 'GET /V4/Office365/Teams alpha']);
				expectSchemaValid(http.requests);
			});
		});
	});

	describe('re-runs that are safe: Create, If App Exists', () => {
		const content = { plan: O365_PLAN, contentType: 'ALL_MAILBOXES', added: true, commvaultAnswer: expect.any(Object) };

		it('Return Existing App: the existing app with alreadyExisted true, a new one created; content added to both; a re-run creates nothing', async () => {
			http.addApps(generateApps(BULK, { workload: 'Exchange' }));
			const existing = http.addApp({ name: EXISTING, workload: 'Exchange' });
			const first = assertSuccess(await execute(LISTS.returnExisting));
			const created = http.app(NEW);
			expectRun(first, () => {
				expect(created).toBeDefined();
				const items = outputItems(first, COMMVAULT_NODE);
				expect(items).toEqual([
					{
						json: expect.objectContaining({ id: existing.id, name: EXISTING, alreadyExisted: true, content }),
						pairedItem: { item: 0 },
					},
					{
						json: { id: created?.id, name: NEW, alreadyExisted: false, content },
						pairedItem: { item: 1 },
					},
				]);
				// per item in this order; the node runs the two items side by side
				const ofExisting = [`POST ${LIST_PATH} 409`, `GET ${LIST_PATH} 200`, `PUT ${LIST_PATH}/${existing.id}/Content 200`];
				const ofNew = [`POST ${LIST_PATH} 200`, `PUT ${LIST_PATH}/${created?.id}/Content 200`];
				const lifecycle = calls(http.requests.filter((r) => r.method !== 'GET' || r.path === LIST_PATH));
				expect(lifecycle.filter((call) => ofExisting.includes(call))).toEqual(ofExisting);
				expect(lifecycle.filter((call) => ofNew.includes(call))).toEqual(ofNew);
				expect(lifecycle).toHaveLength(ofExisting.length + ofNew.length);
				expect(http.requestsTo('GET', LIST_PATH)[0].query.searchKey).toBe(EXISTING);
				expect(http.app(existing.id)?.content).toEqual([{ type: 'ALL_MAILBOXES', plan: O365_PLAN }]);
				expect(http.app(NEW)?.content).toEqual([{ type: 'ALL_MAILBOXES', plan: O365_PLAN }]);
				expectSchemaValid(http.requests);
			});

			// the same workflow again (a batch re-run): both exist now, nothing is created
			const appsBefore = http.apps.length;
			const seenBefore = http.requests.length;
			const second = assertSuccess(await execute(LISTS.returnExisting));
			expectRun(second, () => {
				expect(outputItems(second, COMMVAULT_NODE).map((i) => [i.json.id, i.json.alreadyExisted, i.json.content, i.pairedItem])).toEqual([
					[existing.id, true, content, { item: 0 }],
					[created?.id, true, content, { item: 1 }],
				]);
				expect(http.apps).toHaveLength(appsBefore);
				expect(http.requests.slice(seenBefore).filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([409, 409]);
				expectSchemaValid(http.requests);
			});
		});

		it("default (Fail): an existing name fails with Commvault's 409 message, no lookup, no content", async () => {
			const existing = http.addApp({ name: EXISTING, workload: 'Exchange' });
			const run = await execute(LISTS.failIfExists);
			expectRun(run, () => {
				expect(run.exitCode).toBe(1);
				expect(run.status).toBe('error');
				expect(run.error?.message).toBe('An instance by this name already exists.');
				expect(nodeError(run, COMMVAULT_NODE)).toMatchObject({ message: 'An instance by this name already exists.', httpCode: '409' });
				expect(calls(http.requests.filter((r) => r.path.startsWith(LIST_PATH)))).toEqual([`POST ${LIST_PATH} 409`]);
				expect(http.app(existing.id)?.content).toEqual([]);
				expect(http.apps.map((a) => a.name)).toEqual([EXISTING]);
			});
		});
	});

	describe('secrets', () => {
		it('none in anything n8n printed or stored in its executions', async () => {
			const { executions } = target;
			expect(executions.length).toBeGreaterThan(0);
			expect(executions.some((e) => e.status === 'error')).toBe(true);
			const { leaks, stored } = await target.leaks();
			expect(stored).toEqual(executions.map((e) => [e.workflowId, e.status]));
			expect(leaks).toEqual([]);
		});
	});
});
