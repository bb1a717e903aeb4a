/**
 * Plan pickers inside n8n's engine: the list (through n8n-core's LoadOptionsContext), by name
 * (resolved through GET /V4/Plan/Summary once per run) and by ID, for the server plan and the
 * Dynamics 365 plan.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { CommvaultErrors, CommvaultSimulator, DEFAULT_AUTHTOKEN, DEFAULT_PLANS, DEFAULT_USER, generatePlans, toPlanSummary } from '../../testing/simulator';
import { runListSearch, type ListSearchOutcome } from '../../testing/engine';
import { secretsOf } from '../../testing/engine/support/canaries';
import { planById, runCommvault } from '../../testing/engine/support/commvault';
import { createParameters } from '../../testing/engine/support/create';

const byName = (value: string): INodeParameters => ({ __rl: true, mode: 'name', value });
const fromList = (value: string, cachedResultName: string): INodeParameters => ({
	__rl: true,
	mode: 'list',
	value,
	cachedResultName,
});

const LISTING = '/V4/Plan/Summary';

const sim = new CommvaultSimulator();
beforeAll(async () => void (await sim.start()));
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.reset();
	sim.setPlans(DEFAULT_PLANS);
});

async function search(
	method: 'searchServerPlans' | 'searchDynamics365Plans',
	filter?: string,
	credentials: Record<string, string> = {},
): Promise<ListSearchOutcome> {
	return await runListSearch({
		nodeType: Commvault,
		credentialTypes: [CommvaultApi],
		credentials: {
			commvaultApi: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN, ...credentials },
		},
		method,
		filter,
		parameters: { resource: 'dynamics365App', operation: 'create' },
		path: 'parameters.serverPlan',
	});
}

const names = (outcome: ListSearchOutcome): string[] => outcome.results.map((r) => r.name);

/** The listing as Commvault would answer it, for plan sets the simulator's seed check refuses. */
function scriptListing(plans: Array<Parameters<typeof toPlanSummary>[0]>): void {
	sim.respondNext({ method: 'GET', path: LISTING }, { status: 200, body: { plans: plans.map(toPlanSummary), plansCount: plans.length } });
}

function addContentParameters(dynamics365Plan: INodeParameters, appId: unknown = 1001): INodeParameters {
	return { operation: 'addContent', appId: appId as number, dynamics365Plan };
}

const listings = (): number => sim.requestsTo('GET', LISTING).length;

/** The sign-in step (POST /Login, or the Authtoken check) is the transport's business, not the pickers'. */
const SIGN_IN = new Set(['/Login', '/V4/PlanIds']);
const apiCalls = (): string[] => sim.requests.filter((r) => !SIGN_IN.has(r.path)).map((r) => `${r.method} ${r.path}`);

