/**
 * Options > Concurrency inside n8n's engine (issue 9): items run up to the setting at once
 * against a simulator whose latency depends on the request (by app name), and the run's shared
 * state stays right: output order and pairing, the bound on requests in flight, one plan
 * listing and one sign-in per run, one re-login after a 401, a refused sign-in ending the run's
 * requests, a 429 pausing the whole pool, Continue On Fail and the error output.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { CommvaultErrors, CommvaultSimulator, DEFAULT_USER, type RecordedRequest } from '../../testing/simulator';
import type { RunNodeResult } from '../../testing/engine/run';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import type { PartialSuccess } from '../../nodes/Commvault/actions/types';
import { planById, runCommvault, type CommvaultRunOptions } from '../../testing/engine/support/commvault';
import { APPLICATION_ID, CREATE_CANARIES, createParameters } from '../../testing/engine/support/create';
import { loginCanaries } from '../../testing/engine/support/login';

/** Each test sets how long the simulator takes per request; reset to none before each. */
let latencyOf: (request: RecordedRequest) => number = () => 0;
const sim = new CommvaultSimulator({ latencyMs: (request) => latencyOf(request) });

beforeAll(async () => {
	await sim.start();
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => {
	sim.reset();
	latencyOf = () => 0;
});

const CREATE = { method: 'POST', path: '/v4/Dynamics365' };
const PASSWORD_MODE: ICredentialDataDecryptedObject = { authentication: 'password', username: 'admin', password: DEFAULT_USER.password };
const DUPLICATE = 'An instance by this name already exists.';

function nameOf(request: RecordedRequest): string | undefined {
	const body = request.body as { name?: unknown } | undefined;
	return typeof body?.name === 'string' ? body.name : undefined;
}

function isCreate(request: RecordedRequest): boolean {
	return request.method === 'POST' && request.path === CREATE.path;
}

function creates(): RecordedRequest[] {
	return sim.requestsTo(CREATE.method, CREATE.path);
}

/** Create with the item's own name and application ID, the server plan by ID. */
function perItemCreate(overrides: INodeParameters = {}): INodeParameters {
	return createParameters({ name: '={{ $json.name }}', applicationId: '={{ $json.appId }}', ...overrides });
}

async function run(options: Partial<CommvaultRunOptions> & { items: CommvaultRunOptions['items'] }): Promise<RunNodeResult> {
	return await runCommvault(sim, { parameters: perItemCreate(), ...options });
}

function tenants(count: number): Array<{ json: IDataObject }> {
	return Array.from({ length: count }, (_, i) => ({ json: { name: `Tenant ${i}`, appId: APPLICATION_ID } }));
}

function withConcurrency(parameters: INodeParameters, concurrency: number): INodeParameters {
	return { ...parameters, options: { concurrency } };
}

/** The create bodies' app names, each once per create that got `status`. */
function createdNames(status = 200): string[] {
	return creates()
		.filter((request) => request.status === status)
		.map((request) => nameOf(request) ?? '')
		.sort();
}

describe('output order and pairing with fast, slow and failing items', () => {
	type Kind = 'slow' | 'fast' | 'taken' | 'invalid';
	// Slow items finish after later fast ones; a taken name is refused by Commvault (409), an invalid ID by the node.
	const PATTERN: Kind[] = ['slow', 'fast', 'taken', 'fast', 'invalid', 'slow', 'fast'];
	const LATENCY: Record<Kind, number> = { slow: 60, fast: 2, taken: 25, invalid: 0 };

	function mixedItems(count: number): Array<{ kind: Kind; json: IDataObject }> {
		return Array.from({ length: count }, (_, i) => {
			const kind = PATTERN[i % PATTERN.length];
			return { kind, json: { name: `${kind} ${i}`, appId: kind === 'invalid' ? `not-a-guid-${i}` : APPLICATION_ID } };
		});
	}

	it.each([1, 5, 50])('concurrency %i: item i of the output is the outcome of input item i', async (concurrency) => {
		const items = mixedItems(Math.max(14, 2 * concurrency + 10));
		for (const item of items) if (item.kind === 'taken') sim.addApp({ name: String(item.json.name) });
		latencyOf = (request) => (isCreate(request) ? LATENCY[String(nameOf(request)).split(' ')[0] as Kind] : 0);

		const result = await run({ items: items.map(({ json }) => ({ json })), parameters: withConcurrency(perItemCreate(), concurrency), continueOnFail: true });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(items.length);
		result.items.forEach((output: INodeExecutionData, i) => {
			const { kind, json } = items[i];
			expect(output.pairedItem).toEqual({ item: i });
			if (kind === 'slow' || kind === 'fast') {
				expect(output.json).toEqual({ id: sim.app(String(json.name))?.id, name: json.name });
			} else if (kind === 'taken') {
				expect(output.json.error).toBe(DUPLICATE);
			} else {
				expect(output.json.error).toBe(
					'Application (Client) ID: is not an Azure ID (expected a GUID such as 00000000-0000-0000-0000-000000000000) ' + `(item ${i})`,
				);
			}
		});
		// Every item that passed validation was sent exactly once.
		const sent = items.filter((item) => item.kind !== 'invalid').map((item) => String(item.json.name));
		expect(creates().map((request) => nameOf(request)).sort()).toEqual([...sent].sort());

		// Commvault numbers apps as it creates them: in input order only when one item runs at a time.
		const ids = result.items.filter((item) => typeof item.json.id === 'number').map((item) => item.json.id as number);
		const inInputOrder = ids.every((id, k) => k === 0 || id > ids[k - 1]);
		expect(inInputOrder).toBe(concurrency === 1);
		expect(sim.peakInFlight).toBeLessThanOrEqual(concurrency);
		expectNoSecrets(result, CREATE_CANARIES);
	});
});

describe('requests in flight', () => {
	it.each([1, 5, 50])('never more than Options > Concurrency = %i, and that many when there are enough items', async (concurrency) => {
		// long enough that a loaded 2-core machine gets all 50 out before the first answer (at 40 ms
		// it once saw 43 in flight while other suites ran)
		latencyOf = (request) => (isCreate(request) ? 300 : 0);
		const result = await run({ items: tenants(3 * concurrency), parameters: withConcurrency(perItemCreate(), concurrency) });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3 * concurrency);
		expect(sim.peakInFlight).toBe(concurrency);
	});

	it('5 by default', async () => {
		latencyOf = (request) => (isCreate(request) ? 40 : 0);
		const result = await run({ items: tenants(15) });

		expect(result.error).toBeUndefined();
		expect(sim.peakInFlight).toBe(5);
	});
});

