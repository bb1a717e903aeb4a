/**
 * The credential dialog's Test button, as n8n runs it (RoutingNode, preAuthentication, the
 * declarative test request): it passes for a good credential in both modes and otherwise says
 * which part is wrong, in words that reach the dialog (n8n shows only the error's message).
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN, DEFAULT_USER, type SimulatorOptions } from '../../testing/simulator';
import { testCredential } from '../../testing/engine';
import { useSimulator } from '../../testing/engine/support/commvault';
import { expectNoSecretsInTest, loginCanaries } from '../../testing/engine/support/login';

const PASSWORD = DEFAULT_USER.password;
const PASSWORD_BASE64 = Buffer.from(PASSWORD, 'utf8').toString('base64');
const WRONG_PASSWORD = 'canary-Wrong-Pässwort-3f7a';
const WRONG_TOKEN = 'canary-wrong-token-1b9c';

/** Every secret of these tests, and the login tokens `sim` handed out. */
function canaries(sim?: CommvaultSimulator): ReturnType<typeof loginCanaries> {
	return loginCanaries(sim, WRONG_PASSWORD, WRONG_TOKEN);
}

type Mode = 'Authtoken' | 'User Name and Password';

function credential(mode: Mode, baseUrl: string, overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	const auth: ICredentialDataDecryptedObject =
		mode === 'Authtoken'
			? { authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN }
			: { authentication: 'password', username: 'admin', password: PASSWORD };
	return { baseUrl, ...auth, ...overrides };
}

const MODES: Mode[] = ['Authtoken', 'User Name and Password'];

/** What the simulator saw, as "METHOD fullPath status". */
function seen(sim: CommvaultSimulator): string[] {
	return sim.requests.map((request) => `${request.method} ${request.fullPath} ${request.status}`);
}

