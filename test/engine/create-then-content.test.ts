/**
 * Create, then protect: Create with "Dynamics 365 Plan" in Additional Fields adds all
 * environments right after creating the app, and a failed second step never hides that the app
 * exists. Also the two-node workflow Create → Add Content with plans picked by name only.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { CommvaultErrors, CommvaultSimulator, DEFAULT_AUTHTOKEN } from '../../testing/simulator';
import { runWorkflow } from '../../testing/engine';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { planById, runCommvault } from '../../testing/engine/support/commvault';
import { contentAdded } from '../../testing/engine/support/content';
import { CREATE_CANARIES, createParameters, fullCreateParameters, pfxItem } from '../../testing/engine/support/create';

const byName = (value: string): INodeParameters => ({ __rl: true, mode: 'name', value });
const CONTENT_PATH = '/V4/Dynamics365/1001/Content';
const SIGN_IN = new Set(['/Login', '/V4/PlanIds']);

const sim = new CommvaultSimulator();
beforeAll(async () => void (await sim.start()));
afterAll(async () => await sim.stop());
beforeEach(() => sim.reset());

/** Create parameters for one tenant, both plans by name. */
function createAndProtect(contentPlan: unknown = byName('D365-Standard'), overrides: INodeParameters = {}): INodeParameters {
	return createParameters({
		serverPlan: byName('Server-Gold'),
		additionalFields: { dynamics365Plan: contentPlan as INodeParameters },
		...overrides,
	});
}

const apiCalls = (): string[] => sim.requests.filter((r) => !SIGN_IN.has(r.path)).map((r) => `${r.method} ${r.path}`);

describe('success', () => {
	it('creates the app, then adds all environments to the plan; the output has id, name and the answer', async () => {
		const result = await runCommvault(sim, { parameters: createAndProtect() });

		expect(result.error).toBeUndefined();
		expect(apiCalls()).toEqual(['GET /V4/Plan/Summary', 'POST /v4/Dynamics365', `PUT ${CONTENT_PATH}`]);
		const [put] = sim.requestsTo('PUT', CONTENT_PATH);
		expect(put.rawBody).toBe('{"type":"ALL_ENVIRONMENTS","dynamics365plan":{"id":11,"name":"D365-Standard"}}');
		expect(put.valid).toBe(true);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')[0].valid).toBe(true);
		expect(result.items).toEqual([
			{
				json: { id: 1001, name: 'Contoso Dynamics 365', content: contentAdded({ id: 11, name: 'D365-Standard' }) },
				pairedItem: { item: 0 },
			},
		]);
		expect(sim.app(1001)?.serverPlan).toEqual({ id: 1, name: 'Server-Gold' });
		expect(sim.app(1001)?.content).toEqual([{ type: 'ALL_ENVIRONMENTS', plan: { id: 11, name: 'D365-Standard' } }]);
	});

	it('sends a plan picked by ID as {id}', async () => {
		const result = await runCommvault(sim, { parameters: createAndProtect(planById('12'), { serverPlan: planById('2') }) });

		expect(result.error).toBeUndefined();
		expect(apiCalls()).toEqual(['POST /v4/Dynamics365', `PUT ${CONTENT_PATH}`]);
		expect(sim.requestsTo('PUT', CONTENT_PATH)[0].rawBody).toBe('{"type":"ALL_ENVIRONMENTS","dynamics365plan":{"id":12}}');
	});

	it('takes the plan as the editor may store it in a collection (no __rl marker)', async () => {
		const result = await runCommvault(sim, { parameters: createAndProtect({ mode: 'list', value: '12' }) });

		expect(result.error).toBeUndefined();
		expect(sim.app(1001)?.content.map((c) => c.plan.id)).toEqual([12]);
	});

	it('adds no content when the field is not in Additional Fields', async () => {
		const result = await runCommvault(sim, { parameters: createParameters() });

		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ id: 1001, name: 'Contoso Dynamics 365' });
		expect(apiCalls()).toEqual(['POST /v4/Dynamics365']);
	});
});

describe('the content plan is checked before anything is created', () => {
	it('an unknown plan name fails the item naming the field; no app is created', async () => {
		const result = await runCommvault(sim, { parameters: createAndProtect(byName('D365-Platinum')) });

		expect(result.error?.message).toBe(
			'Dynamics 365 Plan: no Dynamics 365 plan is named "D365-Platinum" (item 0)',
		);
		expect(apiCalls()).toEqual(['GET /V4/Plan/Summary']);
		expect(sim.apps).toEqual([]);
	});

	it('a field added but left empty is an error, not a silent "no content"', async () => {
		const result = await runCommvault(sim, {
			parameters: createAndProtect({ __rl: true, mode: 'list', value: '' }, { serverPlan: planById('1') }),
		});

		expect(result.error?.message).toBe('Dynamics 365 Plan: is empty (item 0)');
		expect(result.error?.description).toContain('remove the field');
		expect(sim.requests).toEqual([]);
	});

	it('an expression that comes out empty for one item fails that item only (Continue On Fail)', async () => {
		const result = await runCommvault(sim, {
			parameters: createAndProtect(byName('={{ $json.plan }}'), { name: '={{ $json.tenant }}' }),
			items: [{ json: { tenant: 'With plan', plan: 'D365-Standard' } }, { json: { tenant: 'Without plan' } }],
			continueOnFail: true,
		});

		expect(result.items[0].json).toMatchObject({ id: 1001, name: 'With plan' });
		expect(result.items[1].json.error).toBe('Dynamics 365 Plan: is empty (item 1)');
		expect(sim.apps.map((app) => app.name)).toEqual(['With plan']);
	});
});