describe('what one run shares', () => {
	it('password mode, plans by name, five items starting together: one POST /Login and one plan listing', async () => {
		// A slow sign-in and a slow listing leave every item time to ask for them too.
		latencyOf = (request) => (request.path === '/Login' || request.path === '/V4/Plan/Summary' ? 80 : 20);
		const byName = (value: string): INodeParameters => ({ __rl: true, mode: 'name', value });
		const result = await run({
			items: tenants(10),
			credentials: PASSWORD_MODE,
			parameters: perItemCreate({ serverPlan: byName('Server-Gold'), additionalFields: { dynamics365Plan: byName('D365-Standard') } }),
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(10);
		expect(sim.requests.slice(0, 2).map((request) => `${request.method} ${request.path}`)).toEqual(['POST /Login', 'GET /V4/Plan/Summary']);
		expect(sim.requestsTo('POST', '/Login')).toHaveLength(1);
		expect(sim.requestsTo('GET', '/V4/Plan/Summary')).toHaveLength(1);
		expect(creates().map((request) => (request.body as { serverPlan: unknown }).serverPlan)).toEqual(new Array(10).fill({ id: 1, name: 'Server-Gold' }));
		expect(sim.requestsTo('PUT', /Content$/).map((request) => request.status)).toEqual(new Array(10).fill(200));
		expect(sim.peakInFlight).toBe(5);
		expectNoSecrets(result, [...CREATE_CANARIES, ...loginCanaries(sim)]);
	});

	it('password mode, plans by ID: the first five requests start together and one of them signs in for all', async () => {
		latencyOf = (request) => (request.path === '/Login' ? 80 : 20);
		const result = await run({ items: tenants(10), credentials: PASSWORD_MODE });

		expect(result.error).toBeUndefined();
		const [login, ...more] = sim.requestsTo('POST', '/Login');
		expect(more).toEqual([]);
		const token = String((login.responseBody as IDataObject).token);
		expect(creates().map((request) => [request.status, request.headers.authtoken])).toEqual(new Array(10).fill([200, token]));
		expect(result.preAuthenticationCalls).toHaveLength(1);
		expect(sim.peakInFlight).toBe(5);
	});

	it.each<[string, ICredentialDataDecryptedObject, string]>([
		['password mode', PASSWORD_MODE, '/Login'],
		['Authtoken mode', {}, '/V4/PlanIds'],
	])('%s: the other items go out once the sign-in is done, not after the first item has its answer', async (_mode, credentials, signInPath) => {
		// Creates take long, the sign-in (or token check) is quick: waiting for the first create's
		// answer would leave it alone in flight, then the other four together (a peak of 4).
		latencyOf = (request) => (isCreate(request) ? 150 : 10);
		const result = await run({ items: tenants(5), credentials });

		expect(result.error).toBeUndefined();
		expect(sim.requests.map((request) => request.path)).toEqual([signInPath, ...new Array<string>(5).fill(CREATE.path)]);
		expect(creates().map((request) => request.status)).toEqual(new Array(5).fill(200));
		expect(result.preAuthenticationCalls).toHaveLength(1);
		expect(sim.peakInFlight).toBe(5);
	});

	it('a 401 with requests in flight: one re-login, each refused request sent again once with the new token', async () => {
		let expired = false;
		let inFlightAtExpiry = 0;
		latencyOf = (request) => {
			if (!isCreate(request)) return 0;
			const n = Number(String(nameOf(request)).replace('Tenant ', ''));
			// Commvault's idle timeout strikes while this and at least three other creates are out; their answers come back spread out.
			if (n >= 5 && !expired && sim.inFlight >= 4) {
				expired = true;
				sim.expireLoginTokens();
				inFlightAtExpiry = sim.inFlight;
			}
			return 40 + 8 * (n % 5);
		};
		const result = await run({ items: tenants(14), credentials: PASSWORD_MODE });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.name, item.pairedItem])).toEqual(tenants(14).map(({ json }, i) => [json.name, { item: i }]));
		expect(inFlightAtExpiry).toBeGreaterThanOrEqual(4);
		const [first, second, ...more] = sim.requestsTo('POST', '/Login').map((login) => String((login.responseBody as IDataObject).token));
		expect(more).toEqual([]);
		expect(second).not.toBe(first);
		const refused = creates().filter((request) => request.status === 401);
		expect(refused.length).toBeGreaterThanOrEqual(inFlightAtExpiry);
		expect(refused.every((request) => request.headers.authtoken === first)).toBe(true);
		// One create per tenant carried out; no tenant sent again after its success.
		expect(createdNames()).toEqual(tenants(14).map(({ json }) => String(json.name)).sort());
		expect(result.preAuthenticationCalls).toHaveLength(2);
		expectNoSecrets(result, [...CREATE_CANARIES, ...loginCanaries(sim)]);
	});

	it('a refused sign-in with requests in flight: every item fails with the sign-in message, and nothing more is sent', async () => {
		const stale = 'QSDK canary-stale-login-token-5150';
		const wrong = 'canary-wrong-Pässword-77';
		latencyOf = (request) => (isCreate(request) ? 30 + 10 * Number(String(nameOf(request)).replace('Tenant ', '')) : 0);
		const result = await run({
			items: tenants(12),
			// A stored login token sends the first five at once; it has expired, and the password was changed since.
			credentials: { ...PASSWORD_MODE, password: wrong, sessionToken: stale, sessionFor: `password admin at ${sim.baseUrl}` },
			continueOnFail: true,
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual(tenants(12).map((_, item) => ({ item })));
		expect(result.items.map((item) => item.json.error)).toEqual(
			new Array(12).fill(
				'Commvault login failed for user "admin": Login failed: invalid username or password. Check the User Name (for a domain user: DOMAIN\\user or user@company.com) and the Password of the Commvault credential.',
			),
		);
		// The five in flight, then the one sign-in; no item after it sent anything, and the password was tried once.
		expect(sim.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			...new Array<string>(5).fill('POST /v4/Dynamics365 401'),
			'POST /Login 200',
		]);
		expect(creates().map(nameOf)).toEqual(['Tenant 0', 'Tenant 1', 'Tenant 2', 'Tenant 3', 'Tenant 4']);
		expectNoSecrets(result, [...CREATE_CANARIES, ...loginCanaries(sim, wrong, stale)]);
	});

	it('a 429 for one request pauses the whole pool for its Retry-After: nothing reaches Commvault during that second', async () => {
		let answeredAt = 0;
		sim.respondNext(CREATE, {
			status: 429,
			headers: { 'Retry-After': '1' },
			get body() {
				answeredAt = Date.now();
				return CommvaultErrors.rateLimited(1).body;
			},
		});
		latencyOf = (request) => (isCreate(request) ? 20 : 0);
		const result = await run({ items: tenants(15) });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.name)).toEqual(tenants(15).map(({ json }) => json.name));
		const [limited, ...others] = creates().filter((request) => request.status === 429);
		expect(others).toEqual([]);
		expect(answeredAt).toBeGreaterThan(0);
		// A request already out when the 429 came back may arrive a moment after it; then nothing for the second.
		const during = sim.requests.filter((request) => request.receivedAt > answeredAt + 50 && request.receivedAt < answeredAt + 950);
		expect(during.map((request) => nameOf(request))).toEqual([]);
		const retried = creates().filter((request) => nameOf(request) === nameOf(limited) && request.status === 200);
		expect(retried).toHaveLength(1);
		expect(retried[0].receivedAt - answeredAt).toBeGreaterThanOrEqual(950);
		expect(sim.requests.filter((request) => request.receivedAt >= answeredAt + 950).length).toBeGreaterThan(1);
		expect(createdNames()).toEqual(tenants(15).map(({ json }) => String(json.name)).sort());
	});
});

