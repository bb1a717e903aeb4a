/**
 * Secret canaries for Create inside n8n's engine: no Authtoken, password, login token,
 * application secret, certificate, certificate password or refresh token (nor their base64) in
 * output items, errors or log lines, even when Commvault echoes them back in an error.
 * (Every test in create-*.test.ts and ssl.test.ts runs the same check on its own path.)
 */
import { AZURE_APP_PFX_PASSWORD } from '../../testing/fixtures';
import { CommvaultErrors, DEFAULT_AUTHTOKEN, DEFAULT_USER, type ScriptedResponse } from '../../testing/simulator';
import type { RunNodeResult } from '../../testing/engine/run';
import { expectNoSecrets, secretsOf } from '../../testing/engine/support/canaries';
import { runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { APPLICATION_SECRET, CREATE_CANARIES, PFX_BYTES, REFRESH_TOKEN } from '../../testing/engine/support/create';
import { createParameters, fullCreateParameters, pfxItem } from '../../testing/engine/support/create';
import { echoingAuthtoken, loginCanaries } from '../../testing/engine/support/login';

const sim = useSimulator();
const CREATE = { method: 'POST', path: '/v4/Dynamics365' };
const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A Commvault error text quoting every secret of the request, as a careless server might. */
function echoOf(credentialSecret: string): string {
	return [
		`applicationSecret '${APPLICATION_SECRET}' (${base64(APPLICATION_SECRET)}) was rejected`,
		`refresh token ${REFRESH_TOKEN}`,
		`password ${AZURE_APP_PFX_PASSWORD} / ${base64(AZURE_APP_PFX_PASSWORD)}`,
		`credential ${credentialSecret} / ${base64(credentialSecret)}`,
		`certificate ${PFX_BYTES.toString('base64')}`,
	].join('; ');
}
const ECHOED = echoOf(`QSDK ${DEFAULT_AUTHTOKEN}`);

describe('the canary check itself', () => {
	it('catches a secret that reaches an output item in a real run', async () => {
		// Commvault answers with the name it was given; make that name the secret.
		const result = await runCommvault(sim, { parameters: createParameters({ name: APPLICATION_SECRET }) });

		// The node redacts the echo (see below), so the leak is planted in the real run's output.
		expect(result.items[0].json.name).toBe('[redacted]');
		expect(() => expectNoSecrets(result, CREATE_CANARIES)).not.toThrow();
		result.items[0].json.name = APPLICATION_SECRET;
		expect(() => expectNoSecrets(result, CREATE_CANARIES)).toThrow(/applicationSecret in output items/);
	});

	it.each([
		['a log line', { logs: ['[debug] x', `[error] ${REFRESH_TOKEN}`] }, /refreshToken in log line 1/],
		['an error description', { error: { message: 'm', description: base64(APPLICATION_SECRET) } }, /node error description/],
		['a nested error field', { error: { message: 'm', context: { data: { t: DEFAULT_AUTHTOKEN } } } }, /node error \(serialized\)/],
		['the execution error', { run: { data: { resultData: { error: { message: `x${PFX_BYTES.toString('base64')}x` } } } } }, /certificate.*execution error message/],
	])('catches a secret in %s', (_where, leak, expected) => {
		const result = { items: [], logs: [], ...leak } as unknown as RunNodeResult;
		expect(() => expectNoSecrets(result, CREATE_CANARIES)).toThrow(expected);
	});

	it('refuses to check against no canaries', () => {
		expect(() => expectNoSecrets({ items: [], logs: [] } as unknown as RunNodeResult, [])).toThrow(/no canaries/);
	});
});

describe('Commvault echoes the secrets in its error', () => {
	it.each<[string, ScriptedResponse]>([
		['HTTP 400 GenericResp', CommvaultErrors.generic(400, 2, ECHOED)],
		['HTTP 500 GenericResp', CommvaultErrors.generic(500, 2, ECHOED)],
		['HTTP 200 errList', CommvaultErrors.errListIn200(2, ECHOED)],
		['HTTP 200 error object', CommvaultErrors.errorObjectIn200(2, ECHOED)],
		['HTTP 400 with a text body', { status: 400, body: ECHOED }],
	])('%s: the item fails with the rest of the message and none of the secrets', async (_shape, response) => {
		sim.respondNext(CREATE, response);
		const result = await runCommvault(sim, { parameters: fullCreateParameters(), items: [pfxItem()] });

		expect(result.status).toBe('error');
		expectNoSecrets(result, CREATE_CANARIES);
		if (typeof response.body !== 'string') {
			expect(result.error?.message).toContain('was rejected');
			expect(result.error?.message).toContain('[redacted]');
		}
	});

	it('with Continue On Fail: the {error} item holds no secret either', async () => {
		sim.respondNext(CREATE, CommvaultErrors.generic(400, 2, ECHOED));
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters(),
			items: [pfxItem()],
			continueOnFail: true,
		});

		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.error).toEqual(expect.stringContaining('was rejected'));
		expectNoSecrets(result, CREATE_CANARIES);
	});
});