describe('the second step fails: the error says the app WAS created', () => {
	it("names the app, its id and Commvault's message, and says to run Add Content with that App ID", async () => {
		sim.failNext({ method: 'PUT', path: CONTENT_PATH }, CommvaultErrors.unavailable());

		const result = await runCommvault(sim, { parameters: createAndProtect() });

		expect(result.error?.message).toBe(
			'The Dynamics 365 app "Contoso Dynamics 365" WAS created (id 1001), but adding its environments to the Dynamics 365 plan failed: Service is temporarily unavailable. Please try again later.',
		);
		expect(result.error?.description).toMatch(/^Do not create the app again\. Run Add Content with App ID 1001 to finish\./);
		expect((result.error as { httpCode?: string }).httpCode).toBe('503');
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(1);
		expect(sim.requestsTo('PUT', CONTENT_PATH)).toHaveLength(1);
		expect(sim.app(1001)).toMatchObject({ name: 'Contoso Dynamics 365', content: [] });
	});

	it('a 200 with a non-zero errorCode on the second step is the same partial failure', async () => {
		sim.respondNext({ method: 'PUT', path: CONTENT_PATH }, CommvaultErrors.errorCodeIn200(7, 'Environment discovery failed.'));

		const result = await runCommvault(sim, { parameters: createAndProtect() });

		expect(result.error?.message).toContain('WAS created (id 1001)');
		expect(result.error?.message).toContain('Environment discovery failed.');
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(1);
	});

	it('with Continue On Fail the item carries createdApp {id, name}; the next item is created and protected', async () => {
		sim.failNext({ method: 'PUT', path: CONTENT_PATH }, CommvaultErrors.generic(500, 500, 'Internal server error.'));

		const result = await runCommvault(sim, {
			parameters: createAndProtect(byName('D365 Long Retention'), { name: '={{ $json.tenant }}' }),
			items: [{ json: { tenant: 'Fabrikam' } }, { json: { tenant: 'Northwind' } }],
			continueOnFail: true,
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{
				json: {
					error:
						'The Dynamics 365 app "Fabrikam" WAS created (id 1001), but adding its environments to the Dynamics 365 plan failed: Internal server error.',
					description: expect.stringContaining('Run Add Content with App ID 1001') as unknown as string,
					createdApp: { id: 1001, name: 'Fabrikam' },
				},
				pairedItem: { item: 0 },
			},
			{
				json: { id: 1002, name: 'Northwind', content: contentAdded({ id: 12, name: 'D365 Long Retention' }) },
				pairedItem: { item: 1 },
			},
		]);
		expect(sim.requestsTo('POST', '/v4/Dynamics365').map((r) => (r.body as { name: string }).name)).toEqual([
			'Fabrikam',
			'Northwind',
		]);
		expect(sim.app(1001)?.content).toEqual([]);
		expect(sim.app(1002)?.content.map((c) => c.plan.id)).toEqual([12]);
	});

	it.each([
		['without a usable id', { name: 'Contoso Dynamics 365' }, 'a JSON object with "name"'],
		['with neither id nor name', {}, 'an empty JSON object'],
	])('a create answer %s is no success: no PUT to a made-up path, and the error says the app may exist', async (_what, answer, got) => {
		sim.respondNext({ method: 'POST', path: '/v4/Dynamics365' }, { status: 200, body: answer });

		const result = await runCommvault(sim, { parameters: createAndProtect(), continueOnFail: true });

		expect(result.items[0].json.error).toBe(
			`Commvault's answer to POST /v4/Dynamics365 (HTTP 200) is not the created app (an IdName with a positive whole-number id): it is ${got}`,
		);
		expect(result.items[0].json.description).toMatch(/^Commvault may have created the Dynamics 365 app "Contoso Dynamics 365"\. Check in Command Center/);
		expect(result.items[0].json.createdApp).toBeUndefined();
		expect(JSON.stringify(result.items)).not.toContain('undefined');
		expect(sim.requestsTo('PUT', /Content$/)).toEqual([]);
	});

	it('no secret in the partial-failure error, its item or the logs', async () => {
		sim.failNext({ method: 'PUT', path: CONTENT_PATH }, CommvaultErrors.unavailable());
		sim.failNext({ method: 'PUT', path: '/V4/Dynamics365/1002/Content' }, CommvaultErrors.unavailable());
		const parameters = fullCreateParameters({ serverPlan: byName('Server-Gold'), name: '={{ $json.tenant }}' });
		(parameters.additionalFields as INodeParameters).dynamics365Plan = byName('D365-Standard');

		const continued = await runCommvault(sim, {
			parameters,
			items: [pfxItem({ tenant: 'Secret Tenant A' })],
			continueOnFail: true,
		});
		const stopped = await runCommvault(sim, { parameters, items: [pfxItem({ tenant: 'Secret Tenant B' })] });

		expect(continued.items[0].json.createdApp).toEqual({ id: 1001, name: 'Secret Tenant A' });
		expect(stopped.error?.message).toContain('WAS created (id 1002)');
		expectNoSecrets(continued, CREATE_CANARIES);
		expectNoSecrets(stopped, CREATE_CANARIES);
	});
});

