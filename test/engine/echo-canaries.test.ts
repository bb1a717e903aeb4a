/**
 * An echoing Commvault: every answer quotes every secret it was sent and every login token of
 * the run, in plain, base64, URL-encoded, form-encoded, hex and HTML-escaped forms, in each kind
 * of answer (200 success, 4xx JSON errorMessage, 200 errList, HTML page, 401), on every path: a
 * node's items, the plan picker, the sign-in of a run, and the credential's Test button. The
 * canaries search the same forms over everything n8n shows, stores or logs (issue 19, items 2,
 * 3 and 7). The secrets hold the characters each encoding changes: & < > " ' + space and non-ASCII.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { AZURE_APP_PFX_PASSWORD } from '../../testing/fixtures';
import { CommvaultSimulator, DEFAULT_PLANS, toPlanSummary, type RecordedRequest } from '../../testing/simulator';
import { testCredential } from '../../testing/engine/credential-test';
import { runListSearch } from '../../testing/engine/list-search';
import { expectNoSecrets, secretsOf, type Canary } from '../../testing/engine/support/canaries';
import { runCommvault } from '../../testing/engine/support/commvault';
import { PFX_BYTES, fullCreateParameters, pfxItem } from '../../testing/engine/support/create';
import { ANSWER_KINDS, CUSTOMERS, echoing, loginTokensOf, mspStore, quoteOf, type AnswerKind } from '../../testing/engine/support/echo';
import { expectNoSecretsInTest } from '../../testing/engine/support/login';

const PASSWORD = `canary-P&ss<wörd>"q'+ 2c9a`;
const AUTHTOKEN = `canary-Auth&tok<en>"q'+-9b1e`;
const APP_SECRET = `canary-Sécret&<App>"Key'+ 7d2e`;
const REFRESH = `canary-refresh&<0.AXk>"a'+b-9e1f`;

const sim = new CommvaultSimulator({ users: [{ username: 'admin', password: PASSWORD }], authtoken: AUTHTOKEN });

beforeAll(async () => {
	await sim.start();
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => sim.reset());

type Mode = 'password' | 'authtoken';
const MODES: Mode[] = ['password', 'authtoken'];

function credentialOf(mode: Mode): ICredentialDataDecryptedObject {
	return mode === 'password'
		? { baseUrl: sim.baseUrl, authentication: 'password', username: 'admin', password: PASSWORD }
		: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: AUTHTOKEN };
}

/** The credential's own secret for the mode: all a server could quote besides what a request carried. */
function credentialSecret(mode: Mode): string {
	return mode === 'password' ? PASSWORD : AUTHTOKEN;
}

/** Quotes what the request carried, the credential's secret, the item's typed secrets and every login token so far. */
function quote(mode: Mode, typed: string[] = []): (request: RecordedRequest) => string {
	return (request) => quoteOf(request, [credentialSecret(mode), ...typed, ...loginTokensOf(sim)]);
}

function canaries(): Canary[] {
	return [
		...secretsOf({ password: PASSWORD, authtoken: AUTHTOKEN, applicationSecret: APP_SECRET, certificatePassword: AZURE_APP_PFX_PASSWORD, refreshToken: REFRESH }),
		...secretsOf({ certificate: PFX_BYTES }),
		...loginTokensOf(sim).flatMap((token) => secretsOf({ loginToken: token })),
	];
}

/** Fails naming place and kind of secret if any canary is in the text of an error, searched deeply (stack, cause, context too). */
function expectNoSecretsIn(place: string, value: unknown): void {
	const text = JSON.stringify(value, (_key, entry: unknown) =>
		entry instanceof Error ? { ...entry, message: entry.message, stack: entry.stack, cause: (entry as { cause?: unknown }).cause } : entry,
	);
	expect(text.length).toBeGreaterThan(0);
	expect(canaries().filter((canary) => text.includes(canary.value)).map((canary) => `${canary.label} in ${place}`)).toEqual([]);
}

const TYPED_SECRETS = [APP_SECRET, REFRESH, AZURE_APP_PFX_PASSWORD];

function createdApp(request: RecordedRequest): IDataObject {
	const app = sim.app(String((request.body as IDataObject).name));
	return { id: app?.id, name: app?.name };
}

function planList(): IDataObject {
	return { plans: DEFAULT_PLANS.map(toPlanSummary), plansCount: DEFAULT_PLANS.length };
}

/** Where a credential's sign-in goes: /Login with a password, the Authtoken check otherwise. */
function signIn(mode: Mode): { method: string; path: string } {
	return mode === 'password' ? { method: 'POST', path: '/Login' } : { method: 'GET', path: '/V4/PlanIds' };
}

/**
 * Whether the user is shown what a refused sign-in quoted (redacted): not from a page, and not
 * in Authtoken mode from a 403, which only says the user may not list plans (the token passed).
 */
function signInQuoteShown(mode: Mode, kind: AnswerKind): boolean {
	return kind !== 'HTML page' && !(mode === 'authtoken' && kind === '4xx JSON errorMessage');
}

/** A sign-in answer has no 200 success to quote in: its success is the token. */
const SIGN_IN_KINDS = ANSWER_KINDS.filter((kind): kind is Exclude<AnswerKind, '200 success'> => kind !== '200 success');

