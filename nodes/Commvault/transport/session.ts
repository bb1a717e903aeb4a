import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IPollFunctions,
	NodeApiError,
} from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { operationError } from '../helpers/errors';
import { SecretFormCache, credentialSecretValues, redactor } from '../helpers/secrets';
import { hasSession, parseBaseUrl, sameEditableFields, sessionBinding, timeoutProblem, timeoutSecondsOf } from './connection';
import { exchange, type Outcome, type SignInFailure } from './exchange';
import { messageInBody, nextAuthentication, takeSignInFailure } from './errors';
import { Halt, haltWith, unlessHalted, waitUnlessHalted, type HaltReason } from './halt';
import { signInBoundSeconds } from './login';
import { REFUSED_AFTER_SIGN_IN, credentialRefusedMessage } from './messages';
import { RateLimitRetries } from './rateLimit';
import type { Success } from './answers';
import { verdictOf, signInError, type CallFacts } from './verdict';

export type CommvaultContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface CommvaultRequest<T extends IDataObject = IDataObject> {
	method: IHttpRequestMethods;
	/** Spelled as Commvault's OpenAPI document spells it, e.g. `/v4/Dynamics365`. */
	path: string;
	/** Query parameters (paging, search), as the schema names them. */
	query?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** What counts as done: Commvault's schema for the success of this call, declared by the operation. */
	success: Success<T>;
	/**
	 * What Commvault may have done when the answer is lost, e.g. `created the Dynamics 365 app
	 * "Contoso"`; set on every call that changes something in Commvault.
	 */
	mayHaveDone?: string;
	/** Secret values in the body (as sent), kept out of every answer, output and error. */
	secrets?: string[];
	/**
	 * The company Commvault runs the call for (its tenant operator), sent as the header
	 * `operatorCompanyId`. Set by `actingFor`, never by an operation: one item's requests all carry it.
	 */
	operatorCompanyId?: number;
}

/** What sends a call: the connection itself, or its view for one company (`actingFor`). */
export interface CommvaultRequester {
	request<T extends IDataObject>(request: CommvaultRequest<T>): Promise<T>;
	/** Waits between requests (a job poll), ended at once when the run halts: true when it did. */
	waitUnlessHalted(ms: number): Promise<boolean>;
}

/** The header that makes Commvault run a call as a company's tenant operator (API.md). */
export const OPERATOR_COMPANY_HEADER = 'operatorCompanyId';

/**
 * One execution's way out to Commvault, shared by its items (and so by concurrent requests):
 * the credential read for each request (an edit takes effect for the next one), one sign-in at a
 * time, the run's requests stopped after a refused sign-in until the credential is edited, and
 * 429 waits taken by every request together. It lives as long as the run; nothing of it outlives
 * the execution (queue-mode workers share only what n8n stores with the credential).
 */
export class CommvaultConnection {
	/**
	 * Until the sign-in a request carries is done (its token stored in the run's credential
	 * data); the others that would sign in as the same (signInKey) wait for it.
	 */
	private signingIn?: { key: string; done: Promise<unknown> };

	/** The whole exchange of that request: a 401 seen meanwhile may be its refusal, not an expiry. */
	private signInAttempt?: Promise<Outcome>;

	/** A refused sign-in, with what it signed in as: it decides only for the credential as it was then. */
	private refusal?: { key: string; failure: SignInFailure };

	private pausedUntil = 0;

	private waitedSeconds = 0;

	private readonly sentSecrets = new Map<number, string[]>();

	/** Every secret's forms, worked out once per run. */
	private readonly forms = new SecretFormCache();

	/**
	 * Every secret value the run's credential data held: a 401 empties the login token, a new
	 * sign-in or an edit replaces a value, and an answer may still quote the one of before.
	 */
	private readonly secretsSeen = new Set<unknown>();

	private baseUrl?: { raw: unknown; checked: ReturnType<typeof parseBaseUrl> };

	/** The credential data every request sends with now (credentials, resolved). */
	private data?: ICredentialDataDecryptedObject;

	/** Credential reads started so far, and the number of the newest one `data` is known to be as of. */
	private reads = 0;

	private dataAsOf = 0;

