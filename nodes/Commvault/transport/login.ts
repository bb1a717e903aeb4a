import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper, IHttpRequestMethods } from 'n8n-workflow';

import { toBase64 } from '../helpers/encoding';
import { authtokenHeader } from '../helpers/authtoken';
import { credentialSecretForms, redactor } from '../helpers/secrets';
import { clean } from '../helpers/text';
import {
	AUTHTOKEN_CHECKED,
	authenticationMode,
	parseBaseUrl,
	passwordOf,
	sessionBinding,
	timeoutProblem,
	timeoutSecondsOf,
	usernameOf,
} from './connection';
import { CommvaultLoginError, failureInBody, messageInBody } from './errors';
import { exchange, redirectTarget, type Outcome } from './exchange';
import { haltOf, waitUnlessHalted } from './halt';
import {
	FIX_CREDENTIAL,
	SIGN_IN_UNAVAILABLE_ADVICE,
	RATE_LIMIT_ADVICE,
	authtokenNotAcceptedMessage,
	authtokenRefusedMessage,
	describeLostAnswer,
	describeOutcome,
	loginRefusedMessage,
	loginWithoutTokenMessage,
	SIGN_IN_HALTED,
	missingAuthtokenMessage,
	missingSignInFieldsMessage,
	noApiMessage,
	redirectAdvice,
	redirectMessage,
	signInFailedMessage,
	signInUnavailableMessage,
	unreachableMessage,
} from './messages';
import { RATE_LIMIT_ATTEMPTS, RATE_LIMIT_MAX_WAIT_SECONDS, RateLimitRetries, rateLimitStopMessage } from './rateLimit';

/** What preAuthentication stores: n8n keeps it with the credential until Commvault answers 401. */
export interface CommvaultSession {
	/** The login token in User Name and Password mode; a non-secret marker in Authtoken mode. */
	sessionToken: string;
	/** Which Base URL (and user) the token belongs to; see sessionBinding. */
	sessionFor: string;
}

/** The Authtoken check: in Commvault's OpenAPI document (so also on the SaaS gateway) and cheap. */
const AUTHTOKEN_CHECK_PATH = '/V4/PlanIds';

/** Tries of a sign-in request that Commvault could not answer (5xx, a dropped connection). */
const SIGN_IN_ATTEMPTS = 3;

/**
 * More than a sign-in can take: each of its tries and 429 retries waiting out the timeout and the
 * longest pause. A request that waits for the sign-in is bounded by it (see exchange).
 */
export function signInBoundSeconds(timeoutSeconds: number): number {
	return (SIGN_IN_ATTEMPTS + RATE_LIMIT_ATTEMPTS) * (timeoutSeconds + 1 + RATE_LIMIT_MAX_WAIT_SECONDS);
}

interface SignInCall {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	authtoken?: string;
}

type SignInAnswer =
	| { status: number; body: unknown }
	/** Commvault could not give a verdict: busy, rate limiting, no answer in time. */
	| { unavailable: string; rateLimited?: string };

function credentialProblem(message: string): CommvaultLoginError {
	return new CommvaultLoginError(message, FIX_CREDENTIAL);
}

function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const checked = parseBaseUrl(credentials.baseUrl);
	if ('problem' in checked) throw credentialProblem(checked.problem);
	const timeout = timeoutProblem(credentials);
	if (timeout) throw credentialProblem(timeout);
	return checked.baseUrl;
}

async function send(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
	call: SignInCall,
): Promise<Outcome> {
	return await exchange(async (options) => await helper.helpers.httpRequest(options), {
		method: call.method,
		url: `${baseUrl}${call.path}`,
		body: call.body,
		headers: call.authtoken ? { Authtoken: call.authtoken } : {},
		timeoutSeconds: timeoutSecondsOf(credentials),
		ignoreSslIssues: credentials.ignoreSslIssues === true,
		halt: haltOf(credentials),
	});
}