describe('a user who knows only plan names onboards tenants end to end in one workflow', () => {
	it('Create → Add Content, plans chosen by name, App ID passed by expression', async () => {
		const tenants = [
			{ tenant: 'Contoso', serverPlan: 'server-gold', contentPlan: 'd365-standard' },
			{ tenant: 'Fabrikam', serverPlan: 'Server Bronze (EU)', contentPlan: 'D365 Long Retention' },
		];

		const result = await runWorkflow({
			credentialTypes: [CommvaultApi],
			credentials: { commvaultApi: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } },
			items: tenants.map((json) => ({ json })),
			chain: [
				{
					nodeType: Commvault,
					name: 'Create App',
					parameters: {
						resource: 'dynamics365App',
						...createParameters({ name: '={{ $json.tenant }}', serverPlan: byName('={{ $json.serverPlan }}') }),
					},
				},
				{
					nodeType: Commvault,
					name: 'Add Content',
					parameters: {
						resource: 'dynamics365App',
						operation: 'addContent',
						appId: '={{ $json.id }}',
						dynamics365Plan: byName("={{ $('Input Items').item.json.contentPlan }}"),
					},
				},
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.nodes['Create App'].items.map((item) => item.json)).toEqual([
			{ id: 1001, name: 'Contoso' },
			{ id: 1002, name: 'Fabrikam' },
		]);
		expect(result.nodes['Add Content'].items).toEqual([
			{ json: { appId: 1001, ...contentAdded({ id: 11, name: 'D365-Standard' }) }, pairedItem: { item: 0 } },
			{ json: { appId: 1002, ...contentAdded({ id: 12, name: 'D365 Long Retention' }) }, pairedItem: { item: 1 } },
		]);
		// One plan listing per node run, whatever the number of items.
		expect(apiCalls()).toEqual([
			'GET /V4/Plan/Summary',
			'POST /v4/Dynamics365',
			'POST /v4/Dynamics365',
			'GET /V4/Plan/Summary',
			'PUT /V4/Dynamics365/1001/Content',
			'PUT /V4/Dynamics365/1002/Content',
		]);
		expect(sim.requests.every((r) => r.valid)).toBe(true);
		expect(sim.apps.map((app) => ({ name: app.name, serverPlan: app.serverPlan.name, content: app.content }))).toEqual([
			{ name: 'Contoso', serverPlan: 'Server-Gold', content: [{ type: 'ALL_ENVIRONMENTS', plan: { id: 11, name: 'D365-Standard' } }] },
			{
				name: 'Fabrikam',
				serverPlan: 'Server Bronze (EU)',
				content: [{ type: 'ALL_ENVIRONMENTS', plan: { id: 12, name: 'D365 Long Retention' } }],
			},
		]);
		const text = JSON.stringify(result.nodes) + result.logs.join('\n');
		expect(text.includes(DEFAULT_AUTHTOKEN)).toBe(false);
	});

	it('Create with the content plan does the same in one node', async () => {
		const result = await runCommvault(sim, {
			parameters: createAndProtect(byName('={{ $json.contentPlan }}'), {
				name: '={{ $json.tenant }}',
				serverPlan: byName('={{ $json.serverPlan }}'),
			}),
			items: [
				{ json: { tenant: 'Contoso', serverPlan: 'Server-Silver', contentPlan: 'D365-Standard' } },
				{ json: { tenant: 'Fabrikam', serverPlan: 'Server-Gold', contentPlan: 'D365 Long Retention' } },
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			{ id: 1001, name: 'Contoso', content: contentAdded({ id: 11, name: 'D365-Standard' }) },
			{ id: 1002, name: 'Fabrikam', content: contentAdded({ id: 12, name: 'D365 Long Retention' }) },
		]);
		expect(sim.apps.map((app) => [app.serverPlan.id, app.content.map((c) => c.plan.id)])).toEqual([
			[2, [11]],
			[1, [12]],
		]);
		expect(sim.requestsTo('GET', '/V4/Plan/Summary')).toHaveLength(1);
	});
});