	/** Read once: n8n's getNode() deep-copies the node on every call. */
	private readonly credentialId: string;

	/** Once the run sends nothing more: every wait ends, and no request that has not left ever does. */
	private readonly halted = new Halt();

	constructor(private readonly context: CommvaultContext) {
		this.credentialId = context.getNode().credentials?.commvaultApi?.id ?? '';
		const cancelled = 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal?.() : undefined;
		if (cancelled?.aborted) this.halt('cancelled');
		cancelled?.addEventListener('abort', () => this.halt('cancelled'), { once: true });
	}

	/**
	 * The run sends nothing more (it stopped at a failed item, it is over, or its execution was
	 * cancelled): requests still waiting (for a sign-in, a 429 pause) are not sent, ever; those
	 * already out are still answered.
	 */
	halt(reason: HaltReason = 'stopped'): void {
		this.halted.halt(reason);
	}

	/**
	 * The connection as one item (or one poll, one picker) uses it: every request through the view
	 * carries `operatorCompanyId` for that company, whatever the caller put in it; without a
	 * company, none. The company lives in the view only, never in the connection or the credential
	 * data: the sign-in stays the MSP's and is shared, and no other request can pick the company up.
	 */
	actingFor(companyId: number | undefined): CommvaultRequester {
		return {
			request: async <T extends IDataObject>(request: CommvaultRequest<T>): Promise<T> =>
				await this.request({ ...request, operatorCompanyId: companyId }),
			waitUnlessHalted: async (ms: number): Promise<boolean> => await this.waitUnlessHalted(ms),
		};
	}

	/**
	 * Waits `ms` between requests (a job poll), ended at once when the run halts: true when it
	 * did. The request after it then is never sent.
	 */
	async waitUnlessHalted(ms: number): Promise<boolean> {
		return await waitUnlessHalted(ms, this.halted);
	}

	/** Sends one call and returns Commvault's success answer, or throws the error that says what happened. */
	async request<T extends IDataObject>(request: CommvaultRequest<T>): Promise<T> {
		const credentials = await this.currentCredentials(request.itemIndex);
		const checked = this.apiRoot(credentials.baseUrl);
		if ('problem' in checked) throw this.credentialProblem(checked.problem, request.itemIndex);
		const timeout = timeoutProblem(credentials);
		if (timeout) throw this.credentialProblem(timeout, request.itemIndex);
		if (request.itemIndex !== undefined && request.secrets?.length) {
			this.sentSecrets.set(request.itemIndex, [...this.secretsSentFor(request.itemIndex), ...request.secrets]);
		}
		// The secrets as they were when the request left (a re-login may replace the token on the
		// way), in every form only when an answer is quoted: most answers never need them.
		const sentWith = credentialSecretValues(credentials);
		const sent = await this.send(request, credentials);
		const facts: CallFacts<T> = {
			node: () => this.context.getNode(),
			request,
			baseUrl: sent.baseUrl ?? checked.baseUrl,
			timeoutSeconds: timeoutSecondsOf(sent.credentials),
			secrets: () => [...this.knownSecrets(), ...this.forms.of(sentWith), ...this.forms.of(request.secrets ?? [])],
		};
		return verdictOf(facts, sent.outcome);
	}

	private credentialProblem(message: string, itemIndex: number | undefined): Error {
		return operationError(this.context.getNode(), { message, itemIndex });
	}

	/** The Base URL worked out once per run (again only if a stored credential brings another). */
	private apiRoot(raw: unknown): ReturnType<typeof parseBaseUrl> {
		if (this.baseUrl && this.baseUrl.raw === raw) return this.baseUrl.checked;
		const checked = parseBaseUrl(raw);
		this.baseUrl = { raw, checked };
		return checked;
	}

	/** The body secrets the node sent for an item, so its output and errors can be kept clean of them. */
	secretsSentFor(itemIndex: number): string[] {
		return this.sentSecrets.get(itemIndex) ?? [];
	}

	/** An item is done: its certificate and secrets need not be held any longer. */
	forget(itemIndex: number): void {
		this.sentSecrets.delete(itemIndex);
	}

