/**
 * Add Content (PUT /V4/Dynamics365/{appId}/Content) inside n8n's engine: what the node sends,
 * what it outputs, and how Commvault's failures and bad input come out.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CommvaultErrors, CommvaultSimulator, DEFAULT_AUTHTOKEN, DEFAULT_USER } from '../../testing/simulator';
import { expectNoSecrets, secretsOf } from '../../testing/engine/support/canaries';
import { planById, runCommvault } from '../../testing/engine/support/commvault';
import { contentAdded } from '../../testing/engine/support/content';

const sim = new CommvaultSimulator();
beforeAll(async () => void (await sim.start()));
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.reset();
	for (const id of [1001, 1002, 1003]) sim.addApp({ id, name: `Tenant ${id}` });
});

/** Add Content with the App ID taken from the input item, as after a Create node. */
function addContent(plan: INodeParameters = planById('11'), appId = '={{ $json.id }}'): INodeParameters {
	return { operation: 'addContent', appId: appId as unknown as number, dynamics365Plan: plan };
}

const contentRequests = () => sim.requestsTo('PUT', /\/Content$/i);

describe('request', () => {
	it('sends exactly {"type":"ALL_ENVIRONMENTS","dynamics365plan":{"id":11}} to /V4/Dynamics365/1001/Content', async () => {
		const result = await runCommvault(sim, { parameters: addContent(), items: [{ json: { id: 1001 } }] });

		expect(result.error).toBeUndefined();
		const [request, ...others] = contentRequests();
		expect(others).toEqual([]);
		expect(request.method).toBe('PUT');
		expect(request.path).toBe('/V4/Dynamics365/1001/Content');
		expect(request.fullPath).toBe('/commandcenter/api/V4/Dynamics365/1001/Content');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.rawBody).toBe('{"type":"ALL_ENVIRONMENTS","dynamics365plan":{"id":11}}');
		expect(request.operationId).toBe('AddD365Content');
		expect(request.schemaErrors).toEqual([]);
		expect(request.valid).toBe(true);
		expect(sim.app(1001)?.content).toEqual([{ type: 'ALL_ENVIRONMENTS', plan: { id: 11, name: 'D365-Standard' } }]);
	});

	it('takes a fixed App ID typed into the field, as a number', async () => {
		const result = await runCommvault(sim, { parameters: { ...addContent(planById('12')), appId: 1002 } });

		expect(result.error).toBeUndefined();
		expect(contentRequests().map((r) => r.path)).toEqual(['/V4/Dynamics365/1002/Content']);
		expect(sim.app(1002)?.content.map((c) => c.plan.id)).toEqual([12]);
	});

	it('takes an App ID that arrives as a numeric string', async () => {
		const result = await runCommvault(sim, { parameters: addContent(), items: [{ json: { id: ' 1003 ' } }] });

		expect(result.error).toBeUndefined();
		expect(contentRequests().map((r) => r.path)).toEqual(['/V4/Dynamics365/1003/Content']);
	});
});

