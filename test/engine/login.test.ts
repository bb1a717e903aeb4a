/**
 * The credential inside n8n's engine: User Name and Password mode (POST /Login, one login per
 * run, a new login when Commvault answers 401), the Authtoken check, and what the user reads when
 * signing in fails. Every run is checked for leaked secrets.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { CommvaultErrors, CommvaultSimulator, DEFAULT_AUTHTOKEN, DEFAULT_USER, type RecordedRequest, type SimulatorOptions } from '../../testing/simulator';
import type { RunNodeResult } from '../../testing/engine';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { runCommvault, useSimulator, type CommvaultTarget } from '../../testing/engine/support/commvault';
import { createParameters } from '../../testing/engine/support/create';
import { loginCanaries } from '../../testing/engine/support/login';

const PASSWORD = DEFAULT_USER.password;
const PASSWORD_BASE64 = Buffer.from(PASSWORD, 'utf8').toString('base64');
const PASSWORD_MODE: ICredentialDataDecryptedObject = { authentication: 'password', username: 'admin', password: PASSWORD };

/** App names must be unique in Commvault, across the runs of a test too. */
let runs = 0;

async function run(
	target: CommvaultTarget,
	credentials: ICredentialDataDecryptedObject,
	count = 1,
	continueOnFail = false,
): Promise<RunNodeResult> {
	runs++;
	return await runCommvault(target, {
		parameters: createParameters({ name: '={{ "Tenant " + $json.n }}' }),
		items: Array.from({ length: count }, (_, n) => ({ json: { n: `${runs}.${n + 1}` } })),
		credentials,
		continueOnFail,
	});
}

function authtokensSent(requests: RecordedRequest[]): Array<string | undefined> {
	return requests.map((request) => request.headers.authtoken);
}

function tokenOf(login: RecordedRequest): string {
	return String((login.responseBody as IDataObject).token);
}

