/**
 * Issue 19, items 1 to 8, inside n8n's engine, the way an MSP's n8n runs: several credentials in
 * one store (by id), edits while runs are under way, a second Commvault on 127.0.0.2, and a
 * Commvault that quotes what it was sent. Each case failed before its fix.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN, DEFAULT_USER, type RecordedRequest } from '../../testing/simulator';
import type { TestCredentialsHelper } from '../../testing/engine/credentials-helper';
import { runWorkflowsAtOnce, type RunNodeResult, type RunWorkflowOptions, type WorkflowRunResult } from '../../testing/engine/run';
import { expectNoSecrets, secretsOf, type Canary } from '../../testing/engine/support/canaries';
import { runCommvault, useSimulator, type CommvaultRunOptions } from '../../testing/engine/support/commvault';
import { APPLICATION_SECRET, CREATE_CANARIES, createParameters, fullCreateParameters, pfxItem } from '../../testing/engine/support/create';
import { CUSTOMERS, loginTokensOf, mspStore } from '../../testing/engine/support/echo';

const sim = useSimulator();
/** Another customer's Command Center, at another address. */
const other = useSimulator({ host: '127.0.0.2' });
/** A Command Center the credential is moved to during a run: its own Authtoken, and a second user. */
const MOVED_AUTHTOKEN = 'canary-moved-authtoken-5e0f';
const OPERATOR = { username: 'operator', password: 'canary-Operator-Pässwort-8b' };
const moved = useSimulator({ host: '127.0.0.2', authtoken: MOVED_AUTHTOKEN, users: [DEFAULT_USER, OPERATOR] });

afterEach(() => {
	sim.latencyMs = 0;
	moved.latencyMs = 0;
});

const CREATE_PATH = '/v4/Dynamics365';
const CREATE = { method: 'POST', path: CREATE_PATH };
const PASSWORD_MODE: ICredentialDataDecryptedObject = { authentication: 'password', username: 'admin', password: DEFAULT_USER.password };
const WRONG_PASSWORD = 'canary-wrong-Pässword-91';
const WRONG_AUTHTOKEN = 'canary-wrong-authtoken-77aa';

/** App names must be unique in each simulator, across the runs of a test too. */
let runs = 0;

function tenantItems(count: number): Array<{ json: IDataObject }> {
	runs++;
	return Array.from({ length: count }, (_, n) => ({ json: { n: `${runs}.${n + 1}` } }));
}

const TENANT_PARAMETERS = createParameters({ name: '={{ "Tenant " + $json.n }}', options: { concurrency: 1 } });

function nameOf(request: RecordedRequest): string {
	return String((request.body as IDataObject | undefined)?.name);
}

/** The app the simulator created for a request it carried out, as its success answer names it. */
function createdBy(server: CommvaultSimulator): (request: RecordedRequest) => IDataObject {
	return (request) => {
		const app = server.app(nameOf(request));
		return { id: app?.id, name: app?.name };
	};
}

function tokensSent(server: CommvaultSimulator): string[] {
	return server.requests.map((request) => request.headers.authtoken).filter((token): token is string => token !== undefined);
}

function loginCanaries(...sims: CommvaultSimulator[]): Canary[] {
	return [
		...secretsOf({ password: DEFAULT_USER.password, authtoken: DEFAULT_AUTHTOKEN }),
		...secretsOf({ password: WRONG_PASSWORD, authtoken: WRONG_AUTHTOKEN }),
		...loginTokensOf(...sims).flatMap((token) => secretsOf({ loginToken: token })),
	];
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error('until: the condition never came true');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

const MAIN = [NodeConnectionTypes.Main];

/** A node that passes its items on once `open` settles: an execution that starts later. */
function gate(open: Promise<void>): INodeType {
	return {
		description: { displayName: 'Gate', name: 'gate', group: ['transform'], version: 1, description: 'Waits until the test opens it', defaults: { name: 'Gate' }, inputs: MAIN, outputs: MAIN, properties: [] },
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			await open;
			return [this.getInputData()];
		},
	};
}