describe('Secret Encoding "Already Base64"', () => {
	it('redacts the decoded secrets and the trimmed values sent when Commvault echoes them', async () => {
		const secret = base64(APPLICATION_SECRET);
		const password = base64(AZURE_APP_PFX_PASSWORD);
		const parameters = fullCreateParameters({ applicationSecret: `  ${secret}\n`, options: { secretEncoding: 'base64' } });
		(parameters.additionalFields as Record<string, unknown>).certificatePassword = ` ${password} `;
		sim.respondNext(
			CREATE,
			CommvaultErrors.generic(400, 2, `secret ${APPLICATION_SECRET} (${secret}) and password ${AZURE_APP_PFX_PASSWORD} (${password}) were rejected`),
		);
		const result = await runCommvault(sim, { parameters, items: [pfxItem()] });

		const [sent] = sim.requestsTo('POST', '/v4/Dynamics365');
		expect(sent.body).toMatchObject({ azureApp: { applicationSecret: secret, certificatePassword: password } });
		expect(result.error?.message).toBe('secret [redacted] ([redacted]) and password [redacted] ([redacted]) were rejected');
		expectNoSecrets(result, CREATE_CANARIES);
	});
});

describe('User Name and Password sign-in', () => {
	const credentials = { authentication: 'password', username: DEFAULT_USER.username, password: DEFAULT_USER.password };

	/** The login tokens the simulator handed out in this test. */
	function issuedTokens(): string[] {
		return sim
			.requestsTo('POST', '/Login')
			.map((r) => (r.responseBody as { token?: string } | undefined)?.token)
			.filter((token): token is string => typeof token === 'string')
			.flatMap((token) => [token, token.replace(/^QSDK /, '')]);
	}

	it.each<[string, ScriptedResponse | undefined]>([
		['a successful create', undefined],
		['a 409', CommvaultErrors.duplicateName()],
		['a 500 echoing the secrets and the password', CommvaultErrors.generic(500, 2, echoOf(DEFAULT_USER.password))],
	])('leaks neither the password nor the login token on %s', async (_what, response) => {
		if (response) sim.respondNext(CREATE, response);
		const result = await runCommvault(sim, { parameters: fullCreateParameters(), items: [pfxItem()], credentials });

		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(1);
		const tokens = issuedTokens();
		expect(tokens.length).toBeGreaterThan(0);
		expectNoSecrets(result, [
			...CREATE_CANARIES,
			...secretsOf({ password: DEFAULT_USER.password }),
			...tokens.map((value) => ({ label: 'login token', value })),
		]);
	});
});

describe('tokens in every form', () => {
	const PASSWORD_MODE = { authentication: 'password', username: DEFAULT_USER.username, password: DEFAULT_USER.password };

	/** The item failed with Commvault's message, its token replaced. */
	function expectTokenRedacted(result: RunNodeResult): void {
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Session \[redacted\] \(sent as "(QSDK )?\[redacted\]"\) may not do this\.$/);
		expectNoSecrets(result, [...CREATE_CANARIES, ...loginCanaries(sim)]);
	}

	it.each([
		['with the QSDK prefix', `QSDK ${DEFAULT_AUTHTOKEN}`],
		['as Command Center shows it', DEFAULT_AUTHTOKEN],
		['with spaces around it', `  QSDK ${DEFAULT_AUTHTOKEN} `],
	])('an Authtoken pasted %s is redacted when Commvault echoes it bare or as sent', async (_how, authtoken) => {
		sim.respondNext(CREATE, echoingAuthtoken(sim));
		const result = await runCommvault(sim, { parameters: createParameters(), credentials: { authtoken } });

		expectTokenRedacted(result);
	});

	it('a login token issued by the first sign-in of this run is redacted', async () => {
		sim.respondNext(CREATE, echoingAuthtoken(sim));
		const result = await runCommvault(sim, { parameters: createParameters(), credentials: PASSWORD_MODE });

		expect(sim.requestsTo('POST', '/Login')).toHaveLength(1);
		expectTokenRedacted(result);
	});

	it('a login token issued by signing in again after a 401 in this run is redacted', async () => {
		const first = await runCommvault(sim, { parameters: createParameters({ name: 'First' }), credentials: PASSWORD_MODE });
		expect(first.error).toBeUndefined();
		// The stored token is refused once (so the node has n8n sign in again), then Commvault echoes the new one.
		sim.respondNext(CREATE, { status: 401, body: { errorCode: 1, errorMessage: 'Unauthorized' } });
		sim.respondNext(CREATE, echoingAuthtoken(sim));
		const result = await runCommvault(sim, { parameters: createParameters(), credentials: first.storedCredentials.commvaultApi });

		const logins = sim.requestsTo('POST', '/Login');
		expect(logins).toHaveLength(2);
		expect(sim.lastRequest?.headers.authtoken).toBe((logins[1].responseBody as { token: string }).token);
		expect(result.preAuthenticationCalls.map((call) => call.refreshed)).toEqual([true]);
		expectTokenRedacted(result);
	});
});