describe('output', () => {
	it("is one item per input, paired, holding appId, what was added, and Commvault's answer under commvaultAnswer", async () => {
		const result = await runCommvault(sim, {
			parameters: addContent(),
			items: [{ json: { id: 1001 } }, { json: { id: 1002 } }, { json: { id: 1003 } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([1001, 1002, 1003].map((appId, item) => ({
			json: { appId, ...contentAdded({ id: 11 }) },
			pairedItem: { item },
		})));
		expect(contentRequests().map((r) => r.path)).toEqual([1001, 1002, 1003].map((id) => `/V4/Dynamics365/${id}/Content`));
	});
});

describe('invalid App ID: the item fails naming "App ID" and nothing is sent', () => {
	it.each([['abc'], [0], [-5], [1.5], ['1001x'], [''], [2147483648]])('%j', async (id) => {
		const result = await runCommvault(sim, { parameters: addContent(), items: [{ json: { id } }] });

		expect(result.error?.message).toMatch(/^App ID: .* \(item 0\)$/);
		expect(sim.requests).toEqual([]);
	});

	it('a typed App ID of 0 (the empty field) is refused too', async () => {
		const result = await runCommvault(sim, { parameters: { ...addContent(), appId: 0 } });

		expect(result.error?.message).toBe('App ID: must be between 1 and 2147483647, got 0 (item 0)');
		expect(sim.requests).toEqual([]);
	});

	it('an App ID left as the field starts (its default) is refused as required', async () => {
		const { appId: _untouched, ...parameters } = addContent();
		const result = await runCommvault(sim, { parameters, items: [{ json: {} }, { json: {} }], continueOnFail: true });

		expect(result.items.map((item) => item.json.error)).toEqual(['App ID: is required (item 0)', 'App ID: is required (item 1)']);
		expect(sim.requests).toEqual([]);
	});

	it('with Continue On Fail only the bad item fails; the others are sent', async () => {
		const result = await runCommvault(sim, {
			parameters: addContent(),
			items: [{ json: { id: 1001 } }, { json: { id: 'abc' } }, { json: { id: 1002 } }],
			continueOnFail: true,
		});

		expect(result.items[0].json).toEqual({ appId: 1001, ...contentAdded({ id: 11 }) });
		expect(result.items[1]).toEqual({
			json: { error: 'App ID: must be a positive whole number (an ID), got "abc" (item 1)' },
			pairedItem: { item: 1 },
		});
		expect(result.items[2].json).toEqual({ appId: 1002, ...contentAdded({ id: 11 }) });
		expect(contentRequests().map((r) => r.path)).toEqual(['/V4/Dynamics365/1001/Content', '/V4/Dynamics365/1002/Content']);
	});
});

describe("Commvault's failures", () => {
	it("an unknown app: Commvault's 404 GenericResp message is the error", async () => {
		const result = await runCommvault(sim, { parameters: addContent(), items: [{ json: { id: 4242 } }] });

		expect(result.error?.message).toBe('Dynamics 365 app with id 4242 does not exist.');
		expect(result.error?.description).toContain('PUT /V4/Dynamics365/4242/Content');
		expect((result.error as { httpCode?: string }).httpCode).toBe('404');
		expect(contentRequests()).toHaveLength(1);
	});

	it('a plan Commvault refuses (a server plan given as Dynamics 365 plan): its 400 message is the error', async () => {
		const result = await runCommvault(sim, { parameters: addContent(planById('1')), items: [{ json: { id: 1001 } }] });

		expect(result.error?.message).toBe("dynamics365plan: Plan 'Server-Gold' is a Server plan, not a Dynamics365 plan.");
		expect(sim.app(1001)?.content).toEqual([]);
	});

	it.each([
		['a non-zero errorCode', CommvaultErrors.errorCodeIn200(7, 'Environment discovery failed.'), 'Environment discovery failed.'],
		['an error object', CommvaultErrors.errorObjectIn200(8, 'Plan is being modified.'), 'Plan is being modified.'],
		['an errList', CommvaultErrors.errListIn200(9, 'Content could not be added.'), 'Content could not be added.'],
	])('HTTP 200 with %s in the GenericResp is an error', async (_shape, answer, message) => {
		sim.respondNext({ method: 'PUT', path: '/V4/Dynamics365/1001/Content' }, answer);

		const result = await runCommvault(sim, { parameters: addContent(), items: [{ json: { id: 1001 } }] });

		expect(result.error?.message).toBe(message);
		expect(result.items).toEqual([]);
	});

	it('with Continue On Fail a refused item comes out as {error} paired, and the others go on', async () => {
		sim.respondNext({ method: 'PUT', path: '/V4/Dynamics365/1002/Content' }, CommvaultErrors.errorCodeIn200(7, 'Environment discovery failed.'));

		const result = await runCommvault(sim, {
			parameters: addContent(),
			items: [{ json: { id: 1001 } }, { json: { id: 1002 } }, { json: { id: 1003 } }],
			continueOnFail: true,
		});

		expect(result.items.map((item) => [item.pairedItem, item.json.error ?? item.json.appId])).toEqual([
			[{ item: 0 }, 1001],
			[{ item: 1 }, 'Environment discovery failed.'],
			[{ item: 2 }, 1003],
		]);
	});
});

describe('secrets', () => {
	it('no Authtoken in output, error or logs, on success and on failure', async () => {
		sim.failNext({ method: 'PUT' }, CommvaultErrors.generic(500, 500, 'Internal server error.'));

		const failed = await runCommvault(sim, { parameters: addContent(), items: [{ json: { id: 1001 } }] });
		const succeeded = await runCommvault(sim, { parameters: addContent(), items: [{ json: { id: 1001 } }] });

		expect(failed.error?.message).toBe('Internal server error.');
		expect(succeeded.error).toBeUndefined();
		for (const result of [failed, succeeded]) expectNoSecrets(result, secretsOf({ authtoken: DEFAULT_AUTHTOKEN }));
	});

	it('no password or login token with User Name and Password, on success and on failure', async () => {
		const result = await runCommvault(sim, {
			parameters: addContent(),
			items: [{ json: { id: 1001 } }, { json: { id: 4242 } }],
			credentials: { authentication: 'password', username: DEFAULT_USER.username, password: DEFAULT_USER.password },
			continueOnFail: true,
		});

		const logins = sim.requestsTo('POST', '/Login');
		expect(logins.length).toBeGreaterThan(0);
		const loginToken = String((logins[0].responseBody as { token: string }).token);
		expect(result.items[1].json.error).toBe('Dynamics 365 app with id 4242 does not exist.');
		expectNoSecrets(result, secretsOf({ password: DEFAULT_USER.password, loginToken: loginToken.replace(/^QSDK /, '') }));
	});
});