	/**
	 * The credential's secrets as they are now and every login token of the run, in every form
	 * Commvault could echo them.
	 */
	async credentialSecrets(): Promise<string[]> {
		try {
			// Read only when no request has: the secrets of an edit no request read were never sent.
			if (!this.data) await this.currentCredentials();
		} catch {
			// Without a credential nothing more was sent than the tokens already known.
		}
		return this.knownSecrets();
	}

	private knownSecrets(): string[] {
		if (this.data) this.noteSecrets(this.data);
		return this.forms.of([...this.secretsSeen]);
	}

	/** Keeps the secrets this credential data holds now, so that they stay redacted after they are replaced. */
	private noteSecrets(credentials: ICredentialDataDecryptedObject): void {
		for (const value of credentialSecretValues(credentials)) this.secretsSeen.add(value);
	}

	/**
	 * The error of the refused sign-in that ended this run's requests, for an item that never sent
	 * one; none once the credential was edited since (read only when a sign-in was refused).
	 */
	async refusedSignIn(itemIndex: number): Promise<NodeApiError | undefined> {
		if (!this.refusal) return undefined;
		const failure = this.refusalFor(await this.currentCredentials(itemIndex));
		return failure ? signInError(this.context.getNode(), failure, itemIndex) : undefined;
	}

	private refusalFor(credentials: ICredentialDataDecryptedObject): SignInFailure | undefined {
		return this.refusal?.key === this.signInKeyOf(credentials) ? this.refusal.failure : undefined;
	}

	private refuse(key: string, failure: SignInFailure): SignInFailure {
		if (this.refusal?.key !== key) this.refusal = { key, failure };
		return this.refusal.failure;
	}

	private signInKeyOf(credentials: ICredentialDataDecryptedObject): string {
		return `${this.credentialId} ${signInKey(credentials)}`;
	}

	/**
	 * The credential as n8n stores it now, read once per request (in n8n a database read and a
	 * decryption, as its HTTP Request node makes per item). While no editable field changed, the
	 * run's own data is used: n8n's helper wrote the run's login token into that very object, and
	 * requests under way share its sign-in. After an edit the stored data is used from this
	 * request on, whose token is bound to its Base URL and user (sessionBinding). A read that
	 * started before the one `data` is as of cannot take the run back to older values.
	 */
	private async currentCredentials(itemIndex?: number): Promise<ICredentialDataDecryptedObject> {
		const read = ++this.reads;
		const stored = await this.readCredentials(itemIndex);
		if (this.data && (read < this.dataAsOf || sameEditableFields(this.data, stored))) {
			this.dataAsOf = Math.max(this.dataAsOf, read);
			return this.data;
		}
		return this.use(stored, read);
	}

	/** The credential as n8n stores it now, wholly: another execution may have stored a new login token. */
	private async readStoredCredentials(): Promise<ICredentialDataDecryptedObject> {
		const read = ++this.reads;
		const stored = await this.readCredentials();
		return this.data && read < this.dataAsOf ? this.data : this.use(stored, read);
	}

	private use(credentials: ICredentialDataDecryptedObject, read: number): ICredentialDataDecryptedObject {
		this.data = credentials;
		this.dataAsOf = read;
		this.noteSecrets(credentials);
		return credentials;
	}

	private async readCredentials(itemIndex?: number): Promise<ICredentialDataDecryptedObject> {
		try {
			return await this.context.getCredentials('commvaultApi');
		} catch (error) {
			throw operationError(this.context.getNode(), { message: (error as Error).message, itemIndex }, error as Error);
		}
	}

