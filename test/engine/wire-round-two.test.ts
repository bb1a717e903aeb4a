/**
 * Issue 19, items 9 to 14, inside n8n's engine against real loopback servers: the credential's
 * timeout bounds, nothing sent after a run ended (a sign-in's 429 wait, a run that stopped, an
 * execution cancelled), a hanging plan listing shared by a batch, Retry On Fail after a success
 * that carries `error: {errorCode: 0}`, invisible characters pasted into ID fields, and the apps a
 * stopped run created named in its error.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { CommvaultErrors, DEFAULT_AUTHTOKEN, DEFAULT_USER, type RecordedRequest } from '../../testing/simulator';
import { testCredential } from '../../testing/engine/credential-test';
import type { RunNodeResult } from '../../testing/engine/run';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { planById, runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { createParameters, CREATE_CANARIES } from '../../testing/engine/support/create';
import { loginCanaries } from '../../testing/engine/support/login';

const sim = useSimulator();

afterEach(() => {
	sim.latencyMs = 0;
});

const CREATE = { method: 'POST', path: '/v4/Dynamics365' };
const LISTING = { method: 'GET', path: '/V4/Plan/Summary' };
const PASSWORD_MODE: ICredentialDataDecryptedObject = { authentication: 'password', username: 'admin', password: DEFAULT_USER.password };
const TIMEOUT_FIELD = 'Request Timeout (Seconds)';

function calls(): string[] {
	return sim.requests.map((request) => `${request.method} ${request.path} ${request.status}`);
}

function nameOf(request: RecordedRequest): string | undefined {
	const body = request.body as IDataObject | undefined;
	return typeof body?.name === 'string' ? body.name : undefined;
}

function tenants(count: number): Array<{ json: IDataObject }> {
	return Array.from({ length: count }, (_, n) => ({ json: { n } }));
}

const perTenant = (overrides: IDataObject = {}) => createParameters({ name: '={{ "Tenant " + $json.n }}', ...overrides });

async function pause(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits a while after the run, then: nothing reached Commvault once the run had ended. */
async function expectNothingAfter(ended: number, waitMs = 3000): Promise<void> {
	await pause(waitMs);
	expect(sim.requests.filter((request) => request.receivedAt > ended).map((request) => `${request.method} ${request.path}`)).toEqual([]);
}

describe('item 9: the credential\'s timeout is bounded to 1 to 3,600 seconds', () => {
	const refused = (value: number | string): string =>
		`The Commvault credential's "${TIMEOUT_FIELD}" (timeoutSeconds) must be from 1 to 3,600 seconds, got ${value}: nothing was sent. Open the credential and correct it.`;

	it.each([2147483, 4294967, 3601, 0, -5, 'soon'])('%p fails the item naming the field, and nothing is sent', async (timeoutSeconds) => {
		for (const mode of [{}, PASSWORD_MODE]) {
			sim.reset();
			const result = await runCommvault(sim, { parameters: createParameters(), credentials: { ...mode, timeoutSeconds } });

			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(refused(timeoutSeconds));
			expect(sim.requests).toEqual([]);
		}
	});

	it('the Test button says the same and sends nothing', async () => {
		const modes: Array<[ICredentialDataDecryptedObject, number]> = [
			[{ authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN }, 2147483],
			[PASSWORD_MODE, 4294967],
		];
		for (const [mode, timeoutSeconds] of modes) {
			const outcome = await testCredential(CommvaultApi, { baseUrl: sim.baseUrl, ...mode, timeoutSeconds });
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toContain(refused(timeoutSeconds));
		}
		expect(sim.requests).toEqual([]);
	});

	it('1 and 3,600 are taken, and an empty value is the default', async () => {
		for (const timeoutSeconds of [1, 3600, '']) {
			const result = await runCommvault(sim, { parameters: perTenant(), items: [{ json: { n: String(timeoutSeconds) } }], credentials: { timeoutSeconds } });
			expect(result.error).toBeUndefined();
		}
	});

	it('the editor bounds the field too', () => {
		const field = new CommvaultApi().properties.find((property) => property.name === 'timeoutSeconds');
		expect(field?.typeOptions).toMatchObject({ minValue: 1, maxValue: 3600 });
	});
});