/** A pause between sign-in tries, ended (and the sign-in given up) when the run that asked for it halts. */
async function pause(credentials: ICredentialDataDecryptedObject, seconds: number): Promise<void> {
	if (await waitUnlessHalted(seconds * 1000, haltOf(credentials))) throw halted();
}

function halted(): CommvaultLoginError {
	return new CommvaultLoginError(SIGN_IN_HALTED, undefined, true);
}

/**
 * One request of the sign-in step, before the credential can authenticate anything: through
 * n8n's plain request helper (so n8n's proxy settings apply), with the credential's SSL switch
 * and timeout. Signing in changes nothing in Commvault, so what Commvault could not answer (5xx,
 * a dropped connection, 429) is tried again, a few times; what only the Base URL or the network
 * can explain becomes a CommvaultLoginError here.
 */
async function signInRequest(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
	call: SignInCall,
): Promise<SignInAnswer> {
	const described = `${call.method} ${call.path}`;
	const rateLimits = new RateLimitRetries();
	for (let attempt = 1; ; attempt++) {
		const outcome = await send(helper, credentials, baseUrl, call);
		if (outcome.kind === 'unreachable') throw credentialProblem(unreachableMessage(outcome.networkCode, baseUrl));
		if (outcome.kind === 'failure') throw credentialProblem(outcome.message);
		if (outcome.kind === 'notSent') throw halted();
		// The plain helper neither signs in nor rate-limits: only answers and lost answers remain.
		if (outcome.kind !== 'answer' && outcome.kind !== 'lost') throw credentialProblem(describeOutcome(outcome.kind));
		if (outcome.kind === 'lost') {
			const lost = describeLostAnswer(outcome.reason, timeoutSecondsOf(credentials));
			// A timeout already waited as long as the user allows for one answer.
			if (outcome.reason !== 'cut' || attempt >= SIGN_IN_ATTEMPTS) return { unavailable: `${described}: ${lost}` };
			await pause(credentials, attempt);
			continue;
		}
		const { status, body, headers } = outcome;
		if (status >= 300 && status < 400) {
			throw new CommvaultLoginError(redirectMessage(status, described, redirectTarget(headers, baseUrl)), redirectAdvice(baseUrl));
		}
		if (status === 429) {
			const decision = rateLimits.next(headers);
			if ('stop' in decision) {
				const message = rateLimitStopMessage(decision, body, 'sign-ins');
				return { unavailable: message, rateLimited: message };
			}
			await pause(credentials, decision.wait);
			attempt--;
			continue;
		}
		if (status >= 500) {
			if (attempt >= SIGN_IN_ATTEMPTS) return { unavailable: `${described} answered HTTP ${status}` };
			await pause(credentials, attempt);
			continue;
		}
		// A Commvault 404 carries a GenericResp; a web server's own 404 (wrong path) does not.
		if (status === 404 && messageInBody(body) === undefined) {
			throw credentialProblem(noApiMessage(baseUrl, described, status));
		}
		if (status < 300 && (typeof body !== 'object' || body === null || Array.isArray(body))) {
			// A 200 web page, e.g. the Command Center UI itself or a single sign-on portal.
			throw credentialProblem(noApiMessage(baseUrl, described, undefined));
		}
		return { status, body };
	}
}

function unavailable(answer: { unavailable: string; rateLimited?: string }): CommvaultLoginError {
	if (answer.rateLimited) return new CommvaultLoginError(answer.rateLimited, RATE_LIMIT_ADVICE, true);
	return new CommvaultLoginError(signInUnavailableMessage(answer.unavailable, SIGN_IN_ATTEMPTS), SIGN_IN_UNAVAILABLE_ADVICE, true);
}

/**
 * POST /Login as Commvault's own clients do it: the password goes as base64 of its UTF-8 bytes.
 * Failures become CommvaultLoginError with Commvault's message and never the password or token.
 */