describe('list mode: searchServerPlans / searchDynamics365Plans through n8n-core LoadOptionsContext', () => {
	it('lists only enabled Server plans, sorted by name, with the plan id as value', async () => {
		const outcome = await search('searchServerPlans');

		expect(outcome.results).toEqual([
			{ name: 'Server Bronze (EU)', value: '3' },
			{ name: 'Server-Gold', value: '1' },
			{ name: 'Server-Silver', value: '2' },
		]);
		expect(names(outcome)).not.toContain('Server-Retired');
		expect(apiCalls()).toEqual([`GET ${LISTING}`]);
		const [listing] = sim.requestsTo('GET', LISTING);
		expect(listing.headers.authtoken).toBe(`QSDK ${DEFAULT_AUTHTOKEN}`);
		expect(listing.valid).toBe(true);
	});

	it('lists only Dynamics365 plans for the Dynamics 365 plan picker', async () => {
		const outcome = await search('searchDynamics365Plans');

		expect(outcome.results).toEqual([
			{ name: 'D365 Long Retention', value: '12' },
			{ name: 'D365-Standard', value: '11' },
		]);
	});

	it.each([
		['gold', ['Server-Gold']],
		['  GOLD ', ['Server-Gold']],
		['(eu)', ['Server Bronze (EU)']],
		['server-', ['Server-Gold', 'Server-Silver']],
		['retired', []],
		['d365', []],
		['', ['Server Bronze (EU)', 'Server-Gold', 'Server-Silver']],
	])('the search box %j filters server plans by name, case-insensitively', async (filter, expected) => {
		expect(names(await search('searchServerPlans', filter))).toEqual(expected);
	});

	it('handles hundreds of plans: every plan of the type, and a search that narrows them', async () => {
		sim.setPlans([...DEFAULT_PLANS, ...generatePlans(900)]);

		const all = await search('searchServerPlans');
		expect(all.results).toHaveLength(300 + 3);
		expect(all.results.every((r) => /^[1-9]\d*$/.test(String(r.value)))).toBe(true);
		const sorted = [...names(all)].sort((a, b) => a.localeCompare(b));
		expect(names(all)).toEqual(sorted);
		expect(all.results).toContainEqual({ name: 'Bulk-Server-001', value: '10000' });

		const d365 = await search('searchDynamics365Plans', 'bulk-dynamics365-02');
		// Plans 2, 5, 8, … are Dynamics365; those numbered 020–029 match this search.
		expect(names(d365)).toEqual(['Bulk-Dynamics365-020', 'Bulk-Dynamics365-023', 'Bulk-Dynamics365-026', 'Bulk-Dynamics365-029']);
		expect(d365.results[0].value).toBe('10019');
		expect(listings()).toBe(2);
	});

	it('leaves out disabled and hidden plans and marks plans that are usable but not fully enabled', async () => {
		sim.setPlans([
			{ id: 1, name: 'Server-Gold', type: 'Server' },
			{ id: 2, name: 'Server-Off', type: 'Server', status: 'DISABLED' },
			{ id: 3, name: 'Server-Hidden', type: 'Server', status: 'HIDDEN' },
			{ id: 4, name: 'Server-Paused', type: 'Server', status: 'BACKUP_DISABLED' },
		]);

		expect((await search('searchServerPlans')).results).toEqual([
			{ name: 'Server-Gold', value: '1' },
			{ name: 'Server-Paused (BACKUP_DISABLED)', value: '4' },
		]);
	});

	it('shows the ID of plans that share a name, so the user can tell them apart', async () => {
		scriptListing([
			{ id: 41, name: 'Shared', type: 'Server', company: { id: 1, name: 'Tenant A' } },
			{ id: 42, name: 'shared', type: 'Server', company: { id: 2, name: 'Tenant B' } },
			{ id: 43, name: 'Unique', type: 'Server' },
		]);

		expect((await search('searchServerPlans')).results).toEqual([
			{ name: 'shared (ID 42)', value: '42' },
			{ name: 'Shared (ID 41)', value: '41' },
			{ name: 'Unique', value: '43' },
		]);
	});

	it('signs in with user name and password when the credential says so (one login)', async () => {
		const outcome = await search('searchServerPlans', 'silver', {
			authentication: 'password',
			username: DEFAULT_USER.username,
			password: DEFAULT_USER.password,
		});

		expect(names(outcome)).toEqual(['Server-Silver']);
		expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /Login', `GET ${LISTING}`]);
		expect(sim.requestsTo('GET', LISTING)[0].headers.authtoken).toMatch(/^QSDK /);
		expect(outcome.preAuthenticationCalls.filter((call) => call.refreshed)).toHaveLength(1);
		const text = JSON.stringify(outcome.results) + outcome.logs.join('\n');
		for (const canary of secretsOf({ password: DEFAULT_USER.password, authtoken: DEFAULT_AUTHTOKEN })) {
			expect({ leak: canary.label, found: text.includes(canary.value) }).toEqual({ leak: canary.label, found: false });
		}
	});

	it("fails with Commvault's message when the listing fails, and without the token", async () => {
		sim.failNext({ method: 'GET', path: LISTING }, CommvaultErrors.unavailable());

		const failure = search('searchServerPlans');
		await expect(failure).rejects.toThrow('Service is temporarily unavailable. Please try again later.');
		await failure.catch((error: Error & { description?: string }) => {
			expect(`${error.message} ${error.description ?? ''}`).not.toContain(DEFAULT_AUTHTOKEN);
		});
	});
});