	/**
	 * Sends until there is an outcome to judge. Each try takes the credential as it is then, its
	 * Base URL with its token: after an edit a token never goes to the host of before.
	 */
	private async send(request: CommvaultRequest, first: ICredentialDataDecryptedObject): Promise<Sent> {
		const rateLimits = new RateLimitRetries();
		let signedInAgain = false;
		let credentials = first;
		let baseUrl: string | undefined;
		const sent = (outcome: Outcome): Sent => ({ outcome, baseUrl, credentials });
		const halt = this.halted;
		for (;;) {
			if (halt.reason) return sent({ kind: 'notSent', reason: halt.reason });
			// From here to exchange() nothing awaits, so only one request at a time can claim the sign-in.
			credentials = this.data ?? first;
			const key = this.signInKeyOf(credentials);
			const wait = this.waitBeforeSending(key);
			if (wait) {
				await unlessHalted(wait, halt);
				continue;
			}
			const refused = this.refusalFor(credentials);
			if (refused) return sent({ kind: 'signIn', failure: refused });
			const checked = this.apiRoot(credentials.baseUrl);
			if ('problem' in checked) return sent({ kind: 'failure', message: checked.problem });
			baseUrl = checked.baseUrl;
			if (!hasSession(credentials)) credentials.sessionToken = '';
			const signsIn = credentials.sessionToken === '';
			const elsewhere = signsIn ? signInsUnderWay.get(key) : undefined;
			if (elsewhere) {
				// Another execution of this process is signing in: take its refusal, or the token it stores.
				const theirs = await unlessHalted(elsewhere, halt);
				if (halt.reason) continue;
				if (theirs?.kind === 'signIn' && !theirs.failure.transient) {
					this.refuse(key, theirs.failure);
					return sent(theirs);
				}
				await this.readStoredCredentials();
				continue;
			}
			const tokenSent = credentials.sessionToken;
			const attempt = this.exchange(request, credentials, baseUrl);
			if (signsIn) this.holdSignIn(attempt, key, credentials);
			const outcome = await attempt;
			this.noteSecrets(credentials);

			if (outcome.kind === 'signIn') {
				if (!outcome.failure.transient) this.refuse(key, outcome.failure);
				return sent(outcome);
			}
			if (outcome.kind === 'answer' && outcome.status === 401) {
				// The request that signed in has not had its own answer: a 401 to it ends the run, not a re-login.
				if (!signsIn && this.signInAttempt) {
					await unlessHalted(this.signInAttempt, halt);
					continue;
				}
				// Another request signed in again while this one was out: send it with the new token.
				if (!signsIn && (this.data ?? credentials).sessionToken !== tokenSent) continue;
				if ((signsIn && hasSession(credentials)) || signedInAgain) {
					const failure = this.refusalFor(credentials) ?? this.refuse(key, refusedAfterSignIn(outcome, redactor(this.knownSecrets())));
					return sent({ kind: 'signIn', failure });
				}
				signedInAgain = true;
				// Another execution may have signed in again already and stored its token.
				const stored = await this.readStoredCredentials();
				if (hasSession(stored) && stored.sessionToken !== tokenSent) continue;
				// A 401 means Commvault did nothing: the token expired. n8n signs in again before the next send.
				stored.sessionToken = '';
				continue;
			}
			if (outcome.kind === 'answer' && outcome.status === 429) {
				const decision = rateLimits.next(outcome.headers, this.waitedSeconds);
				if ('stop' in decision) return sent({ kind: 'rateLimited', stop: decision, body: outcome.body });
				this.pause(decision.wait);
				continue;
			}
			return sent(outcome);
		}
	}

	private async exchange(request: CommvaultRequest, credentials: ICredentialDataDecryptedObject, baseUrl: string): Promise<Outcome> {
		const context = this.context;
		const timeoutSeconds = timeoutSecondsOf(credentials);
		// n8n runs the sign-in with this very credential data: it must stop when the run halts.
		haltWith(credentials, this.halted);
		return await exchange(
			async (options) =>
				await context.helpers.httpRequestWithAuthentication.call(context, 'commvaultApi', options, {
					credentialsDecrypted: { id: '', name: '', type: 'commvaultApi', data: credentials },
				}),
			{
				method: request.method,
				url: `${baseUrl}${request.path}`,
				body: request.body,
				qs: request.query,
				...(request.operatorCompanyId === undefined ? {} : { headers: { [OPERATOR_COMPANY_HEADER]: String(request.operatorCompanyId) } }),
				timeoutSeconds,
				ignoreSslIssues: credentials.ignoreSslIssues === true,
				halt: this.halted,
				leavesOnAuthentication: { backstopSeconds: signInBoundSeconds(timeoutSeconds) },
				signInFailure: () => {
					const failure = takeSignInFailure(credentials);
					return failure ? { kind: 'signIn', failure } : undefined;
				},
			},
		);
	}