/** One execution of the node on the customer's credential, optionally held back behind `after`. */
function execution(store: TestCredentialsHelper, count: number, after?: Promise<void>): RunWorkflowOptions {
	const commvault = { nodeType: Commvault, parameters: { resource: 'dynamics365App', ...TENANT_PARAMETERS } };
	return {
		chain: after ? [{ nodeType: gate(after), parameters: {} }, commvault] : [commvault],
		items: tenantItems(count),
		credentialTypes: [CommvaultApi],
		credentialsHelper: store,
		credentialIds: { commvaultApi: CUSTOMERS.acme },
	};
}

/** One execution of the node on a customer's credential in the store: one item, concurrency 1, unless `options` say otherwise. */
async function runFor(store: TestCredentialsHelper, customer: keyof typeof CUSTOMERS, options: Partial<CommvaultRunOptions> = {}): Promise<RunNodeResult> {
	return await runCommvault(sim, {
		parameters: TENANT_PARAMETERS,
		items: tenantItems(1),
		credentialsHelper: store,
		credentialIds: { commvaultApi: CUSTOMERS[customer] },
		...options,
	});
}

/** The customer's password credential, on which an earlier run signed in at 127.0.0.1: its token is stored with it. */
async function signedInEarlier(): Promise<TestCredentialsHelper> {
	const store = mspStore(sim.baseUrl, { acme: { baseUrl: sim.baseUrl, ...PASSWORD_MODE } });
	const [earlier] = await runWorkflowsAtOnce([execution(store, 1)]);
	expect(earlier.status).toBe('success');
	sim.clearRequests();
	return store;
}

/** The Commvault node's part of a workflow run, in the shape the canaries search. */
function commvaultResult(result: WorkflowRunResult): RunNodeResult {
	const node = result.nodes.Commvault ?? { name: 'Commvault', items: [], outputs: [], binary: [] };
	return { ...result, ...node, error: node.error ?? result.error };
}

describe('a token goes only to the host that issued it, also when the credential is edited during a run (item 1)', () => {
	it('Base URL edited while an item is out, 127.0.0.1 answering it 401: the item is sent again to 127.0.0.2 with a token of 127.0.0.2', async () => {
		const store = mspStore(sim.baseUrl, {
			acme: { baseUrl: sim.baseUrl, ...PASSWORD_MODE },
			globex: { baseUrl: other.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN },
		});
		const globex = store.storedData(CUSTOMERS.globex);
		const items = tenantItems(3);
		const second = `Tenant ${String(items[1].json.n)}`;
		sim.respondNext(
			{ ...CREATE, when: (request) => nameOf(request) === second },
			{
				status: 401,
				echo: () => {
					store.edit(CUSTOMERS.acme, { baseUrl: other.baseUrl });
					return { errorCode: 1, errorMessage: 'Session expired' };
				},
			},
		);
		const result = await runFor(store, 'acme', { items });

		// 127.0.0.1 never saw a token 127.0.0.2 issued.
		const issuedElsewhere = loginTokensOf(other);
		expect(issuedElsewhere.length).toBeGreaterThan(0);
		expect(tokensSent(sim).filter((token) => issuedElsewhere.includes(token))).toEqual([]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.name)).toEqual(items.map((item) => `Tenant ${String(item.json.n)}`));
		expect(sim.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			'POST /Login 200',
			'POST /v4/Dynamics365 200',
			'POST /v4/Dynamics365 401',
		]);
		// The item that got the 401 and the one after it went to the edited Base URL, with its token.
		expect(other.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			'POST /Login 200',
			'POST /v4/Dynamics365 200',
			'POST /v4/Dynamics365 200',
		]);
		expect(other.apps.map((app) => app.name)).toEqual([second, `Tenant ${String(items[2].json.n)}`]);
		expect(store.storedData(CUSTOMERS.acme)?.sessionFor).toBe(`password admin at ${other.baseUrl}`);
		// The other customers' credentials are untouched.
		expect(store.storedData(CUSTOMERS.globex)).toEqual(globex);
		expectNoSecrets(result, loginCanaries(sim, other));
	});

	it('a second execution signed in at 127.0.0.2 after the edit: the first one, answered 401 at 127.0.0.1, takes its token to 127.0.0.2 only', async () => {
		const store = await signedInEarlier();

		// Held long enough for the second execution to sign in and create, on a busy machine too.
		sim.respondNext(CREATE, { status: 401, delayMs: 3000, body: { errorCode: 1, errorMessage: 'Session expired' } });
		const edited = (async (): Promise<void> => {
			await until(() => sim.requestsTo('POST', CREATE_PATH).length === 1);
			store.edit(CUSTOMERS.acme, { baseUrl: other.baseUrl });
		})();
		const [first, second] = await runWorkflowsAtOnce([execution(store, 1), execution(store, 1, edited)]);

		const issuedElsewhere = loginTokensOf(other);
		expect(issuedElsewhere.length).toBeGreaterThan(0);
		expect(tokensSent(sim).filter((token) => issuedElsewhere.includes(token))).toEqual([]);
		expect(second.status).toBe('success');
		expect(first.status).toBe('success');
		expect(sim.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual(['POST /v4/Dynamics365 401']);
		// One sign-in at 127.0.0.2 (the second execution's) serves both.
		expect(other.requestsTo('POST', '/Login')).toHaveLength(1);
		expect(other.requestsTo('POST', CREATE_PATH).map((request) => request.status)).toEqual([200, 200]);
		expectNoSecrets(commvaultResult(first), loginCanaries(sim, other));
	});
});