describe('list and id modes: the value is sent as {id} and no listing is fetched', () => {
	it('sends a plan picked from the list as {id}', async () => {
		const result = await runCommvault(sim, { parameters: createParameters({ serverPlan: fromList('2', 'Server-Silver') }) });

		expect(result.error).toBeUndefined();
		const [create] = sim.requestsTo('POST', '/v4/Dynamics365');
		expect((create.body as { serverPlan: unknown }).serverPlan).toEqual({ id: 2 });
		expect(create.valid).toBe(true);
		expect(sim.app(1001)?.serverPlan).toEqual({ id: 2, name: 'Server-Silver' });
		expect(listings()).toBe(0);
	});

	it('fetches no listing for five items when every picker uses list or id mode', async () => {
		sim.addApp({ id: 1001, name: 'Existing' });
		const items = [1, 2, 3, 4, 5].map(() => ({ json: {} }));

		const create = await runCommvault(sim, {
			parameters: createParameters({
				name: '={{ "Tenant " + $itemIndex }}',
				serverPlan: planById(' 3 '),
				additionalFields: { dynamics365Plan: fromList('12', 'D365 Long Retention') },
			}),
			items,
		});
		const content = await runCommvault(sim, { parameters: addContentParameters(planById('11')), items });

		expect(create.error).toBeUndefined();
		expect(content.error).toBeUndefined();
		expect(create.items).toHaveLength(5);
		expect(content.items).toHaveLength(5);
		expect(listings()).toBe(0);
		expect(sim.requestsTo('POST', '/v4/Dynamics365').map((r) => (r.body as { serverPlan: unknown }).serverPlan)).toEqual(
			Array(5).fill({ id: 3 }),
		);
		expect(sim.requestsTo('PUT', /Content$/).every((r) => r.valid)).toBe(true);
	});

	it.each([['0'], ['-1'], ['abc'], ['1.5'], ['Server-Gold']])(
		"a typed server plan ID %j is refused by n8n's own parameter check: the workflow does not start",
		async (id) => {
			const run = runCommvault(sim, { parameters: createParameters({ serverPlan: planById(id) }) });

			await expect(run).rejects.toThrow('{"serverPlan":["A plan ID is a positive whole number"]}');
			expect(sim.requests).toEqual([]);
		},
	);

	it.each([['0'], ['-1'], ['abc'], ['1.5'], ['2147483648'], ['Server-Gold']])(
		'a server plan ID %j from an expression is refused by the node before anything is sent',
		async (id) => {
			const result = await runCommvault(sim, {
				parameters: createParameters({ serverPlan: planById('={{ $json.plan }}') }),
				items: [{ json: { plan: id } }],
			});

			expect(result.error?.message).toMatch(/^Server Plan: must be (a positive whole number|between 1 and 2147483647).* \(item 0\)$/);
			expect(sim.requests).toEqual([]);
		},
	);

	it('refuses a Dynamics 365 plan ID that is not a positive whole number, naming the field', async () => {
		const result = await runCommvault(sim, {
			parameters: addContentParameters(planById('={{ $json.plan }}')),
			items: [{ json: { plan: -7 } }],
		});

		expect(result.error?.message).toBe('Dynamics 365 Plan: must be a positive whole number (an ID), got "-7" (item 0)');
		expect(sim.requests).toEqual([]);
	});

	it('a plan name given where the ID belongs (as an AI agent may through $fromAI, or left over from the Name mode) is refused, saying to pick again or use Name', async () => {
		const result = await runCommvault(sim, {
			parameters: createParameters({ serverPlan: { __rl: true, mode: 'list', value: '={{ $json.plan }}' } }),
			items: [{ json: { plan: 'Server-Gold' } }],
		});

		expect(result.error?.message).toBe('Server Plan: must be a positive whole number (an ID), got "Server-Gold" (item 0)');
		expect(result.error?.description).toBe(
			'The "From list" and "By ID" modes take the numeric plan ID. A name typed under "By name" stays in the field when you switch to "From list": pick the plan from the list again, or switch back to "By name" to give its name.',
		);
		expect(sim.requests).toEqual([]);
	});

	it('refuses an empty plan (an expression that resolves to nothing) naming the field', async () => {
		const result = await runCommvault(sim, {
			parameters: createParameters({ serverPlan: { __rl: true, mode: 'list', value: '={{ $json.plan }}' } }),
		});

		expect(result.error?.message).toBe('Server Plan: is required: pick a plan or enter its ID (item 0)');
		expect(sim.requests).toEqual([]);
	});
});