describe('item 10: nothing is sent to Commvault after its run has ended', () => {
	it('timeoutSeconds 2, the first /Login answered 429 Retry-After 5: the wait is the sign-in\'s, the create leaves once after it, and nothing arrives after the run', async () => {
		sim.respondNext({ method: 'POST', path: '/Login' }, CommvaultErrors.rateLimited(5));
		const result = await runCommvault(sim, { parameters: createParameters(), credentials: { ...PASSWORD_MODE, timeoutSeconds: 2 } });
		const ended = Date.now();

		// No "the request POST /v4/Dynamics365 was sent" for a create that had not left.
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([{ id: 1001, name: 'Contoso Dynamics 365' }]);
		expect(calls()).toEqual(['POST /Login 429', 'POST /Login 200', 'POST /v4/Dynamics365 200']);
		await expectNothingAfter(ended);
		expectNoSecrets(result, [...CREATE_CANARIES, ...loginCanaries(sim)]);
	});

	it('a run that stops at a failed item ends the 429 pause of another: its create is not sent again, then or later', async () => {
		sim.addApp({ name: 'Tenant 0' });
		// Tenant 1's create gets the 429 at once; Tenant 0's is refused (409) 300 ms later.
		sim.latencyMs = (request) => (nameOf(request) === 'Tenant 0' ? 300 : 0);
		sim.respondNext(CREATE, CommvaultErrors.rateLimited(5));
		const started = Date.now();
		const result = await runCommvault(sim, { parameters: perTenant({ options: { concurrency: 2 } }), items: tenants(2) });
		const ended = Date.now();

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('An instance by this name already exists.');
		expect(ended - started).toBeLessThan(3000);
		expect(sim.requestsTo(CREATE.method, CREATE.path).map((request) => `${nameOf(request)} ${request.status}`).sort()).toEqual(['Tenant 0 409', 'Tenant 1 429']);
		await expectNothingAfter(ended, 5500);
		expect(sim.apps.map((app) => app.name)).toEqual(['Tenant 0']);
	});

	it('a create whose content step waits out a 429 when another item stops the run: that item\'s app is named, the failure that stopped the run is the error', async () => {
		sim.addApp({ name: 'Tenant 1' });
		// Tenant 0 is created at once and its content gets a 429; Tenant 1 is refused (409) 300 ms later.
		sim.latencyMs = (request) => (nameOf(request) === 'Tenant 1' ? 300 : 0);
		sim.respondNext({ method: 'PUT', path: /Content$/ }, CommvaultErrors.rateLimited(5));
		const started = Date.now();
		const result = await runCommvault(sim, {
			parameters: perTenant({ additionalFields: { dynamics365Plan: planById(12) }, options: { concurrency: 2 } }),
			items: tenants(2),
		});
		const ended = Date.now();

		const tenant0 = sim.app('Tenant 0');
		expect(result.error?.message).toBe(
			'An instance by this name already exists. Before the run stopped, it created 1 app in Commvault (listed in the details): do not create it again.',
		);
		expect(result.error?.description).toContain(`Apps this run created (id and name): ${tenant0?.id} "Tenant 0" (its content not added).`);
		expect(ended - started).toBeLessThan(3000);
		await expectNothingAfter(ended, 5500);
		expect(sim.requestsTo('PUT', /Content$/).map((request) => request.status)).toEqual([429]);
	});

	it('an execution cancelled while the sign-in waits out a 429 sends nothing more', async () => {
		sim.respondNext({ method: 'POST', path: '/Login' }, CommvaultErrors.rateLimited(4));
		const started = Date.now();
		await runCommvault(sim, { parameters: createParameters(), credentials: PASSWORD_MODE, cancelAfterMs: 500 });
		const ended = Date.now();

		expect(ended - started).toBeLessThan(3000);
		await expectNothingAfter(started + 600, 5000);
		expect(calls()).toEqual(['POST /Login 429']);
		expect(sim.apps).toEqual([]);
	});
});