describe('User Name and Password credential in a run', () => {
	let sim: CommvaultSimulator;

	async function startSim(options: SimulatorOptions = {}): Promise<CommvaultSimulator> {
		sim = new CommvaultSimulator(options);
		await sim.start();
		return sim;
	}

	afterEach(async () => {
		await sim?.stop();
	});

	it('logs in once with the base64 password and sends that token on every call of the run', async () => {
		const result = await run(await startSim(), PASSWORD_MODE, 3);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => item.json.name)).toEqual(sim.apps.map((app) => app.name));

		const logins = sim.requestsTo('POST', '/Login');
		expect(logins).toHaveLength(1);
		expect(logins[0]).toMatchObject({ fullPath: '/commandcenter/api/Login', valid: true, status: 200 });
		expect(logins[0].rawBody).toBe(JSON.stringify({ username: 'admin', password: PASSWORD_BASE64 }));
		expect(logins[0].headers.authtoken).toBeUndefined();

		const token = tokenOf(logins[0]);
		const creates = sim.requestsTo('POST', '/v4/Dynamics365');
		expect(creates.map((request) => request.valid)).toEqual([true, true, true]);
		expect(authtokensSent(creates)).toEqual([token, token, token]);
		// The password mode needs no Authtoken check: the login is the check.
		expect(sim.requestsTo('GET', '/V4/PlanIds')).toHaveLength(0);
		expect(result.preAuthenticationCalls).toEqual([
			{ credentialType: 'commvaultApi', credentialsExpired: false, testing: false, refreshed: true },
		]);
		expectNoSecrets(result, loginCanaries(sim));
	});

	it('logs in again exactly once when the token expires mid-run, and every item succeeds', async () => {
		const result = await run(await startSim({ tokenUses: 2 }), PASSWORD_MODE, 4);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(new Set(sim.apps.map((app) => app.name)).size).toBe(4);
		expect(result.items.map((item) => item.json.name)).toEqual(sim.apps.map((app) => app.name));

		const [first, second, ...more] = sim.requestsTo('POST', '/Login').map(tokenOf);
		expect(more).toEqual([]);
		expect(first).not.toEqual(second);
		const creates = sim.requestsTo('POST', '/v4/Dynamics365');
		// The first item signs in alone, the other three go together; the two refused ones wait for
		// one new login (not one each) and are sent again with its token.
		expect(creates.map((request) => request.status)).toEqual([200, 200, 401, 401, 200, 200]);
		expect(authtokensSent(creates)).toEqual([first, first, first, first, second, second]);
		// The node empties the expired token, which makes n8n sign in before the next send.
		expect(result.preAuthenticationCalls.map((call) => call.refreshed)).toEqual([true, true]);
		expectNoSecrets(result, loginCanaries(sim));
	});

	it('reuses the stored token in the next run and logs in again when it has expired since', async () => {
		await startSim();
		const stored = (await run(sim, PASSWORD_MODE)).storedCredentials.commvaultApi;
		const token = tokenOf(sim.requestsTo('POST', '/Login')[0]);
		expect(stored.sessionToken).toBe(token);

		sim.clearRequests();
		const reused = await run(sim, stored);
		expect(reused.error).toBeUndefined();
		expect(sim.requestsTo('POST', '/Login')).toHaveLength(0);
		expect(authtokensSent(sim.requestsTo('POST', '/v4/Dynamics365'))).toEqual([token]);

		sim.expireLoginTokens(); // Commvault's 30 minutes of inactivity
		sim.clearRequests();
		const afterExpiry = await run(sim, stored, 2);
		expect(afterExpiry.error).toBeUndefined();
		expect(afterExpiry.items).toHaveLength(2);
		expect(sim.requestsTo('POST', '/Login')).toHaveLength(1);
		// Both items went out with the expired token; one login serves both.
		expect(sim.requestsTo('POST', '/v4/Dynamics365').map((request) => request.status)).toEqual([401, 401, 200, 200]);
		expect(afterExpiry.preAuthenticationCalls.map((call) => call.refreshed)).toEqual([true]);
		expectNoSecrets(afterExpiry, loginCanaries(sim, token));
	});

	it('never sends a stored token to another Base URL or for another user', async () => {
		await startSim({ users: [DEFAULT_USER, { username: 'operator', password: PASSWORD }] });
		const stored = (await run(sim, PASSWORD_MODE)).storedCredentials.commvaultApi;
		const oldToken = String(stored.sessionToken);

		const changes: ICredentialDataDecryptedObject[] = [
			{ username: 'operator' },
			// The same server under another name: the old token would still be accepted there.
			{ baseUrl: sim.baseUrl.replace('127.0.0.1', 'localhost') },
		];
		for (const changed of changes) {
			sim.clearRequests();
			const result = await run(sim, { ...stored, ...changed });
			expect(result.error).toBeUndefined();
			expect(sim.requests.some((request) => request.headers.authtoken === oldToken)).toBe(false);
			const logins = sim.requestsTo('POST', '/Login');
			expect(logins).toHaveLength(1);
			expect((logins[0].body as IDataObject).username).toBe(changed.username ?? 'admin');
		}
	});

	it.each(['errList', 'http401'] as const)(
		'fails with a message naming the user when the password is wrong (login answered with %s)',
		async (loginFailure) => {
			const wrong = 'canary-wrong-Pässword-91';
			const result = await run(await startSim({ loginFailure }), { ...PASSWORD_MODE, password: wrong }, 2);

			expect(result.items).toEqual([]);
			expect(result.error?.message).toBe(
				'Commvault login failed for user "admin": Login failed: invalid username or password. Check the User Name (for a domain user: DOMAIN\\user or user@company.com) and the Password of the Commvault credential.',
			);
			expect(result.error?.description).toMatch(/Test button/);
			// Nothing but the one login went out: no create, and no Authtoken header of any kind.
			expect(sim.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /Login']);
			expect(sim.requests.every((request) => request.headers.authtoken === undefined)).toBe(true);
			expectNoSecrets(result, loginCanaries(sim, wrong));
		},
	);

	it('fails every item with the login message under Continue On Fail, never sending "undefined" as a token', async () => {
		const result = await run(await startSim(), { ...PASSWORD_MODE, password: 'wrong' }, 2, true);

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.error)).toEqual([
			expect.stringMatching(/^Commvault login failed for user "admin"/),
			expect.stringMatching(/^Commvault login failed for user "admin"/),
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(0);
		expect(sim.requests.some((request) => /undefined/.test(request.headers.authtoken ?? ''))).toBe(false);
	});

	it('tries to sign in once per run, not once per item, so a wrong password cannot lock the account', async () => {
		const result = await run(await startSim(), { ...PASSWORD_MODE, password: 'wrong' }, 4, true);

		expect(result.items.map((item) => item.json.error)).toEqual(
			new Array(4).fill(expect.stringMatching(/^Commvault login failed for user "admin"/)),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(sim.requestsTo('POST', '/Login')).toHaveLength(1);
		expect(sim.requests.map((request) => request.path)).toEqual(['/Login']);
	});

	it('under "Continue (using error output)" each item after a refused sign-in carries an error of its own', async () => {
		await startSim();
		const result = await runCommvault(sim, {
			parameters: createParameters({ name: '={{ "Tenant " + $json.n }}' }),
			items: [0, 1, 2].map((n) => ({ json: { n } })),
			credentials: { ...PASSWORD_MODE, password: 'wrong' },
			onError: 'continueErrorOutput',
		});

		expect(result.error).toBeUndefined();
		const [success, failed] = result.outputs;
		expect(success).toEqual([]);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(failed.map((item) => item.error?.context.itemIndex)).toEqual([0, 1, 2]);
		expect(new Set(failed.map((item) => item.error)).size).toBe(3);
		for (const item of failed) {
			expect(item.json.error).toMatch(/^Commvault login failed for user "admin"/);
			expect(item.error?.message).toBe(item.json.error);
			expect(item.error?.description).toMatch(/Test button/);
		}
		expect(sim.requestsTo('POST', '/Login')).toHaveLength(1);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(0);
	});

	it('signs in again after a 429 on POST /Login, waiting as long as Retry-After says', async () => {
		await startSim();
		sim.respondNext({ method: 'POST', path: '/Login' }, CommvaultErrors.rateLimited(3));
		const result = await run(sim, PASSWORD_MODE);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const logins = sim.requestsTo('POST', '/Login');
		expect(logins.map((request) => [request.status, request.valid])).toEqual([
			[429, true],
			[200, true],
		]);
		// Lower bound only: load can make the wait longer. Without Retry-After the node waits 2 s.
		expect(logins[1].receivedAt - logins[0].receivedAt).toBeGreaterThanOrEqual(2900);
		expect(sim.requestsTo('POST', '/v4/Dynamics365').map((request) => request.status)).toEqual([200]);
		expectNoSecrets(result, loginCanaries(sim));
	});

	it('after three 429s on POST /Login fails that item as rate-limited, not as a refused login, and the next item signs in', async () => {
		await startSim();
		sim.respondNext({ method: 'POST', path: '/Login' }, CommvaultErrors.rateLimited(0), 3);
		const result = await run(sim, PASSWORD_MODE, 2, true);

		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.items[0].json.error).toMatch(/^Commvault is limiting sign-ins \(HTTP 429: Too many requests\. Rate limit exceeded\.\)/);
		expect(result.items[0].json.error).not.toMatch(/login failed|User Name|Password/);
		expect(result.items[1].json).toMatchObject({ id: 1001 });
		expect(sim.requestsTo('POST', '/Login').map((request) => request.status)).toEqual([429, 429, 429, 200]);
		expect(sim.requestsTo('POST', '/v4/Dynamics365').map((request) => request.status)).toEqual([200]);
		expectNoSecrets(result, loginCanaries(sim));
	});

	it('says the login answered without a token when the Base URL is not the API but answers 200', async () => {
		await startSim();
		sim.respondNext({ method: 'POST', path: '/Login' }, { status: 200, body: { userName: 'admin' } });
		const result = await run(sim, PASSWORD_MODE);

		expect(result.error?.message).toMatch(/^Commvault login answered without a token\. No Commvault API at the Base URL/);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(0);
	});

	it('works against the SaaS gateway, whose API has no base path', async () => {
		await startSim({ basePath: '' });
		expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const result = await run(sim, { ...PASSWORD_MODE, baseUrl: `${sim.baseUrl}/` });

		expect(result.error).toBeUndefined();
		expect(sim.requests.map((request) => `${request.method} ${request.fullPath} ${request.status}`)).toEqual([
			'POST /Login 200',
			'POST /v4/Dynamics365 200',
		]);
	});
});