describe('name mode: resolved to the plan id through the listing', () => {
	it('resolves a server plan name case-insensitively and sends {id, name}, schema-valid', async () => {
		const result = await runCommvault(sim, { parameters: createParameters({ serverPlan: byName('  server-GOLD ') }) });

		expect(result.error).toBeUndefined();
		expect(apiCalls()).toEqual([`GET ${LISTING}`, 'POST /v4/Dynamics365']);
		const [create] = sim.requestsTo('POST', '/v4/Dynamics365');
		expect((create.body as { serverPlan: unknown }).serverPlan).toEqual({ id: 1, name: 'Server-Gold' });
		expect(create.schemaErrors).toEqual([]);
		expect(create.valid).toBe(true);
		expect(sim.app(1001)?.serverPlan).toEqual({ id: 1, name: 'Server-Gold' });
	});

	it('resolves a Dynamics 365 plan name with spaces for Add Content', async () => {
		sim.addApp({ id: 1001, name: 'Existing' });

		const result = await runCommvault(sim, { parameters: addContentParameters(byName('d365 long retention')) });

		expect(result.error).toBeUndefined();
		const [put] = sim.requestsTo('PUT', '/V4/Dynamics365/1001/Content');
		expect(put.rawBody).toBe('{"type":"ALL_ENVIRONMENTS","dynamics365plan":{"id":12,"name":"D365 Long Retention"}}');
		expect(put.valid).toBe(true);
		expect(sim.app(1001)?.content).toEqual([{ type: 'ALL_ENVIRONMENTS', plan: { id: 12, name: 'D365 Long Retention' } }]);
	});

	it.each([['Server-Gol'], ['Gold'], ['Server Gold'], ['Server-Gold-2']])(
		'takes only the exact name: %j matches nothing, and nothing is created',
		async (name) => {
			const result = await runCommvault(sim, { parameters: createParameters({ serverPlan: byName(name) }) });

			expect(result.error?.message).toBe(`Server Plan: no server plan is named "${name}" (item 0)`);
			expect(result.error?.description).toContain('Manage > Plans');
			expect(apiCalls()).toEqual([`GET ${LISTING}`]);
			expect(sim.apps).toEqual([]);
		},
	);

	it('names the Dynamics 365 plan field and sends no PUT when the name is unknown', async () => {
		sim.addApp({ id: 1001, name: 'Existing' });

		const result = await runCommvault(sim, { parameters: addContentParameters(byName('D365-Gold')) });

		expect(result.error?.message).toBe('Dynamics 365 Plan: no Dynamics 365 plan is named "D365-Gold" (item 0)');
		expect(sim.requestsTo('PUT', /Content$/)).toEqual([]);
		expect(sim.app(1001)?.content).toEqual([]);
	});

	it('says so when the named plan is disabled', async () => {
		const result = await runCommvault(sim, { parameters: createParameters({ serverPlan: byName('server-retired') }) });

		expect(result.error?.message).toBe('Server Plan: the server plan "Server-Retired" (ID 31) is disabled (item 0)');
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toEqual([]);
	});

	it('says so when the named plan is of another type', async () => {
		const result = await runCommvault(sim, { parameters: createParameters({ serverPlan: byName('D365-Standard') }) });

		expect(result.error?.message).toBe(
			'Server Plan: "D365-Standard" (ID 11) is a Dynamics365 plan, not a server plan (item 0)',
		);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toEqual([]);
	});

	it('refuses an ambiguous name, listing the IDs and asking for the ID; nothing is created', async () => {
		scriptListing([
			{ id: 41, name: 'Shared Gold', type: 'Server', company: { id: 1, name: 'Tenant A' } },
			{ id: 42, name: 'SHARED GOLD', type: 'Server', company: { id: 2, name: 'Tenant B' } },
		]);

		const result = await runCommvault(sim, { parameters: createParameters({ serverPlan: byName('shared gold') }) });

		expect(result.error?.message).toBe(
			'Server Plan: 2 server plans are named "shared gold" (IDs 41 (company Tenant A), 42 (company Tenant B)); select the plan by ID instead (item 0)',
		);
		expect(result.error?.description).toContain('Switch the field to "By ID"');
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toEqual([]);
	});

	it('is not ambiguous when the other plan of that name is of another type or disabled', async () => {
		scriptListing([
			{ id: 1, name: 'Tenant Gold', type: 'Server' },
			{ id: 11, name: 'Tenant Gold', type: 'Dynamics365' },
			{ id: 31, name: 'tenant gold', type: 'Server', status: 'DISABLED' },
		]);

		const result = await runCommvault(sim, { parameters: createParameters({ serverPlan: byName('Tenant Gold') }) });

		expect(result.error).toBeUndefined();
		const [create] = sim.requestsTo('POST', '/v4/Dynamics365');
		expect((create.body as { serverPlan: unknown }).serverPlan).toEqual({ id: 1, name: 'Tenant Gold' });
	});

	it('finds a plan among hundreds', async () => {
		sim.setPlans([...DEFAULT_PLANS, ...generatePlans(600)]);

		const result = await runCommvault(sim, { parameters: createParameters({ serverPlan: byName('bulk-server-598') }) });

		expect(result.error).toBeUndefined();
		expect(sim.app(1001)?.serverPlan).toEqual({ id: 10597, name: 'Bulk-Server-598' });
	});

	it('lists the plans once per run for five items, each resolving names for both plans', async () => {
		const items = ['Gold', 'gold', 'Silver', 'Gold', 'Silver'].map((tier, i) => ({
			json: { tenant: `Tenant ${i}`, serverPlan: `Server-${tier}`, contentPlan: i % 2 ? 'D365-Standard' : 'D365 Long Retention' },
		}));

		const result = await runCommvault(sim, {
			parameters: createParameters({
				name: '={{ $json.tenant }}',
				serverPlan: byName('={{ $json.serverPlan }}'),
				additionalFields: { dynamics365Plan: byName('={{ $json.contentPlan }}') },
			}),
			items,
		});

		expect(result.error).toBeUndefined();
		// The items go out together (Options > Concurrency), after the one listing they all wait for.
		expect(apiCalls()[0]).toBe(`GET ${LISTING}`);
		expect([...apiCalls()].sort()).toEqual(
			[`GET ${LISTING}`, ...[1001, 1002, 1003, 1004, 1005].flatMap((id) => ['POST /v4/Dynamics365', `PUT /V4/Dynamics365/${id}/Content`])].sort(),
		);
		expect(listings()).toBe(1);
		expect(sim.apps.map((app) => [app.name, app.serverPlan.id, app.content.map((c) => c.plan.id)])).toEqual([
			['Tenant 0', 1, [12]],
			['Tenant 1', 1, [11]],
			['Tenant 2', 2, [12]],
			['Tenant 3', 1, [11]],
			['Tenant 4', 2, [12]],
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	});

	it('lists once for five Add Content items naming their plan', async () => {
		for (const id of [1001, 1002, 1003, 1004, 1005]) sim.addApp({ id, name: `App ${id}` });

		const result = await runCommvault(sim, {
			parameters: addContentParameters(byName('D365-Standard'), '={{ $json.id }}'),
			items: [1001, 1002, 1003, 1004, 1005].map((id) => ({ json: { id } })),
		});

		expect(result.error).toBeUndefined();
		expect(listings()).toBe(1);
		expect(sim.requestsTo('PUT', /Content$/).map((r) => r.path).sort()).toEqual(
			[1001, 1002, 1003, 1004, 1005].map((id) => `/V4/Dynamics365/${id}/Content`),
		);
	});

	it('with Continue On Fail, a failed listing fails every item waiting on it together, each with its own index; nothing is created', async () => {
		sim.failNext({ method: 'GET', path: LISTING }, CommvaultErrors.unavailable());

		const result = await runCommvault(sim, {
			parameters: createParameters({ name: '={{ $json.tenant }}', serverPlan: byName('Server-Gold') }),
			items: [{ json: { tenant: 'First' } }, { json: { tenant: 'Second' } }, { json: { tenant: 'Third' } }],
			continueOnFail: true,
		});

		expect(result.items.map((item) => item.json.error)).toEqual(Array(3).fill('Service is temporarily unavailable. Please try again later.'));
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(listings()).toBe(1);
		expect(sim.apps).toEqual([]);
	});

	it('a failed listing is not remembered: an item that asks after it failed lists again', async () => {
		sim.failNext({ method: 'GET', path: LISTING }, CommvaultErrors.unavailable());

		const result = await runCommvault(sim, {
			parameters: createParameters({ name: '={{ $json.tenant }}', serverPlan: byName('Server-Gold'), options: { concurrency: 1 } }),
			items: [{ json: { tenant: 'First' } }, { json: { tenant: 'Second' } }],
			continueOnFail: true,
		});

		expect(result.items.map((item) => item.json.error ?? item.json.name)).toEqual(['Service is temporarily unavailable. Please try again later.', 'Second']);
		expect(listings()).toBe(2);
	});

	it('with Continue On Fail, an unknown name fails its item only, naming it', async () => {
		const result = await runCommvault(sim, {
			parameters: createParameters({ name: '={{ $json.tenant }}', serverPlan: byName('={{ $json.plan }}') }),
			items: [
				{ json: { tenant: 'One', plan: 'Server-Gold' } },
				{ json: { tenant: 'Two', plan: 'Platinum' } },
			],
			continueOnFail: true,
		});

		expect(result.items[0].json).toEqual({ id: 1001, name: 'One' });
		expect(result.items[1].json.error).toBe('Server Plan: no server plan is named "Platinum" (item 1)');
		expect(sim.apps.map((app) => app.name)).toEqual(['One']);
		expect(listings()).toBe(1);
	});
});