export async function logInToCommvault(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<string> {
	const baseUrl = baseUrlOf(credentials);
	const username = usernameOf(credentials);
	const password = passwordOf(credentials);
	if (username === '' || password === '') throw credentialProblem(missingSignInFieldsMessage());

	const answer = await signInRequest(helper, credentials, baseUrl, {
		method: 'POST',
		path: '/Login',
		body: { username, password: toBase64(password) },
	});
	if ('unavailable' in answer) throw unavailable(answer);
	const { status, body } = answer;
	if (status === 401 || status === 403) throw credentialProblem(loginRefusedMessage(username, messageInBody(body)));
	if (status >= 300) throw credentialProblem(signInFailedMessage(status, messageInBody(body)));

	// Commvault reports a wrong password as HTTP 200 with an errList and no token.
	const refusal = failureInBody(body);
	if (refusal) throw credentialProblem(loginRefusedMessage(username, refusal.message));
	const token = (body as IDataObject).token;
	const cleaned = typeof token === 'string' ? clean(token) : '';
	if (cleaned === '') throw credentialProblem(loginWithoutTokenMessage(baseUrl));
	return cleaned;
}

/**
 * One authenticated call with the Authtoken as given, so that a wrong token, Base URL or
 * certificate is reported as such (by the credential's Test button too) instead of by n8n's
 * generic texts. Answers that say nothing about the credential (Commvault busy, rate limiting,
 * no answer in time) pass, since the request that follows reports them itself, but leave the
 * token unchecked: true only when Commvault accepted it. A 403 counts as accepted: Commvault
 * authenticated the token, only the user may not list plans, and checking again before every
 * request would not change that.
 */
export async function checkAuthtoken(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<boolean> {
	const baseUrl = baseUrlOf(credentials);
	const authtoken = authtokenHeader(credentials.authtoken);
	if (authtoken === '') throw credentialProblem(missingAuthtokenMessage());
	const answer = await signInRequest(helper, credentials, baseUrl, { method: 'GET', path: AUTHTOKEN_CHECK_PATH, authtoken });
	if ('unavailable' in answer) return false;
	const { status, body } = answer;
	if (status === 401) throw credentialProblem(authtokenRefusedMessage(messageInBody(body)));
	if (status >= 300) return status === 403;
	const refusal = failureInBody(body);
	if (refusal) throw credentialProblem(authtokenNotAcceptedMessage(refusal.message));
	return true;
}

/**
 * The credential's preAuthentication: sign in (User Name and Password) or check the Authtoken,
 * and return what n8n stores in the credential's hidden expirable field; nothing when the
 * Authtoken could not be checked, so that n8n checks it again before the next request.
 */
export async function startCommvaultSession(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<CommvaultSession | undefined> {
	try {
		return await signInOrCheck(helper, credentials);
	} catch (error) {
		throw withoutSecrets(error, credentials);
	}
}

/**
 * Commvault's refusals quote what they were sent (the password in an errList, the token in a
 * 401): every message of a sign-in is cleared of the credential's secrets before n8n shows it
 * in the Test dialog or in a node's error.
 */
function withoutSecrets(error: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	const failure = (error as Partial<CommvaultLoginError> | undefined)?.commvaultSignIn;
	if (!failure) return error;
	const redact = redactor(credentialSecretForms(credentials));
	const { message, description, transient } = failure;
	return new CommvaultLoginError(redact(message), description === undefined ? undefined : redact(description), transient);
}

async function signInOrCheck(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<CommvaultSession | undefined> {
	if (authenticationMode(credentials) === 'password') {
		const sessionToken = await logInToCommvault(helper, credentials);
		return { sessionToken, sessionFor: sessionBinding(credentials) };
	}
	if (!(await checkAuthtoken(helper, credentials))) return undefined;
	return { sessionToken: AUTHTOKEN_CHECKED, sessionFor: sessionBinding(credentials) };
}