describe('item 11: a plan listing that hangs fails every item waiting on it together', () => {
	it('8 items, concurrency 8, plan by name, timeoutSeconds 1: one listing, all 8 fail within one timeout', async () => {
		sim.respondNext(LISTING, { hang: true }, 8);
		const started = Date.now();
		const result = await runCommvault(sim, {
			parameters: perTenant({ serverPlan: { __rl: true, mode: 'name', value: 'Server-Gold' }, options: { concurrency: 8 } }),
			items: tenants(8),
			credentials: { timeoutSeconds: 1 },
			continueOnFail: true,
		});
		const took = Date.now() - started;

		expect(result.items.map((item) => item.json.error)).toEqual(
			Array(8).fill(`Commvault did not answer GET /V4/Plan/Summary: no complete answer came within 1 s (the credential's "${TIMEOUT_FIELD}")`),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual(tenants(8).map((_, item) => ({ item })));
		// One listing's timeout (1 s, plus the node's second of grace), not eight of them one after another.
		expect(took).toBeLessThan(4000);
		expect(sim.requestsTo(LISTING.method, LISTING.path)).toHaveLength(1);
		expect(sim.requestsTo(CREATE.method, CREATE.path)).toEqual([]);
	});
});

describe('item 12: a success output never has a top-level "error" key', () => {
	it('Retry On Fail after creates answered 200 with error {errorCode: 0}: each create is sent exactly once', async () => {
		for (const [id, name] of [
			[1001, 'Tenant 0'],
			[1002, 'Tenant 1'],
		] as const) {
			sim.respondNext(CREATE, { afterSimulating: true, status: 200, body: { id, name, error: { errorCode: 0, errorMessage: '' } } });
		}
		const result: RunNodeResult = await runCommvault(sim, {
			parameters: perTenant({ options: { concurrency: 1 } }),
			items: tenants(2),
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			{ id: 1001, name: 'Tenant 0' },
			{ id: 1002, name: 'Tenant 1' },
		]);
		expect(sim.requestsTo(CREATE.method, CREATE.path).map(nameOf)).toEqual(['Tenant 0', 'Tenant 1']);
	});
});

describe('item 13: invisible characters pasted into an ID field are removed', () => {
	it.each(['\u200E1', '1\u200F', '\u200B 1\uFEFF'])('a server plan ID %j typed in the ID mode is plan 1', async (id) => {
		const result = await runCommvault(sim, { parameters: createParameters({ serverPlan: planById(id) }) });

		expect(result.error).toBeUndefined();
		expect(sim.requestsTo(CREATE.method, CREATE.path)[0].body).toMatchObject({ serverPlan: { id: 1 } });
	});

	it.each(['\u200E1001', '1001\u200E', '\u200B1001\uFEFF'])('an App ID %j from an expression is app 1001', async (appId) => {
		sim.addApp({ id: 1001, name: 'App 1001' });
		const result = await runCommvault(sim, {
			parameters: { operation: 'addContent', appId: '={{ $json.appId }}', dynamics365Plan: planById(11) },
			items: [{ json: { appId } }],
		});

		expect(result.error).toBeUndefined();
		expect(sim.requestsTo('PUT', /Content$/).map((request) => request.path)).toEqual(['/V4/Dynamics365/1001/Content']);
	});
});

describe('item 14: a run that stops at a failed item names every app it created', () => {
	it.each([5, 50])('concurrency %i: item 0 refused (409) after 300 ms while the others create apps', async (concurrency) => {
		sim.addApp({ name: 'Tenant 0' });
		sim.latencyMs = (request) => (request.method !== 'POST' ? 0 : nameOf(request) === 'Tenant 0' ? 300 : 20);
		const result = await runCommvault(sim, { parameters: perTenant({ options: { concurrency } }), items: tenants(100) });
		const ended = Date.now();

		const created = sim.apps.filter((app) => app.name !== 'Tenant 0').sort((a, b) => Number(a.name.slice(7)) - Number(b.name.slice(7)));
		expect(created.length).toBeGreaterThanOrEqual(concurrency - 1);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`An instance by this name already exists. Before the run stopped, it created ${created.length} apps in Commvault (listed in the details): do not create them again.`,
		);
		expect(result.error?.description).toContain(`Apps this run created (id and name): ${created.map((app) => `${app.id} "${app.name}"`).join(', ')}.`);
		// The requests that were out were waited for: every create got its answer before the run ended.
		const creates = sim.requestsTo(CREATE.method, CREATE.path);
		expect(creates.filter((request) => request.status === 0)).toEqual([]);
		expect(creates).toHaveLength(created.length + 1);
		// Items not yet started were not started.
		if (concurrency === 5) expect(creates.length).toBeLessThan(100);
		await expectNothingAfter(ended, 500);
	});
});