describe('credential test against a Command Center', () => {
	const sim = useSimulator();
	let baseUrl: string;

	beforeEach(() => {
		baseUrl = sim.baseUrl;
	});

	it('passes with an Authtoken: one check, then n8n\'s test request, both sending the token', async () => {
		const outcome = await testCredential(CommvaultApi, credential('Authtoken', baseUrl));

		expect(outcome).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(seen(sim)).toEqual(['GET /commandcenter/api/V4/PlanIds 200', 'GET /commandcenter/api/V4/PlanIds 200']);
		expect(sim.requests.map((request) => request.headers.authtoken)).toEqual([
			`QSDK ${DEFAULT_AUTHTOKEN}`,
			`QSDK ${DEFAULT_AUTHTOKEN}`,
		]);
		expect(outcome.preAuthenticationCalls).toEqual([
			{ credentialType: 'commvaultApi', credentialsExpired: false, testing: true, refreshed: true },
		]);
		expectNoSecretsInTest(outcome, canaries(sim));
	});

	it('passes with a user name and password: logs in, then tests with the new token', async () => {
		const outcome = await testCredential(CommvaultApi, credential('User Name and Password', baseUrl));

		expect(outcome).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(seen(sim)).toEqual(['POST /commandcenter/api/Login 200', 'GET /commandcenter/api/V4/PlanIds 200']);
		const login = sim.requests[0];
		expect(login.rawBody).toBe(JSON.stringify({ username: 'admin', password: PASSWORD_BASE64 }));
		expect(sim.requests[1].headers.authtoken).toBe((login.responseBody as IDataObject).token);
		expect(outcome.preAuthenticationCalls).toHaveLength(1);
		expectNoSecretsInTest(outcome, canaries(sim));
	});

	it('logs in afresh even when a login token is already stored', async () => {
		const outcome = await testCredential(
			CommvaultApi,
			credential('User Name and Password', baseUrl, { sessionToken: 'QSDK canary-stored-token-77d1', sessionFor: `password admin at ${baseUrl}` }),
		);

		expect(outcome.status).toBe('OK');
		expect(sim.requests.map((request) => request.path)).toEqual(['/Login', '/V4/PlanIds']);
		expect(sim.requests.some((request) => request.headers.authtoken === 'QSDK canary-stored-token-77d1')).toBe(false);
	});

	it.each(MODES)('calls the same API root as the node for a Base URL ending in /v4/ or pasted from the browser (%s)', async (mode) => {
		for (const pasted of [`${baseUrl}/v4/`, `${baseUrl.replace(/\/api$/, '')}/#/dashboard`, ` ${baseUrl}// `]) {
			sim.reset();
			const outcome = await testCredential(CommvaultApi, credential(mode, pasted));
			expect(outcome.status).toBe('OK');
			expect(sim.requests.map((request) => request.fullPath.replace(/\/(Login|V4\/PlanIds)$/, ''))).toEqual([
				'/commandcenter/api',
				'/commandcenter/api',
			]);
		}
	});

	it.each([
		['HTTP 200 with an errList', 'errList'],
		['HTTP 401', 'http401'],
	] as const)('names the user and says to check the password when the login fails with %s', async (_label, loginFailure) => {
		const failing = new CommvaultSimulator({ loginFailure });
		const url = await failing.start();
		try {
			const outcome = await testCredential(CommvaultApi, credential('User Name and Password', url, { password: WRONG_PASSWORD }));

			expect(outcome.status).toBe('Error');
			expect(outcome.message).toBe(
				'Commvault login failed for user "admin": Login failed: invalid username or password. Check the User Name (for a domain user: DOMAIN\\user or user@company.com) and the Password of the Commvault credential.',
			);
			// One attempt: a failed login is not retried (accounts lock after a few).
			expect(seen(failing).map((line) => line.replace(/ \d+$/, ''))).toEqual(['POST /commandcenter/api/Login']);
			expect(outcome.preAuthenticationCalls).toHaveLength(1);
			expectNoSecretsInTest(outcome, canaries(failing));
		} finally {
			await failing.stop();
		}
	});

	it('says the Authtoken is wrong or expired, for a wrong token and for an expired login token', async () => {
		const wrong = await testCredential(CommvaultApi, credential('Authtoken', baseUrl, { authtoken: WRONG_TOKEN }));
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toBe(
			'Commvault refused the Authtoken (HTTP 401: Unauthorized): the token is wrong or has expired. Paste a current Commvault login token or API access token (with or without "QSDK "), or switch the credential to User Name and Password so n8n signs in and renews the login itself.',
		);
		expect(seen(sim)).toEqual(['GET /commandcenter/api/V4/PlanIds 401']);
		expectNoSecretsInTest(wrong, canaries(sim));

		// A login token pasted as the Authtoken works until Commvault expires it.
		await testCredential(CommvaultApi, credential('User Name and Password', baseUrl));
		const loginToken = String((sim.requestsTo('POST', '/Login')[0].responseBody as IDataObject).token);
		expect((await testCredential(CommvaultApi, credential('Authtoken', baseUrl, { authtoken: loginToken }))).status).toBe('OK');
		sim.expireLoginTokens();
		const expired = await testCredential(CommvaultApi, credential('Authtoken', baseUrl, { authtoken: loginToken }));
		expect(expired.status).toBe('Error');
		expect(expired.message).toMatch(/^Commvault refused the Authtoken \(HTTP 401: Unauthorized\): the token is wrong or has expired\./);
		expectNoSecretsInTest(expired, canaries(sim));
	});

	it.each(MODES)('points at the Base URL when it leads to a web server but not to the API (%s)', async (mode) => {
		const wrongPath = baseUrl.replace(/\/commandcenter\/api$/, '/commandcentre/api');
		const outcome = await testCredential(CommvaultApi, credential(mode, wrongPath));

		expect(outcome.status).toBe('Error');
		const call = mode === 'Authtoken' ? 'GET /V4/PlanIds' : 'POST /Login';
		expect(outcome.message).toBe(
			`No Commvault API at the Base URL ${wrongPath} (${call} answered HTTP 404): set the Base URL to your Command Center's https:// address followed by /commandcenter/api (older installs: /webconsole/api), or https://api.metallic.io for Commvault Cloud`,
		);
		expect(sim.requests).toHaveLength(1);
		expectNoSecretsInTest(outcome, canaries(sim));
	});

	it.each(MODES)('refuses a Base URL without a scheme or with a user in it before sending anything (%s)', async (mode) => {
		const noScheme = await testCredential(CommvaultApi, credential(mode, baseUrl.replace(/^http:\/\//, '')));
		expect(noScheme.status).toBe('Error');
		expect(noScheme.message).toMatch(/^The Commvault credential's Base URL must start with https:\/\/ \(or http:\/\/\)/);

		const withUser = await testCredential(CommvaultApi, credential(mode, baseUrl.replace('http://', 'http://admin:canary-in-url@')));
		expect(withUser.status).toBe('Error');
		expect(withUser.message).toMatch(/must not hold a user name or password/);
		expect(withUser.message).not.toContain('canary-in-url');

		const empty = await testCredential(CommvaultApi, credential(mode, '  '));
		expect(empty.message).toMatch(/^The Commvault credential has no Base URL/);
		expect(sim.requests).toEqual([]);
	});

	it('says what is missing when the Authtoken is empty', async () => {
		const outcome = await testCredential(CommvaultApi, credential('Authtoken', baseUrl, { authtoken: ' ' }));

		expect(outcome.message).toMatch(/^The Commvault credential has no Authtoken\./);
		expect(sim.requests).toEqual([]);
	});
});

describe('credential test against the SaaS gateway (no base path)', () => {
	let sim: CommvaultSimulator;

	afterEach(async () => {
		await sim.stop();
	});

	it.each(MODES)('passes with the bare host as Base URL (%s)', async (mode) => {
		sim = new CommvaultSimulator({ basePath: '/' });
		const root = await sim.start();
		const outcome = await testCredential(CommvaultApi, credential(mode, `${root}/`));

		expect(outcome.status).toBe('OK');
		expect(sim.requests.map((request) => request.fullPath)).toEqual(
			mode === 'Authtoken' ? ['/V4/PlanIds', '/V4/PlanIds'] : ['/Login', '/V4/PlanIds'],
		);
	});
});

describe('credential test when the host cannot be used', () => {
	async function startAndStop(options: SimulatorOptions = {}): Promise<string> {
		const gone = new CommvaultSimulator(options);
		const url = await gone.start();
		await gone.stop();
		return url;
	}

	it.each(MODES)('says the connection was refused, naming host and port (%s)', async (mode) => {
		const closed = await startAndStop();
		const outcome = await testCredential(CommvaultApi, credential(mode, closed));

		expect(outcome.status).toBe('Error');
		expect(outcome.message).toMatch(
			/^Could not reach Commvault: could not connect to 127\.0\.0\.1:\d+, the connection was refused: check the host and port in the Base URL and that Command Center is running$/,
		);
		expect(outcome.preAuthenticationCalls).toHaveLength(1);
		expectNoSecretsInTest(outcome, canaries());
	});

	it('says to use http:// when https:// meets a plain-HTTP port', async () => {
		// By name: n8n's helper sends the host as TLS server name, and an IP there is DEP0123.
		const plain = new CommvaultSimulator({ host: 'localhost' });
		const url = await plain.start();
		try {
			const outcome = await testCredential(CommvaultApi, credential('Authtoken', url.replace(/^http:/, 'https:')));
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toMatch(/did not answer with TLS .*start the Base URL with http:\/\//);
		} finally {
			await plain.stop();
		}
	});

	describe('with a self-signed certificate', () => {
		const sim = useSimulator({ tls: true });

		it.each(MODES)('suggests Ignore SSL Issues, and passes once it is on (%s)', async (mode) => {
			const baseUrl = sim.baseUrl;
			const strict = await testCredential(CommvaultApi, credential(mode, baseUrl));
			expect(strict.status).toBe('Error');
			expect(strict.message).toMatch(
				/^Could not reach Commvault: the TLS certificate of localhost:\d+ could not be verified \(DEPTH_ZERO_SELF_SIGNED_CERT\): install a trusted certificate on Command Center, or turn on "Ignore SSL Issues \(Insecure\)" in the credential$/,
			);
			expect(sim.requests).toEqual([]);
			expectNoSecretsInTest(strict, canaries(sim));

			const relaxed = await testCredential(CommvaultApi, credential(mode, baseUrl, { ignoreSslIssues: true }));
			expect(relaxed).toMatchObject({ status: 'OK', message: 'Connection successful!' });
			expect(sim.requests).toHaveLength(2);
			expectNoSecretsInTest(relaxed, canaries(sim));
		});
	});
});