	/**
	 * The others wait until the sign-in is done, not for the signing-in request's own answer: one
	 * round trip less before a batch gets going.
	 */
	private holdSignIn(attempt: Promise<Outcome>, key: string, credentials: ICredentialDataDecryptedObject): void {
		const done = signInDone(attempt, credentials);
		this.signingIn = { key, done };
		this.signInAttempt = attempt;
		signInsUnderWay.set(key, done);
		const releaseSignIn = (): void => {
			if (this.signingIn?.done === done) this.signingIn = undefined;
			if (signInsUnderWay.get(key) === done) signInsUnderWay.delete(key);
		};
		const releaseAttempt = (): void => {
			if (this.signInAttempt === attempt) this.signInAttempt = undefined;
		};
		done.then(releaseSignIn, releaseSignIn);
		attempt.then(releaseAttempt, releaseAttempt);
	}

	/**
	 * What a request must wait for before it goes out: a sign-in under way as the same user with
	 * the same secret (one with values edited since decides nothing for it), or a 429 pause.
	 * Returned, not awaited, so that the caller's last check and its claim of the sign-in happen
	 * with nothing in between.
	 */
	private waitBeforeSending(key: string): Promise<unknown> | undefined {
		if (this.signingIn?.key === key) return this.signingIn.done.catch(() => undefined);
		const pause = this.pausedUntil - Date.now();
		// Ended by the run's halt, on a timer that never keeps n8n's process alive.
		return pause > 0 ? waitUnlessHalted(pause, this.halted) : undefined;
	}

	/** A 429 pauses the whole run, not only the request that got it: the others would only be refused too. */
	private pause(seconds: number): void {
		const until = Date.now() + seconds * 1000;
		if (until > this.pausedUntil) {
			this.waitedSeconds += (until - Math.max(this.pausedUntil, Date.now())) / 1000;
			this.pausedUntil = until;
		}
	}
}

/**
 * The one thing this package keeps outside an execution, on purpose: the sign-ins under way in
 * this process (a queue-mode worker runs many executions at once), keyed by credential and what it
 * signs in as. It holds only the promise of a sign-in while it runs and drops it when it settles;
 * never a token, an answer or anything an execution could read stale. An execution that would
 * sign in while another one does waits for it and then reads the token n8n stored, so a worker
 * opens one Commvault session, not one per execution. Across workers nothing depends on it.
 */
const signInsUnderWay = new Map<string, Promise<Outcome | undefined>>();

/**
 * Settles with the request's outcome if it ends before its sign-in is known to be done, else
 * with nothing as soon as n8n authenticates it with a session (another request's authenticate
 * on the same data, sent without one, does not count).
 */
async function signInDone(attempt: Promise<Outcome>, credentials: ICredentialDataDecryptedObject): Promise<Outcome | undefined> {
	const settled = attempt.then(
		(outcome) => ({ outcome }),
		() => ({ outcome: undefined }),
	);
	for (;;) {
		const first = await Promise.race([settled, nextAuthentication(credentials).then(() => undefined)]);
		if (first) return first.outcome;
		if (hasSession(credentials)) return undefined;
	}
}

/**
 * What a sign-in signs in as: the credential's binding and a digest of its password or
 * Authtoken, so that a sign-in still under way with the old values never decides for an edited
 * credential. A digest, not the secret: the key must not hold it.
 */
function signInKey(credentials: ICredentialDataDecryptedObject): string {
	const secret = JSON.stringify([credentials.password ?? '', credentials.authtoken ?? '']);
	return `${sessionBinding(credentials)} ${createHash('sha256').update(secret).digest('hex')}`;
}

/** A send's outcome, with the Base URL and credential data of its last try. */
interface Sent {
	outcome: Outcome;
	baseUrl?: string;
	credentials: ICredentialDataDecryptedObject;
}

function refusedAfterSignIn(outcome: Extract<Outcome, { kind: 'answer' }>, redact: (text: string) => string): SignInFailure {
	return { message: redact(credentialRefusedMessage(messageInBody(outcome.body))), description: REFUSED_AFTER_SIGN_IN, transient: false };
}