describe('Authtoken credential in a run', () => {
	const sim = useSimulator();
	const SENT = `QSDK ${DEFAULT_AUTHTOKEN}`;

	it.each([
		['as Command Center shows it', DEFAULT_AUTHTOKEN],
		['with the QSDK prefix', SENT],
		['with spaces and a line break around it', `  ${DEFAULT_AUTHTOKEN}\n`],
	])('checks the token once, then sends it on every call (pasted %s)', async (_label, authtoken) => {
		const result = await run(sim, { authtoken }, 2);

		expect(result.error).toBeUndefined();
		expect(sim.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /V4/PlanIds',
			'POST /v4/Dynamics365',
			'POST /v4/Dynamics365',
		]);
		expect(authtokensSent(sim.requests)).toEqual([SENT, SENT, SENT]);
		expect(result.preAuthenticationCalls).toHaveLength(1);
		// What n8n keeps is a marker, not the token.
		expect(JSON.stringify(result.storedCredentials.commvaultApi.sessionToken)).not.toContain(DEFAULT_AUTHTOKEN);
		expectNoSecrets(result, loginCanaries());
	});

	it('does not check again in later runs, and always sends the current Authtoken, never a stored login token', async () => {
		const first = await run(sim, {});
		sim.clearRequests();
		const later = await run(sim, first.storedCredentials.commvaultApi);
		expect(later.error).toBeUndefined();
		expect(sim.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v4/Dynamics365']);
		expect(later.preAuthenticationCalls).toEqual([]);

		// A credential switched from password mode still holds that mode's login token: the
		// Authtoken is checked once, and the old login token is never sent.
		sim.clearRequests();
		const switched = await run(sim, { sessionToken: 'QSDK canary-stale-login-token-55aa', sessionFor: `password admin at ${sim.baseUrl}` });
		expect(switched.error).toBeUndefined();
		expect(sim.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /V4/PlanIds', 'POST /v4/Dynamics365']);
		expect(authtokensSent(sim.requests)).toEqual([SENT, SENT]);
	});

	it('reports a wrong or expired token before sending anything else', async () => {
		const result = await run(sim, { authtoken: 'canary-expired-token-0c3d' }, 2);

		expect(result.error?.message).toMatch(/^Commvault refused the Authtoken \(HTTP 401: Unauthorized\): the token is wrong or has expired\./);
		expect(result.error?.message).toMatch(/User Name and Password/);
		expect(sim.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual(['GET /V4/PlanIds 401']);
		expectNoSecrets(result, loginCanaries(sim, 'canary-expired-token-0c3d'));
	});

	it('reports a token revoked after its check as refused, checking it once more', async () => {
		const first = await run(sim, {});
		sim.clearRequests();
		const result = await run(sim, { ...first.storedCredentials.commvaultApi, authtoken: 'canary-revoked-token-8e2f' });

		expect(result.error?.message).toMatch(/^Commvault refused the Authtoken/);
		expect(sim.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			'POST /v4/Dynamics365 401',
			'GET /V4/PlanIds 401',
		]);
		expectNoSecrets(result, loginCanaries(sim, 'canary-revoked-token-8e2f'));
	});

	it('lets the run go on when the check gets a 403, and keeps the token as checked: Commvault accepted it, the user may only not list plans', async () => {
		sim.respondNext({ method: 'GET', path: '/V4/PlanIds' }, CommvaultErrors.generic(403, 5, 'Access denied.'));
		const result = await run(sim, {});

		expect(result.error).toBeUndefined();
		expect(sim.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			'GET /V4/PlanIds 403',
			'POST /v4/Dynamics365 200',
		]);
		expect(result.storedCredentials.commvaultApi.sessionToken).toBe('authtoken-checked');
	});

	it.each([
		['three 503s', CommvaultErrors.unavailable(), 3],
		['three 429s', CommvaultErrors.rateLimited(0), 3],
	])('lets the run go on when the check gets %s, which says nothing about the token, and does not keep it as checked', async (_label, answer, times) => {
		sim.respondNext({ method: 'GET', path: '/V4/PlanIds' }, answer, times);
		const result = await run(sim, {});

		expect(result.error).toBeUndefined();
		expect(sim.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			...new Array<string>(times).fill(`GET /V4/PlanIds ${answer.status}`),
			'POST /v4/Dynamics365 200',
		]);
		expect(result.storedCredentials.commvaultApi.sessionToken ?? '').toBe('');

		// So the next run checks the token again.
		sim.clearRequests();
		const next = await run(sim, result.storedCredentials.commvaultApi);
		expect(next.error).toBeUndefined();
		expect(sim.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			'GET /V4/PlanIds 200',
			'POST /v4/Dynamics365 200',
		]);
		expect(next.storedCredentials.commvaultApi.sessionToken).toBe('authtoken-checked');
	});

	it('checks the token again after a 429, waiting as long as Retry-After says', async () => {
		sim.respondNext({ method: 'GET', path: '/V4/PlanIds' }, CommvaultErrors.rateLimited(3));
		const result = await run(sim, {});

		expect(result.error).toBeUndefined();
		const checks = sim.requestsTo('GET', '/V4/PlanIds');
		expect(checks.map((request) => request.status)).toEqual([429, 200]);
		expect(checks[1].receivedAt - checks[0].receivedAt).toBeGreaterThanOrEqual(2900);
		expect(sim.requestsTo('POST', '/v4/Dynamics365').map((request) => request.status)).toEqual([200]);
		expect(result.storedCredentials.commvaultApi.sessionToken).toBe('authtoken-checked');
	});

	it('reports an error Commvault puts in a 200 answer to the check', async () => {
		sim.respondNext({ method: 'GET', path: '/V4/PlanIds' }, CommvaultErrors.errListIn200(1, 'Session is not valid.'));
		const result = await run(sim, {});

		expect(result.error?.message).toMatch(/^Commvault did not accept the Authtoken: Session is not valid\. Paste a current/);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(0);
	});

	it('refuses a Base URL without a scheme before sending anything, saying what to enter', async () => {
		const result = await run(sim, { baseUrl: sim.baseUrl.replace(/^http:\/\//, '') });

		expect(result.error?.message).toMatch(/Base URL must start with https:\/\/ \(or http:\/\/\)/);
		expect(sim.requests).toEqual([]);
	});

	it.each([
		['a trailing /v4/', (url: string) => `${url}/v4/`],
		['the browser address of Command Center', (url: string) => `${url.replace(/\/api$/, '')}/#/dashboard`],
	])('corrects %s to the API root', async (_label, edit) => {
		const result = await run(sim, { baseUrl: edit(sim.baseUrl) });

		expect(result.error).toBeUndefined();
		expect(sim.requests.map((request) => request.fullPath)).toEqual([
			'/commandcenter/api/V4/PlanIds',
			'/commandcenter/api/v4/Dynamics365',
		]);
	});
});

describe('TLS in a run', () => {
	const sim = useSimulator({ tls: true });

	it.each([
		['Authtoken', {}],
		['User Name and Password', PASSWORD_MODE],
	])('suggests Ignore SSL Issues for a self-signed certificate, and works with it (%s)', async (_mode, auth) => {
		const strict = await run(sim, auth);
		expect(strict.error?.message).toMatch(
			/^Could not reach Commvault: the TLS certificate of localhost:\d+ could not be verified \(DEPTH_ZERO_SELF_SIGNED_CERT\): .*turn on "Ignore SSL Issues \(Insecure\)"/,
		);
		expect(sim.requests).toEqual([]);

		const relaxed = await run(sim, { ...auth, ignoreSslIssues: true }, 2);
		expect(relaxed.error).toBeUndefined();
		expect(relaxed.items).toHaveLength(2);
		expectNoSecrets(strict, loginCanaries(sim));
		expectNoSecrets(relaxed, loginCanaries(sim));
	});
});
