import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestMethods,
} from 'n8n-workflow';

import { toBase64 } from '../helpers/encoding';
import { AUTHTOKEN_CHECKED, authenticationMode, authtokenHeader, parseBaseUrl, sessionBinding, usernameOf } from './connection';
import { CommvaultLoginError, failureInBody, httpFailureOf, messageInBody, type HttpFailure } from './errors';
import {
	CHECK_AUTHTOKEN,
	CHECK_USER_AND_PASSWORD,
	FIX_CREDENTIAL,
	authtokenRefusedMessage,
	loginRefusedMessage,
	noApiMessage,
	sentence,
	unreachableMessage,
} from './messages';
import { RATE_LIMIT_ATTEMPTS, retryingRateLimits } from './rateLimit';

/** What preAuthentication stores: n8n keeps it with the credential until Commvault answers 401. */
export interface CommvaultSession {
	/** The login token in User Name and Password mode; a non-secret marker in Authtoken mode. */
	sessionToken: string;
	/** Which Base URL (and user) the token belongs to; see sessionBinding. */
	sessionFor: string;
}

/** The Authtoken check: in Commvault's OpenAPI document (so also on the SaaS gateway) and cheap. */
const AUTHTOKEN_CHECK_PATH = '/V4/PlanIds';

interface SignInCall {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	authtoken?: string;
}

interface SignInAnswer {
	/** A JSON answer with a 2xx status. */
	response?: unknown;
	/** An HTTP error status from the API; what it means is for the caller to say. */
	failure?: HttpFailure;
}

function credentialProblem(message: string): CommvaultLoginError {
	return new CommvaultLoginError(message, FIX_CREDENTIAL);
}

function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const checked = parseBaseUrl(credentials.baseUrl);
	if ('problem' in checked) throw credentialProblem(checked.problem);
	return checked.baseUrl;
}

async function exchange(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
	call: SignInCall,
): Promise<SignInAnswer> {
	const headers: IDataObject = { Accept: 'application/json' };
	if (call.authtoken) headers.Authtoken = call.authtoken;
	try {
		return {
			response: await helper.helpers.httpRequest({
				method: call.method,
				url: `${baseUrl}${call.path}`,
				body: call.body,
				headers,
				json: true,
				skipSslCertificateValidation: credentials.ignoreSslIssues === true,
			}),
		};
	} catch (error) {
		return { failure: httpFailureOf(error) };
	}
}

/**
 * One request of the sign-in step, before the credential can authenticate anything: through
 * n8n's plain request helper (so n8n's proxy settings apply), with the credential's SSL switch,
 * and retried on 429 like every other request. Failures that only the Base URL or the network
 * can explain become CommvaultLoginError here.
 */
async function signInRequest(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
	call: SignInCall,
): Promise<SignInAnswer> {
	const described = `${call.method} ${call.path}`;
	const answer = await retryingRateLimits(
		async () => await exchange(helper, credentials, baseUrl, call),
		(sent) => sent.failure,
	);
	const status = answer.failure?.status;
	if (answer.failure && status === undefined) {
		throw credentialProblem(unreachableMessage(answer.failure.networkCode, baseUrl));
	}
	// A Commvault 404 carries a GenericResp; a web server's own 404 (wrong path) does not.
	if (status === 404 && messageInBody(answer.failure?.body) === undefined) {
		throw credentialProblem(noApiMessage(baseUrl, described, status));
	}
	if (answer.failure === undefined && (typeof answer.response !== 'object' || answer.response === null)) {
		// A 200 web page, e.g. the Command Center UI itself.
		throw credentialProblem(noApiMessage(baseUrl, described, undefined));
	}
	return answer;
}

/**
 * POST /Login as Commvault's own clients do it: the password goes as base64 of its UTF-8 bytes.
 * Failures become CommvaultLoginError with Commvault's message and never the password or token.
 */
export async function logInToCommvault(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const baseUrl = baseUrlOf(credentials);
	const username = usernameOf(credentials);
	const password = typeof credentials.password === 'string' ? credentials.password : '';
	if (username === '' || password === '') {
		throw credentialProblem(`Commvault login: the credential needs both a User Name and a Password. ${CHECK_USER_AND_PASSWORD}`);
	}

	const { response, failure } = await signInRequest(helper, credentials, baseUrl, {
		method: 'POST',
		path: '/Login',
		body: { username, password: toBase64(password) },
	});
	if (failure) {
		const fromCommvault = messageInBody(failure.body);
		if (failure.status === 401 || failure.status === 403) {
			throw credentialProblem(loginRefusedMessage(username, fromCommvault));
		}
		if (failure.status === 429) {
			// Not a refused login: the next item may sign in once Commvault lets it.
			throw new CommvaultLoginError(
				`Commvault is limiting sign-ins (HTTP 429${fromCommvault ? `: ${fromCommvault}` : ''}): n8n tried ${RATE_LIMIT_ATTEMPTS} times, waiting as Commvault asked`,
				'Run the workflow again later, or process fewer items at a time.',
				true,
			);
		}
		throw credentialProblem(
			`Commvault login failed (HTTP ${failure.status}${fromCommvault ? `: ${fromCommvault}` : ''}): Command Center could not sign the user in; try again later, and check the Base URL`,
		);
	}

	// Commvault reports a wrong password as HTTP 200 with an errList and no token.
	const refusal = failureInBody(response);
	if (refusal) {
		throw credentialProblem(loginRefusedMessage(username, refusal.message));
	}
	const token = (response as IDataObject).token;
	if (typeof token !== 'string' || token.trim() === '') {
		throw credentialProblem(`Commvault login answered without a token. ${noApiMessage(baseUrl, 'POST /Login', 200)}`);
	}
	return token.trim();
}

/**
 * One authenticated call with the Authtoken as given, so that a wrong token, Base URL or
 * certificate is reported as such (by the credential's Test button too) instead of by n8n's
 * generic texts. Answers that say nothing about the credential (a 429 after its retries, 5xx)
 * pass, since the request that follows reports them itself, but leave the token unchecked:
 * true only when Commvault accepted it. A 403 counts as accepted: Commvault authenticated the
 * token, only the user may not list plans, and checking again before every request would not
 * change that.
 */
export async function checkAuthtoken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<boolean> {
	const baseUrl = baseUrlOf(credentials);
	const authtoken = authtokenHeader(credentials.authtoken);
	if (authtoken === '') {
		throw credentialProblem(`The Commvault credential has no Authtoken. ${CHECK_AUTHTOKEN}`);
	}
	const { response, failure } = await signInRequest(helper, credentials, baseUrl, {
		method: 'GET',
		path: AUTHTOKEN_CHECK_PATH,
		authtoken,
	});
	if (failure?.status === 401) {
		throw credentialProblem(authtokenRefusedMessage(messageInBody(failure.body)));
	}
	const refusal = failure ? undefined : failureInBody(response);
	if (refusal) {
		throw credentialProblem(`Commvault did not accept the Authtoken: ${sentence(refusal.message)} ${CHECK_AUTHTOKEN}`);
	}
	return failure === undefined || failure.status === 403;
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
	if (authenticationMode(credentials) === 'password') {
		const sessionToken = await logInToCommvault(helper, credentials);
		return { sessionToken, sessionFor: sessionBinding(credentials) };
	}
	if (!(await checkAuthtoken(helper, credentials))) return undefined;
	return { sessionToken: AUTHTOKEN_CHECKED, sessionFor: sessionBinding(credentials) };
}
