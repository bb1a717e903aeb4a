/**
 * The hostile wire, inside n8n's engine: real loopback servers that hang, trickle, cut the answer
 * after carrying the request out, answer pages, empty or cut bodies, `{}`, `null` or `[]`,
 * redirect (also to another host, 127.0.0.2), echo secrets in a success, ask for absurd waits,
 * and fail a sign-in for a moment. Each case asserts the item's outcome, every request each
 * server saw, and that no secret got out.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { CommvaultErrors, CommvaultSimulator, DEFAULT_AUTHTOKEN, DEFAULT_USER, type ScriptedResponse } from '../../testing/simulator';
import { testCredential } from '../../testing/engine/credential-test';
import type { RunNodeResult } from '../../testing/engine/run';
import { AZURE_APP_PFX_PASSWORD } from '../../testing/fixtures';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { planById, runCommvault, type CommvaultRunOptions } from '../../testing/engine/support/commvault';
import { APPLICATION_SECRET, CREATE_CANARIES, fullCreateParameters, pfxItem, REFRESH_TOKEN } from '../../testing/engine/support/create';
import { expectNoSecretsInTest, loginCanaries } from '../../testing/engine/support/login';

const sim = new CommvaultSimulator();
/** "Another host": a redirect may point here, and nothing may ever arrive. */
const elsewhere = new CommvaultSimulator({ host: '127.0.0.2' });

beforeAll(async () => {
	await sim.start();
	await elsewhere.start();
});
afterAll(async () => {
	await sim.stop();
	await elsewhere.stop();
});
beforeEach(() => {
	sim.reset();
	elsewhere.reset();
});
afterEach(() => {
	// Whatever a case did, no request and no secret went to a host the user did not name.
	expect(elsewhere.requests).toEqual([]);
});

const CREATE = { method: 'POST', path: '/v4/Dynamics365' };
const APP = 'Contoso Dynamics 365';
const PASSWORD_MODE: ICredentialDataDecryptedObject = { authentication: 'password', username: 'admin', password: DEFAULT_USER.password };

async function create(options: Partial<CommvaultRunOptions> = {}): Promise<RunNodeResult> {
	return await runCommvault(sim, { parameters: fullCreateParameters(), items: [pfxItem()], ...options });
}

function calls(server: CommvaultSimulator = sim): string[] {
	return server.requests.map((request) => `${request.method} ${request.path} ${request.status}`);
}

/** The run failed on its one item with `message`, holding no secret. */
function expectFailed(result: RunNodeResult, message: string | RegExp): void {
	expect(result.status).toBe('error');
	expect(result.items).toEqual([]);
	expect(result.error?.message).toEqual(typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message));
	expectNoSecrets(result, [...CREATE_CANARIES, ...loginCanaries(sim)]);
}

function redirectTo(status: number, url: string): ScriptedResponse {
	return { status, headers: { Location: url }, body: '' };
}