describe.each(MODES)('an echoing Commvault, %s credential', (mode) => {
	it.each(ANSWER_KINDS)('node items: every create answered with a %s quoting everything', async (kind) => {
		sim.respondNext({ method: 'POST', path: '/v4/Dynamics365' }, echoing(kind, quote(mode, TYPED_SECRETS), createdApp), 10);
		const store = mspStore(sim.baseUrl, { acme: credentialOf(mode) });
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters({
				name: '={{ "Echo " + $json.n }}',
				applicationSecret: APP_SECRET,
				additionalFields: { refreshToken: REFRESH, certificateBinaryProperty: 'certificate', certificatePassword: AZURE_APP_PFX_PASSWORD },
			}),
			items: [pfxItem({ n: `${mode}-${kind}-1` }), pfxItem({ n: `${mode}-${kind}-2` })],
			continueOnFail: true,
			credentialsHelper: store,
			credentialIds: { commvaultApi: CUSTOMERS.acme },
		});

		expect(result.items).toHaveLength(2);
		expect(sim.requestsTo('POST', '/v4/Dynamics365').every((request) => request.scripted)).toBe(true);
		expect(JSON.stringify(result.items)).toContain('[redacted]');
		expectNoSecrets(result, canaries());
	});

	it.each(ANSWER_KINDS)('plan picker: the listing answered with a %s quoting everything', async (kind) => {
		sim.respondNext({ method: 'GET', path: '/V4/Plan/Summary' }, echoing(kind, quote(mode), planList), 5);
		const store = mspStore(sim.baseUrl, { acme: credentialOf(mode) });
		let outcome: unknown;
		try {
			outcome = await runListSearch({
				nodeType: Commvault,
				credentialTypes: [CommvaultApi],
				credentialsHelper: store,
				credentialIds: { commvaultApi: CUSTOMERS.acme },
				method: 'searchServerPlans',
				parameters: { resource: 'dynamics365App', operation: 'create' },
				path: 'parameters.serverPlan',
			});
		} catch (error) {
			outcome = error;
		}

		expect(sim.requestsTo('GET', '/V4/Plan/Summary').length).toBeGreaterThan(0);
		if (kind !== '200 success') {
			expect(outcome).toBeInstanceOf(Error);
			// The quote reached the error, without its secrets.
			expect(JSON.stringify({ message: (outcome as Error).message, description: (outcome as { description?: string }).description })).toContain('[redacted]');
		}
		expectNoSecretsIn('the picker', outcome);
	});

	it.each(SIGN_IN_KINDS)('sign-in of a run: answered with a %s quoting everything', async (kind) => {
		sim.respondNext(signIn(mode), echoing(kind, quote(mode), () => ({})), 5);
		const store = mspStore(sim.baseUrl, { acme: credentialOf(mode) });
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters({ name: `Echo sign-in ${mode} ${kind}` }),
			items: [pfxItem()],
			credentialsHelper: store,
			credentialIds: { commvaultApi: CUSTOMERS.acme },
		});

		expect(sim.requests.some((request) => request.scripted)).toBe(true);
		if (signInQuoteShown(mode, kind)) expect(result.error?.message).toContain('[redacted]');
		expectNoSecrets(result, canaries());
	});

	it.each(SIGN_IN_KINDS)('credential Test: the sign-in answered with a %s quoting everything', async (kind) => {
		sim.respondNext(signIn(mode), echoing(kind, quote(mode), () => ({})), 5);
		const outcome = await testCredential(CommvaultApi, credentialOf(mode), { id: CUSTOMERS.acme });

		expect(sim.requests.some((request) => request.scripted)).toBe(true);
		if (signInQuoteShown(mode, kind)) expect(outcome.message).toContain('[redacted]');
		expectNoSecretsInTest(outcome, canaries());
	});
});

it.each(ANSWER_KINDS)('credential Test, password credential: the test request after the sign-in answered with a %s quoting the new login token and everything', async (kind) => {
	sim.respondNext({ method: 'GET', path: '/V4/PlanIds' }, echoing(kind, quote('password'), planList));
	const outcome = await testCredential(CommvaultApi, credentialOf('password'), { id: CUSTOMERS.acme });

	// (A 401 there makes n8n sign in once more and send the test request again.)
	expect(sim.requests.slice(0, 2).map((request) => `${request.method} ${request.path} ${request.scripted}`)).toEqual(['POST /Login false', 'GET /V4/PlanIds true']);
	expect(loginTokensOf(sim).length).toBeGreaterThan(0);
	expectNoSecretsInTest(outcome, canaries());
});

it('the quote really holds every form the canaries search (so the cases above can fail)', () => {
	const request = { headers: {}, body: undefined } as unknown as RecordedRequest;
	const text = quoteOf(request, [PASSWORD, AUTHTOKEN, APP_SECRET, REFRESH, AZURE_APP_PFX_PASSWORD]);
	const searched = secretsOf({ password: PASSWORD, authtoken: AUTHTOKEN, applicationSecret: APP_SECRET, refreshToken: REFRESH, certificatePassword: AZURE_APP_PFX_PASSWORD });
	expect(searched.length).toBeGreaterThan(50);
	expect(searched.filter((canary) => !text.includes(canary.value)).map((canary) => canary.label)).toEqual([]);
});