describe('an edit made during a run takes effect for its next request, with no 401 needed', () => {
	const CONCURRENCY_1 = createParameters({ name: '={{ "Tenant " + $json.n }}', options: { concurrency: 1 } });

	/** The item's create is answered (and carried out), and the credential edited as it is: the items after it start after the edit. */
	function editAsAnswered(server: CommvaultSimulator, store: TestCredentialsHelper, item: { json: IDataObject }, changes: ICredentialDataDecryptedObject): void {
		server.respondNext(
			{ ...CREATE, when: (request) => nameOf(request) === `Tenant ${String(item.json.n)}` },
			{
				afterSimulating: true,
				echo: (request) => {
					store.edit(CUSTOMERS.acme, changes);
					return createdBy(server)(request);
				},
			},
		);
	}

	function names(items: Array<{ json: IDataObject }>): string[] {
		return items.map((item) => `Tenant ${String(item.json.n)}`);
	}

	async function loginTokenOf(server: CommvaultSimulator, user: { username: string; password: string }): Promise<string> {
		const answer = await fetch(`${server.baseUrl}/Login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: JSON.stringify({ username: user.username, password: Buffer.from(user.password, 'utf8').toString('base64') }),
		});
		const { token } = (await answer.json()) as { token: string };
		server.clearRequests();
		return token;
	}

	it('Authtoken mode: Base URL and Authtoken edited to 127.0.0.2 after item 0 is answered: items 1 and 2 go there, 127.0.0.1 never gets the new Authtoken', async () => {
		const store = mspStore(sim.baseUrl, { acme: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } });
		const items = tenantItems(3);
		editAsAnswered(sim, store, items[0], { baseUrl: moved.baseUrl, authtoken: MOVED_AUTHTOKEN });
		const result = await runFor(store, 'acme', { parameters: CONCURRENCY_1, items });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.name)).toEqual(names(items));
		expect(sim.requestsTo('POST', CREATE_PATH).map(nameOf)).toEqual(names(items).slice(0, 1));
		expect(tokensSent(sim).filter((token) => token.includes(MOVED_AUTHTOKEN))).toEqual([]);
		expect(moved.apps.map((app) => app.name)).toEqual(names(items).slice(1));
		expect(tokensSent(moved).every((token) => token === `QSDK ${MOVED_AUTHTOKEN}`)).toBe(true);
		expect(sim.requests.concat(moved.requests).some((request) => request.status === 401)).toBe(false);
		expectNoSecrets(result, [...loginCanaries(sim), ...secretsOf({ authtoken: MOVED_AUTHTOKEN })]);
	});

	it('password mode: the user edited after item 0 is answered: item 1 signs in afresh as the new user, and no request of the new user carries the old token', async () => {
		const store = mspStore(moved.baseUrl, { acme: { baseUrl: moved.baseUrl, ...PASSWORD_MODE } });
		const items = tenantItems(3);
		editAsAnswered(moved, store, items[0], { username: OPERATOR.username, password: OPERATOR.password });
		const result = await runFor(store, 'acme', { parameters: CONCURRENCY_1, items });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.name)).toEqual(names(items));
		const logins = moved.requestsTo('POST', '/Login');
		expect(logins.map((request) => (request.body as IDataObject).username)).toEqual(['admin', OPERATOR.username]);
		const [adminToken, operatorToken] = loginTokensOf(moved).filter((token) => token.startsWith('QSDK '));
		const creates = moved.requestsTo('POST', CREATE_PATH);
		expect(creates.map((request) => [nameOf(request), request.headers.authtoken])).toEqual([
			[names(items)[0], adminToken],
			[names(items)[1], operatorToken],
			[names(items)[2], operatorToken],
		]);
		expect(moved.requests.some((request) => request.status === 401)).toBe(false);
		expect(store.storedData(CUSTOMERS.acme)?.sessionFor).toBe(`password ${OPERATOR.username} at ${moved.baseUrl}`);
		expectNoSecrets(result, [...loginCanaries(moved), ...secretsOf({ password: OPERATOR.password })]);
	});

	it('Authtoken mode: the Authtoken edited after item 0 is answered: items 1 and 2 carry the new one', async () => {
		const newToken = await loginTokenOf(sim, DEFAULT_USER);
		const store = mspStore(sim.baseUrl, { acme: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } });
		const items = tenantItems(3);
		editAsAnswered(sim, store, items[0], { authtoken: newToken });
		const result = await runFor(store, 'acme', { parameters: CONCURRENCY_1, items });

		expect(result.error).toBeUndefined();
		expect(sim.requestsTo('POST', CREATE_PATH).map((request) => [nameOf(request), request.headers.authtoken])).toEqual([
			[names(items)[0], `QSDK ${DEFAULT_AUTHTOKEN}`],
			[names(items)[1], newToken],
			[names(items)[2], newToken],
		]);
		expectNoSecrets(result, [...loginCanaries(sim), ...secretsOf({ authtoken: newToken })]);
	});

	it('a refused sign-in decides nothing for the corrected password: under Continue On Fail, the item after the correction signs in with it', async () => {
		const store = mspStore(sim.baseUrl, { acme: { baseUrl: sim.baseUrl, ...PASSWORD_MODE, password: WRONG_PASSWORD } });
		sim.respondNext(
			{ method: 'POST', path: '/Login' },
			{
				status: 200,
				echo: () => {
					store.edit(CUSTOMERS.acme, { password: DEFAULT_USER.password });
					return { errList: [{ errorCode: 1, errLogMessage: 'Invalid username or password' }] };
				},
			},
		);
		const items = tenantItems(3);
		const result = await runFor(store, 'acme', { parameters: CONCURRENCY_1, items, continueOnFail: true });

		expect(result.items[0].json.error).toMatch(/Invalid username or password/);
		expect(result.items.slice(1).map((item) => item.json.name)).toEqual(names(items).slice(1));
		expect(sim.requestsTo('POST', '/Login').map((request) => request.status)).toEqual([200, 200]);
		expectNoSecrets(result, loginCanaries(sim));
	});

	it('a sign-in with the old values still under way holds up no request made after the edit: that one signs in at the edited Base URL at once', async () => {
		const store = await signedInEarlier();
		const items = tenantItems(3);
		// Item 0 gets a 401: its new sign-in at 127.0.0.1 is slow, and the credential is moved to
		// 127.0.0.2 as that sign-in arrives. Item 1 is answered after the edit, so item 2 starts then.
		const slowSignInMs = 3000;
		sim.respondNext({ ...CREATE, when: (request) => nameOf(request) === names(items)[0] }, { status: 401, body: { errorCode: 1, errorMessage: 'Session expired' } });
		sim.latencyMs = (request) => {
			if (request.path === '/Login') {
				store.edit(CUSTOMERS.acme, { baseUrl: moved.baseUrl });
				return slowSignInMs;
			}
			return nameOf(request) === names(items)[1] ? 300 : 0;
		};
		const result = await runFor(store, 'acme', { parameters: createParameters({ name: '={{ "Tenant " + $json.n }}', options: { concurrency: 2 } }), items });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.name)).toEqual(names(items));
		const [oldSignIn] = sim.requestsTo('POST', '/Login');
		const movedCreates = moved.requestsTo('POST', CREATE_PATH);
		expect(movedCreates.map(nameOf)).toEqual([names(items)[2]]);
		expect(movedCreates[0].receivedAt - oldSignIn.receivedAt).toBeLessThan(slowSignInMs - 1000);
		const issuedAtOld = loginTokensOf(sim);
		expect(tokensSent(moved).filter((token) => issuedAtOld.includes(token))).toEqual([]);
		expectNoSecrets(result, loginCanaries(sim, moved));
	});

	it('a read of the credential answered late, after a later read brought the edit, does not take the run back to the values of before', async () => {
		const store = await signedInEarlier();
		const readsBefore = store.reads(CUSTOMERS.acme);
		const items = tenantItems(3);
		// Item 0's read (taken before the edit) is answered only once item 2, which read the
		// edited credential, is signing in at 127.0.0.2.
		let answerFirstRead = (): void => undefined;
		const firstRead = new Promise<void>((resolve) => {
			answerFirstRead = resolve;
		});
		store.readDelay = (readNumber) => (readNumber === readsBefore + 1 ? firstRead : undefined);
		editAsAnswered(sim, store, items[1], { baseUrl: moved.baseUrl });
		sim.latencyMs = (request) => (nameOf(request) === names(items)[1] ? 100 : 0);
		moved.latencyMs = (request) => {
			if (request.path !== '/Login') return 0;
			answerFirstRead();
			return 300;
		};
		const result = await runFor(store, 'acme', { parameters: createParameters({ name: '={{ "Tenant " + $json.n }}', options: { concurrency: 2 } }), items });

		expect(result.error).toBeUndefined();
		expect(sim.requestsTo('POST', CREATE_PATH).map(nameOf)).toEqual([names(items)[1]]);
		expect(moved.requestsTo('POST', CREATE_PATH).map(nameOf).sort()).toEqual([names(items)[0], names(items)[2]].sort());
		expect(moved.requestsTo('POST', '/Login')).toHaveLength(1);
	});

	it.each<[string, ICredentialDataDecryptedObject, string]>([
		['password', PASSWORD_MODE, '/Login'],
		['Authtoken', { authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN }, '/V4/PlanIds'],
	])('%s mode, concurrency 5, 20 items, no edit: one sign-in for the run, and one credential read per request', async (_mode, data, signInPath) => {
		const store = mspStore(sim.baseUrl, { acme: { baseUrl: sim.baseUrl, ...data } });
		sim.latencyMs = 5;
		const items = tenantItems(20);
		const result = await runFor(store, 'acme', { parameters: createParameters({ name: '={{ "Tenant " + $json.n }}', options: { concurrency: 5 } }), items });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.name)).toEqual(names(items));
		expect(sim.requests.filter((request) => request.path === signInPath)).toHaveLength(1);
		expect(store.reads(CUSTOMERS.acme)).toBe(sim.requestsTo('POST', CREATE_PATH).length);
		expect(sim.requestsTo('POST', CREATE_PATH)).toHaveLength(20);
	});
});

describe('a sign-in under way with the old password or Authtoken never decides for the corrected one (item 8)', () => {
	it.each<[string, ICredentialDataDecryptedObject, ICredentialDataDecryptedObject, string]>([
		['password', { ...PASSWORD_MODE, password: WRONG_PASSWORD }, { password: DEFAULT_USER.password }, '/Login'],
		['Authtoken', { authentication: 'authtoken', authtoken: WRONG_AUTHTOKEN }, { authtoken: DEFAULT_AUTHTOKEN }, '/V4/PlanIds'],
	])('the %s corrected 100 ms into a slow refused sign-in: the execution started then signs in with it and succeeds', async (_mode, wrong, corrected, signInPath) => {
		const store = mspStore(sim.baseUrl, { acme: { baseUrl: sim.baseUrl, ...wrong } });
		let signIns = 0;
		// The first sign-in takes 1.5 s: the second execution, started 100 ms in, meets it under way.
		sim.latencyMs = (request) => (request.path === signInPath && ++signIns === 1 ? 1500 : 0);
		const edited = (async (): Promise<void> => {
			await until(() => sim.requests.some((request) => request.path === signInPath));
			await new Promise((resolve) => setTimeout(resolve, 100));
			store.edit(CUSTOMERS.acme, corrected);
		})();
		const [first, second] = await runWorkflowsAtOnce([execution(store, 1), execution(store, 1, edited)]);

		expect(first.status).toBe('error');
		expect(commvaultResult(second).error).toBeUndefined();
		expect(second.status).toBe('success');
		// Each execution sent its own sign-in: the second one with the corrected secret.
		const signInRequests = sim.requests.filter((request) => request.path === signInPath);
		expect(signInRequests.map((request) => request.status)).toEqual(signInPath === '/Login' ? [200, 200] : [401, 200]);
		expect(sim.requestsTo('POST', CREATE_PATH).map((request) => request.status)).toEqual([200]);
		expectNoSecrets(commvaultResult(first), loginCanaries(sim));
	});
});

describe('every login token of the run is redacted (items 4 and 5)', () => {
	it('every create answered 401 quoting its Authtoken header: no item error holds a login token (item 4)', async () => {
		const store = mspStore(sim.baseUrl, { acme: { baseUrl: sim.baseUrl, ...PASSWORD_MODE } });
		sim.respondNext(CREATE, { status: 401, echo: (request) => ({ errorMessage: `denied ${request.headers.authtoken ?? ''}` }) }, 10);
		const result = await runFor(store, 'acme', {
			parameters: createParameters({ name: '={{ "Tenant " + $json.n }}' }),
			items: tenantItems(2),
			continueOnFail: true,
		});

		expect(result.items.map((item) => item.json.error)).toEqual([expect.stringMatching(/denied \[redacted\]/), expect.stringMatching(/denied \[redacted\]/)]);
		expect(loginTokensOf(sim).length).toBeGreaterThan(0);
		expectNoSecrets(result, loginCanaries(sim));
	});

	it('a success quoting the login token of before a 401 and a new sign-in: the output holds neither token (item 5)', async () => {
		const store = mspStore(sim.baseUrl, { acme: { baseUrl: sim.baseUrl, ...PASSWORD_MODE } });
		await runWorkflowsAtOnce([execution(store, 1)]);
		const [earlier] = loginTokensOf(sim);
		sim.expireLoginTokens();
		sim.respondNext(
			{ ...CREATE, when: (request) => request.headers.authtoken !== earlier },
			{ afterSimulating: true, echo: (request) => ({ ...createdBy(sim)(request), message: `Created. Session ${earlier} was closed.` }) },
		);
		const result = await runFor(store, 'acme');

		expect(result.error).toBeUndefined();
		expect(sim.requestsTo('POST', '/Login')).toHaveLength(2);
		expect(result.items[0].json.message).toBe('Created. Session [redacted] was closed.');
		expectNoSecrets(result, loginCanaries(sim));
	});
});

describe('a secret replaced by an edit during the run stays redacted', () => {
	it('the password changed mid-run: a success quoting the old one, after the sign-in with the new one, holds neither', async () => {
		const oldPassword = 'canary-Old-Pässwörd&+ 4d1c';
		const users = [{ username: 'admin', password: oldPassword }, DEFAULT_USER];
		const server = new CommvaultSimulator({ users });
		await server.start();
		try {
			const store = mspStore(server.baseUrl, { acme: { baseUrl: server.baseUrl, ...PASSWORD_MODE, password: oldPassword } });
			const items = tenantItems(2);
			let edited = false;
			server.respondNext(
				{ ...CREATE, when: (request) => nameOf(request) === `Tenant ${String(items[1].json.n)}` && !edited },
				{
					status: 401,
					echo: () => {
						store.edit(CUSTOMERS.acme, { password: DEFAULT_USER.password });
						edited = true;
						return { errorCode: 1, errorMessage: 'Session expired' };
					},
				},
			);
			server.respondNext(
				{ ...CREATE, when: () => edited },
				{ afterSimulating: true, echo: (request) => ({ ...createdBy(server)(request), message: `Password ${encodeURIComponent(oldPassword)} was replaced` }) },
			);
			const result = await runCommvault(server, { parameters: TENANT_PARAMETERS, items, credentialsHelper: store, credentialIds: { commvaultApi: CUSTOMERS.acme } });

			expect(result.error).toBeUndefined();
			expect(server.requestsTo('POST', '/Login')).toHaveLength(2);
			expect(result.items[1].json.message).toBe('Password [redacted] was replaced');
			expectNoSecrets(result, [...loginCanaries(server), ...secretsOf({ password: oldPassword })]);
		} finally {
			await server.stop();
		}
	});
});

describe('a page quoting a typed secret is redacted before it is shortened or its tags stripped (item 6)', () => {
	function serialized(result: RunNodeResult): string {
		return JSON.stringify(result.error) + JSON.stringify(result.error?.description);
	}

	it('the secret right at the 200-character cut: not even its first part is shown', async () => {
		sim.respondNext(CREATE, {
			status: 502,
			headers: { 'Content-Type': 'text/html;charset=utf-8' },
			body: `<html><body><p>${'x'.repeat(185)} ${APPLICATION_SECRET} was refused</p></body></html>`,
		});
		const result = await runCommvault(sim, { parameters: fullCreateParameters(), items: [pfxItem()] });

		expect(result.error?.description).toContain('x'.repeat(100));
		expect(serialized(result)).not.toContain(APPLICATION_SECRET.slice(0, 8));
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('a secret holding <b>…</b>: no piece of it survives the tag stripping', async () => {
		const secret = 'canary-<b>Bold</b>-Sécret-3f';
		sim.respondNext(CREATE, {
			status: 403,
			headers: { 'Content-Type': 'text/html;charset=utf-8' },
			body: `<html><body><p>The secret ${secret} is not valid</p></body></html>`,
		});
		const result = await runCommvault(sim, { parameters: fullCreateParameters({ applicationSecret: secret }), items: [pfxItem()] });

		expect(result.error?.description).toContain('is not valid');
		expect(serialized(result)).not.toContain('canary-');
		expect(serialized(result)).not.toContain('Sécret-3f');
		expectNoSecrets(result, [...CREATE_CANARIES, ...secretsOf({ applicationSecret: secret })]);
	});
});

describe('the MSP store itself', () => {
	it('keeps each customer credential apart: a run signs in and stores a token only on the credential its node names', async () => {
		const store = mspStore(sim.baseUrl, {
			acme: { baseUrl: sim.baseUrl, ...PASSWORD_MODE },
			initech: { baseUrl: other.baseUrl, ...PASSWORD_MODE },
		});
		const result = await runFor(store, 'initech');

		expect(result.error).toBeUndefined();
		expect(sim.requests).toEqual([]);
		expect(store.storedData(CUSTOMERS.initech)?.sessionFor).toBe(`password admin at ${other.baseUrl}`);
		expect(store.storedData(CUSTOMERS.acme)?.sessionToken).toBeUndefined();
	});
});