describe('no complete answer: never a hang, never a second create, and the error says the app may exist', () => {
	const quick = { credentials: { timeoutSeconds: 1 } };

	it('a Command Center that takes the create and never answers: the item fails after the timeout', async () => {
		sim.respondNext(CREATE, { afterSimulating: true, hang: true });
		const started = Date.now();
		const result = await create(quick);

		expectFailed(result, `Commvault may have created the Dynamics 365 app "${APP}": the request POST /v4/Dynamics365 was sent, but no complete answer came within 1 s`);
		expect(result.error?.description).toMatch(/^Check in Command Center whether it was done/);
		expect(Date.now() - started).toBeLessThan(8000);
		expect(calls()).toEqual(['GET /V4/PlanIds 200', 'POST /v4/Dynamics365 0']);
		expect(sim.apps.map((app) => app.name)).toEqual([APP]);
	});

	it('an answer that trickles in byte by byte is bounded by the same timeout', async () => {
		sim.respondNext(CREATE, { afterSimulating: true, status: 200, body: { id: 1001, name: APP }, trickleMs: 300 });
		const started = Date.now();
		const result = await create(quick);

		expectFailed(result, /^Commvault may have created the Dynamics 365 app "Contoso Dynamics 365": .*no complete answer came within 1 s/);
		expect(Date.now() - started).toBeLessThan(8000);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(1);
	});

	it.each<[string, ScriptedResponse]>([
		['cut in the middle of the answer', { afterSimulating: true, status: 200, body: { id: 1001, name: APP }, cutAfterBytes: 7 }],
		['dropped before any answer', { afterSimulating: true, destroySocket: true }],
	])('a connection %s after the app was created', async (_label, answer) => {
		sim.respondNext(CREATE, answer);
		const result = await create({ items: [pfxItem(), pfxItem({ n: 2 })], parameters: fullCreateParameters({ name: '={{ "Tenant " + ($json.n ?? 1) }}' }), continueOnFail: true });

		expect(result.items[0].json.error).toBe(
			'Commvault may have created the Dynamics 365 app "Tenant 1": the request POST /v4/Dynamics365 was sent, but the connection was dropped before the whole answer came',
		);
		expect(result.items[1].json).toEqual({ id: 1002, name: 'Tenant 2' });
		// Each create went out exactly once: the node never re-sends one whose answer was lost.
		expect(sim.requestsTo('POST', '/v4/Dynamics365').map((request) => (request.body as { name: string }).name).sort()).toEqual(['Tenant 1', 'Tenant 2']);
		expect(sim.apps.map((app) => app.name).sort()).toEqual(['Tenant 1', 'Tenant 2']);
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('Add Content whose answer is cut says the environments may have been added', async () => {
		sim.addApp({ id: 1001, name: APP });
		sim.respondNext({ method: 'PUT', path: '/V4/Dynamics365/1001/Content' }, { afterSimulating: true, destroySocket: true });
		const result = await runCommvault(sim, {
			parameters: { operation: 'addContent', appId: 1001, dynamics365Plan: planById(12) },
		});

		expectFailed(result, 'Commvault may have added the environments of the Dynamics 365 app 1001 to the plan');
		expect(sim.requestsTo('PUT', /Content$/)).toHaveLength(1);
	});

	it('a plan listing that never answers fails the item without "may have": a GET changes nothing', async () => {
		sim.respondNext({ method: 'GET', path: '/V4/Plan/Summary' }, { hang: true });
		const result = await create({ ...quick, parameters: fullCreateParameters({ serverPlan: { __rl: true, mode: 'name', value: 'Server-Gold' } }) });

		expectFailed(result, 'Commvault did not answer GET /V4/Plan/Summary: no complete answer came within 1 s');
		expect(result.error?.description).toBe('Nothing was changed by this request.');
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toEqual([]);
	});

	it('a token check that never answers gives no verdict: the run goes on, bounded by the timeout', async () => {
		sim.respondNext({ method: 'GET', path: '/V4/PlanIds' }, { hang: true });
		const result = await create(quick);

		expect(result.error).toBeUndefined();
		expect(calls()).toEqual(['GET /V4/PlanIds 0', 'POST /v4/Dynamics365 200']);
	});

	it("the credential's Test button against a server that never answers returns an error in bounded time", async () => {
		const started = Date.now();
		sim.respondNext({ method: 'GET', path: '/V4/PlanIds' }, { hang: true });
		const testRequest = await testCredential(CommvaultApi, { baseUrl: sim.baseUrl, authentication: 'password', username: 'admin', password: DEFAULT_USER.password, timeoutSeconds: 1 });
		expect(testRequest.status).toBe('Error');
		expect(calls()).toEqual(['POST /Login 200', 'GET /V4/PlanIds 0']);
		sim.reset();
		sim.respondNext({ method: 'POST', path: '/Login' }, { hang: true });
		const hung = await testCredential(CommvaultApi, { baseUrl: sim.baseUrl, authentication: 'password', username: 'admin', password: DEFAULT_USER.password, timeoutSeconds: 1 });
		expect(hung.status).toBe('Error');
		expect(hung.message).toMatch(/^Commvault could not sign in now \(POST \/Login: no complete answer came within 1 s/);
		expect(Date.now() - started).toBeLessThan(15000);
		expectNoSecretsInTest(hung, loginCanaries(sim));
	});
});

describe('a 2xx that is not the schema\'s success is no success', () => {
	it.each<[string, ScriptedResponse, string]>([
		['a login page', { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<!doctype html><html><head><title>Sign in to your account</title></head><body>…</body></html>' }, 'a web page ("Sign in to your account")'],
		['{}', { status: 200, body: {} }, 'an empty JSON object'],
		['null', { status: 200, headers: { 'Content-Type': 'application/json' }, body: 'null' }, 'JSON null'],
		['[]', { status: 200, body: [] }, 'a JSON array'],
		['an empty body', { status: 200 }, 'empty'],
		['a cut JSON body', { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"id": 1001, "na' }, 'not complete JSON ("{"id": 1001, "na")'],
		['an id that is a string', { status: 200, body: { id: '1001', name: APP } }, 'a JSON object with "id", "name"'],
		['an echo of the request', { status: 201, body: { name: APP, serverPlan: { id: 1 } } }, 'a JSON object with "name", "serverPlan"'],
	])('Create answered with %s fails the item and says the app may exist', async (_label, answer, got) => {
		sim.respondNext(CREATE, answer);
		const result = await create();

		const status = answer.status ?? 200;
		expectFailed(result, `Commvault's answer to POST /v4/Dynamics365 (HTTP ${status}) is not the created app (an IdName with a positive whole-number id): it is ${got}`);
		expect(result.error?.description).toMatch(/^Commvault may have created the Dynamics 365 app "Contoso Dynamics 365"\. /);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(1);
	});

	it.each<[string, ScriptedResponse]>([
		['{}', { status: 200, body: {} }],
		['a page', { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html><title>Portal</title></html>' }],
	])('Add Content answered with %s is not reported as added', async (_label, answer) => {
		sim.addApp({ id: 1001, name: APP });
		sim.respondNext({ method: 'PUT', path: '/V4/Dynamics365/1001/Content' }, answer);
		const result = await runCommvault(sim, { parameters: { operation: 'addContent', appId: 1001, dynamics365Plan: planById(12) } });

		expectFailed(result, /^Commvault's answer to PUT \/V4\/Dynamics365\/1001\/Content \(HTTP 200\) is not Commvault's confirmation \(a GenericResp with errorCode 0\)/);
	});

	it('a plan listing that is a web page says the Base URL does not answer like the API', async () => {
		sim.respondNext({ method: 'GET', path: '/V4/Plan/Summary' }, { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html><title>Command Center</title></html>' });
		const result = await create({ parameters: fullCreateParameters({ serverPlan: { __rl: true, mode: 'name', value: 'Server-Gold' } }) });

		expectFailed(result, 'is not a plan list (PlanSummaryListResp): it is a web page ("Command Center")');
		expect(result.error?.description).toMatch(/is probably not the Commvault API/);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toEqual([]);
	});
});

describe('redirects are never followed', () => {
	it.each([302, 307, 308])('a %i on Create to another host fails naming it; nothing reaches that host', async (status) => {
		sim.respondNext(CREATE, redirectTo(status, `${elsewhere.baseUrl}/v4/Dynamics365`));
		const result = await create();

		expectFailed(result, `Commvault's address answered POST /v4/Dynamics365 with HTTP ${status}, a redirect to 127.0.0.2:${elsewhere.port}: the node does not follow redirects`);
		expect(calls()).toEqual(['GET /V4/PlanIds 200', `POST /v4/Dynamics365 ${status}`]);
	});

	it('a redirect loop to the same address is not followed either: one create, no GET of it', async () => {
		sim.respondNext(CREATE, redirectTo(302, '/commandcenter/api/v4/Dynamics365'), 5);
		const result = await create();

		expectFailed(result, /with HTTP 302, a redirect to 127\.0\.0\.1:\d+/);
		expect(calls()).toEqual(['GET /V4/PlanIds 200', 'POST /v4/Dynamics365 302']);
	});

	it('a 307 on POST /Login: the password goes nowhere else, and the run says what to fix', async () => {
		sim.respondNext({ method: 'POST', path: '/Login' }, redirectTo(307, `${elsewhere.baseUrl}/Login`));
		const result = await create({ credentials: PASSWORD_MODE });

		expectFailed(result, /^Commvault's address answered POST \/Login with HTTP 307, a redirect to 127\.0\.0\.2:\d+/);
		expect(calls()).toEqual(['POST /Login 307']);
	});

	it('a 301 on the Authtoken check: the token goes nowhere else', async () => {
		sim.respondNext({ method: 'GET', path: '/V4/PlanIds' }, redirectTo(301, `${elsewhere.baseUrl}/V4/PlanIds`));
		const result = await create();

		expectFailed(result, /^Commvault's address answered GET \/V4\/PlanIds with HTTP 301, a redirect to 127\.0\.0\.2/);
		expect(calls()).toEqual(['GET /V4/PlanIds 301']);
	});
});

describe('secrets echoed in a success', () => {
	it('an answer that echoes the Azure app and the token is redacted before it becomes the output', async () => {
		sim.respondNext(CREATE, {
			afterSimulating: true,
			status: 200,
			get body() {
				const sent = sim.lastRequest?.body as { azureApp: Record<string, string> };
				return { id: 1001, name: APP, azureApp: sent.azureApp, echo: { authtoken: `QSDK ${DEFAULT_AUTHTOKEN}`, secret: APPLICATION_SECRET, refresh: REFRESH_TOKEN } };
			},
		});
		const result = await create();

		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: 1001, name: APP });
		expect((result.items[0].json.azureApp as Record<string, string>).applicationSecret).toBe('[redacted]');
		expect((result.items[0].json.azureApp as Record<string, string>).applicationId).toBe('6f1c2a9e-8d3b-4c5a-9e7f-1a2b3c4d5e6f');
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('in password mode, the login token and password echoed in a success are redacted', async () => {
		sim.respondNext(CREATE, {
			afterSimulating: true,
			status: 200,
			get body() {
				return { id: 1001, name: APP, session: sim.lastRequest?.headers.authtoken, password: DEFAULT_USER.password };
			},
		});
		const result = await create({ credentials: PASSWORD_MODE });

		expect(result.items[0].json).toEqual({ id: 1001, name: APP, session: '[redacted]', password: '[redacted]' });
		expectNoSecrets(result, [...CREATE_CANARIES, ...loginCanaries(sim)]);
	});
});

describe('rate limits', () => {
	it('a Retry-After longer than the node waits fails at once, saying how long, for every item and without stalling', async () => {
		sim.respondNext(CREATE, CommvaultErrors.rateLimited(99999), 3);
		const started = Date.now();
		const result = await create({
			items: [pfxItem({ n: 1 }), pfxItem({ n: 2 }), pfxItem({ n: 3 })],
			parameters: fullCreateParameters({ name: '={{ "Tenant " + $json.n }}' }),
			continueOnFail: true,
		});

		expect(result.items.map((item) => item.json.error)).toEqual(
			new Array(3).fill('Commvault is limiting requests (HTTP 429) and asked to wait 99999 s before the next one, longer than the 60 s the node waits'),
		);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(3);
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('an HTTP-date Retry-After is honoured', async () => {
		sim.respondNext(CREATE, {
			status: 429,
			get headers() {
				return { 'Retry-After': new Date(Date.now() + 2000).toUTCString() };
			},
			body: { errorCode: 429, errorMessage: 'Too many requests.' },
		});
		const result = await create();

		expect(result.error).toBeUndefined();
		const [refused, accepted] = sim.requestsTo('POST', '/v4/Dynamics365');
		expect([refused.status, accepted.status]).toEqual([429, 200]);
		expect(accepted.receivedAt - refused.receivedAt).toBeGreaterThanOrEqual(900);
	});
});

describe('sign-in failures that say nothing about the credential', () => {
	it('one 503 on POST /Login is tried again, and the run succeeds', async () => {
		sim.respondNext({ method: 'POST', path: '/Login' }, CommvaultErrors.unavailable());
		const result = await create({ credentials: PASSWORD_MODE });

		expect(result.error).toBeUndefined();
		expect(calls()).toEqual(['POST /Login 503', 'POST /Login 200', 'POST /v4/Dynamics365 200']);
		expectNoSecrets(result, [...CREATE_CANARIES, ...loginCanaries(sim)]);
	});

	it('a Login that keeps failing with 503 fails its item as Commvault busy, not as a wrong password, and the next item still signs in', async () => {
		sim.respondNext({ method: 'POST', path: '/Login' }, CommvaultErrors.unavailable(), 3);
		const result = await create({
			credentials: PASSWORD_MODE,
			items: [pfxItem({ n: 1 }), pfxItem({ n: 2 })],
			parameters: fullCreateParameters({ name: '={{ "Tenant " + $json.n }}' }),
			continueOnFail: true,
		});

		expect(result.items[0].json.error).toBe(
			'Commvault could not sign in now (POST /Login answered HTTP 503; n8n tried 3 times): this is not a wrong password or token, the other items go on',
		);
		expect(result.items[1].json).toEqual({ id: 1001, name: 'Tenant 2' });
		expect(sim.requestsTo('POST', '/Login').map((request) => request.status)).toEqual([503, 503, 503, 200]);
		expectNoSecrets(result, [...CREATE_CANARIES, ...loginCanaries(sim)]);
	});

	it.each<[string, { stored: boolean }, string[]]>([
		// The other three go out as soon as the sign-in is done, with its token (a 401 carries nothing out), and are not sent again.
		['a fresh sign-in', { stored: false }, ['POST /Login 200', ...new Array<string>(4).fill('POST /v4/Dynamics365 401')]],
		// The four items go out together with the stored token (a 401 carries nothing out); one signs in again for all.
		['a stored login token', { stored: true }, [...new Array<string>(4).fill('POST /v4/Dynamics365 401'), 'POST /Login 200', 'POST /v4/Dynamics365 401']],
	])('a 401 right after %s ends the run: at most one new sign-in, never three creates per item', async (_label, { stored }, expected) => {
		sim.respondNext(CREATE, CommvaultErrors.generic(401, 401, 'Unauthorized'), 10);
		const session: ICredentialDataDecryptedObject = stored
			? { sessionToken: 'QSDK canary-stored-login-token-77', sessionFor: `password admin at ${sim.baseUrl}` }
			: {};
		const result = await create({
			credentials: { ...PASSWORD_MODE, ...session },
			items: [1, 2, 3, 4].map((n) => pfxItem({ n })),
			parameters: fullCreateParameters({ name: '={{ "Tenant " + $json.n }}' }),
			continueOnFail: true,
		});

		expect(result.items.map((item) => item.json.error)).toEqual(new Array(4).fill('Commvault refused the credential (401): Unauthorized'));
		expect(result.items[3].json.description).toMatch(/^Commvault refused the request even right after n8n signed in again/);
		expect(calls()).toEqual(expected);
		expectNoSecrets(result, [...CREATE_CANARIES, ...loginCanaries(sim, 'QSDK canary-stored-login-token-77')]);
	});
});

describe('what pasting adds is not sent', () => {
	it('a secret with a trailing line break, a refresh token with CR LF, a padded name and a thumbprint behind a direction mark', async () => {
		const result = await create({
			parameters: fullCreateParameters({
				name: `  ${APP} \n`,
				applicationSecret: `${APPLICATION_SECRET}\n`,
				additionalFields: {
					refreshToken: `${REFRESH_TOKEN}\r\n`,
					certificateBinaryProperty: ' certificate ',
					certificatePassword: `\uFEFF${AZURE_APP_PFX_PASSWORD}`,
					certificateThumbprint: '\u200E9F3C5A6B7D8E9F0A1B2C3D4E5F60718293A4B5C6',
				},
			}),
			credentials: { authtoken: `  qsdk ${DEFAULT_AUTHTOKEN}\r\n` },
		});

		expect(result.error).toBeUndefined();
		const [app] = sim.apps;
		expect(app.name).toBe(APP);
		expect(app.decoded.applicationSecret).toBe(APPLICATION_SECRET);
		expect(app.decoded.certificatePassword).toBe(AZURE_APP_PFX_PASSWORD);
		expect(app.azureApp.refreshToken).toBe(REFRESH_TOKEN);
		expect(app.azureApp.certificateThumbprint).toBe('9F3C5A6B7D8E9F0A1B2C3D4E5F60718293A4B5C6');
		expect(sim.requests.map((request) => request.headers.authtoken)).toEqual([`QSDK ${DEFAULT_AUTHTOKEN}`, `QSDK ${DEFAULT_AUTHTOKEN}`]);
		expectNoSecrets(result, CREATE_CANARIES);
	});
});