describe('Continue On Fail and the error output under concurrency', () => {
	type Kind = 'protected' | 'taken' | 'noPlan' | 'invalid';
	// 'noPlan' is created, but its plan does not exist: the content step fails and the item says the app exists.
	const PATTERN: Kind[] = ['protected', 'noPlan', 'taken', 'protected', 'invalid', 'noPlan', 'protected', 'protected'];
	const PLAN: Record<Kind, number> = { protected: 11, noPlan: 999, taken: 11, invalid: 11 };

	function items(count: number): Array<{ kind: Kind; json: IDataObject }> {
		return Array.from({ length: count }, (_, i) => {
			const kind = PATTERN[i % PATTERN.length];
			return { kind, json: { name: `${kind} ${i}`, appId: kind === 'invalid' ? 'contoso.onmicrosoft.com' : APPLICATION_ID, plan: PLAN[kind] } };
		});
	}

	const parameters = withConcurrency(perItemCreate({ additionalFields: { dynamics365Plan: planById('={{ $json.plan }}') } }), 5);

	/**
	 * With Continue On Fail the failed item's JSON holds the error and `createdApp`; in the error
	 * output n8n keeps only `{error}` in the JSON, and `createdApp` travels on the item's error.
	 */
	function expectOutcome(output: INodeExecutionData, kind: Kind, json: IDataObject, i: number, errorOutput = false): void {
		expect(output.pairedItem).toEqual({ item: i });
		const app = sim.app(String(json.name));
		const createdApp = errorOutput ? (output.error as unknown as PartialSuccess | undefined)?.createdApp : output.json.createdApp;
		if (kind === 'protected') {
			expect(output.json).toMatchObject({ id: app?.id, name: json.name, content: { plan: { id: 11 }, added: true } });
			expect(output.error).toBeUndefined();
			return;
		}
		if (errorOutput) {
			expect(Object.keys(output.json)).toEqual(['error']);
			expect(output.error?.message).toBe(output.json.error);
			expect(output.error?.context.itemIndex).toBe(i);
		}
		if (kind === 'noPlan') {
			expect(output.json.error).toBe(
				`The Dynamics 365 app "${String(json.name)}" WAS created (id ${app?.id}), but adding its environments to the Dynamics 365 plan failed: dynamics365plan: Plan with id 999 does not exist.`,
			);
			expect(createdApp).toEqual({ id: app?.id, name: json.name });
		} else if (kind === 'taken') {
			expect(output.json.error).toBe(DUPLICATE);
			expect(createdApp).toBeUndefined();
		} else {
			expect(output.json.error).toBe(`Application (Client) ID: is not an Azure ID (expected a GUID such as 00000000-0000-0000-0000-000000000000) (item ${i})`);
			expect(createdApp).toBeUndefined();
		}
	}

	beforeEach(() => {
		// Latency by name, so that items finish in another order than they started.
		latencyOf = (request) => {
			const name = nameOf(request);
			return name === undefined ? 5 : 5 + ((name.length * 37) % 60);
		};
	});

	it('Continue On Fail: every item in input order, the partial success with createdApp', async () => {
		const cases = items(24);
		for (const { kind, json } of cases) if (kind === 'taken') sim.addApp({ name: String(json.name) });
		const result = await run({ items: cases.map(({ json }) => ({ json })), parameters, continueOnFail: true });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(cases.length);
		result.items.forEach((output, i) => expectOutcome(output, cases[i].kind, cases[i].json, i));
		expect(sim.peakInFlight).toBe(5);
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('"Continue (using error output)": successes and failures each in input order, pairedItem kept', async () => {
		const cases = items(24);
		for (const { kind, json } of cases) if (kind === 'taken') sim.addApp({ name: String(json.name) });
		const result = await run({ items: cases.map(({ json }) => ({ json })), parameters, onError: 'continueErrorOutput' });

		expect(result.error).toBeUndefined();
		const [success, failed] = result.outputs;
		const indexes = (kinds: Kind[]): number[] => cases.flatMap(({ kind }, i) => (kinds.includes(kind) ? [i] : []));
		expect(success.map((item) => item.pairedItem)).toEqual(indexes(['protected']).map((item) => ({ item })));
		expect(failed.map((item) => item.pairedItem)).toEqual(indexes(['noPlan', 'taken', 'invalid']).map((item) => ({ item })));
		for (const output of [...success, ...failed]) {
			const i = (output.pairedItem as { item: number }).item;
			expectOutcome(output, cases[i].kind, cases[i].json, i, true);
		}
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('without Continue On Fail the first failure starts no new item; those already out finish, and the error names what they created', async () => {
		latencyOf = (request) => (isCreate(request) ? 40 : 0);
		const cases = tenants(20);
		cases[7].json.appId = 'not-a-guid';
		const result = await run({ items: cases });

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error?.message).toBe(
			'Application (Client) ID: is not an Azure ID (expected a GUID such as 00000000-0000-0000-0000-000000000000) (item 7). Before the run stopped, it created 7 apps in Commvault (listed in the details): do not create them again.',
		);
		const byItem = [...sim.apps].sort((a, b) => a.name.localeCompare(b.name));
		expect(result.error?.description).toContain(`Apps this run created (id and name): ${byItem.map((app) => `${app.id} "${app.name}"`).join(', ')}.`);
		// Items 0–6 were sent before item 7 failed; none after it started.
		expect(createdNames()).toEqual(['Tenant 0', 'Tenant 1', 'Tenant 2', 'Tenant 3', 'Tenant 4', 'Tenant 5', 'Tenant 6']);
	});
});

describe('Options > Concurrency out of range', () => {
	it.each<[string, number | string]>([
		['0', 0],
		['51', 51],
		['a word', 'x'],
		['a fraction', 2.5],
	])('%s fails the run naming the field, before any request', async (_label, concurrency) => {
		for (const operation of [perItemCreate(), { operation: 'addContent', appId: 1001, dynamics365Plan: planById(11) }]) {
			sim.reset();
			const result = await run({ items: tenants(3), parameters: { ...operation, options: { concurrency } } });

			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(`Options > Concurrency: must be a whole number from 1 to 50, got ${JSON.stringify(concurrency)} (item 0)`);
			expect(sim.requests).toEqual([]);
		}
	});
});
