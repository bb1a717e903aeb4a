import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiError, operationError } from '../helpers/errors';
import { credentialSecretForms, redactSecrets, secretForms } from '../helpers/secrets';
import { normalizeBaseUrl } from './connection';
import { failureInBody, httpFailureOf, messageInBody, textAnswerOf, type HttpFailure, type TextAnswer } from './errors';
import { BASE_URL_FORMS, describeNetworkFailure } from './messages';
import { retryingRateLimits } from './rateLimit';

export type CommvaultContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface CommvaultRequest {
	method: IHttpRequestMethods;
	/** Spelled as Commvault's OpenAPI document spells it, e.g. `/v4/Dynamics365`. */
	path: string;
	body?: IDataObject;
	itemIndex?: number;
	/** Secret values in the body, redacted (with the credential's) from a text answer before it is shortened. */
	secrets?: string[];
}

/**
 * The one way out to Commvault. Authentication (Authtoken header, login and re-login on 401),
 * proxies and the SSL switch come from n8n's helper and the credential; this function turns
 * every failure shape, including errors that arrive with HTTP 200, into a NodeApiError that
 * carries Commvault's own message and nothing of the request.
 */
export async function commvaultApiRequest(
	this: CommvaultContext,
	request: CommvaultRequest,
): Promise<IDataObject> {
	const credentials = await this.getCredentials('commvaultApi');
	let baseUrl: string;
	try {
		baseUrl = normalizeBaseUrl(credentials.baseUrl);
	} catch (error) {
		throw operationError(this.getNode(), { message: (error as Error).message, itemIndex: request.itemIndex });
	}
	const options = (tolerateHttpErrors: boolean): IHttpRequestOptions => ({
		method: request.method,
		url: `${baseUrl}${request.path}`,
		headers: { Accept: 'application/json' },
		...(request.body ? { body: request.body } : {}),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: tolerateHttpErrors,
		skipSslCertificateValidation: credentials.ignoreSslIssues === true,
	});

	const answer = await retryingRateLimits(async () => await exchange(this, options), (sent) => sent);
	if (answer.status === undefined || answer.status >= 400 || answer.loginError || failureInBody(answer.body)) {
		const text = await textAnswer(this, request, answer.body);
		throw commvaultError(this.getNode(), request, { ...answer, text }, baseUrl, credentials.authentication);
	}
	return (answer.body ?? {}) as IDataObject;
}

/**
 * One request, answered as status, body and Retry-After. Error answers are taken as full
 * responses because n8n's helper drops their headers when it throws; a 401 is the exception:
 * it is sent once more without tolerance, since only a thrown 401 makes the helper run the
 * credential's preAuthentication (log in again, re-check the token) and retry.
 */
async function exchange(
	context: CommvaultContext,
	options: (tolerateHttpErrors: boolean) => IHttpRequestOptions,
): Promise<HttpFailure> {
	try {
		let response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			'commvaultApi',
			options(true),
		)) as IN8nHttpFullResponse;
		if (response.statusCode === 401) {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				'commvaultApi',
				options(false),
			)) as IN8nHttpFullResponse;
		}
		return {
			status: response.statusCode,
			body: response.body,
			retryAfterSeconds: retryAfterOf(response.headers),
		};
	} catch (error) {
		return httpFailureOf(error);
	}
}

function retryAfterOf(headers: IN8nHttpFullResponse['headers']): number | undefined {
	const value = headers?.['retry-after'];
	const seconds = Number(Array.isArray(value) ? value[0] : value);
	return value !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * A non-JSON answer, redacted before it is shortened. The credential is read again: a login
 * during this request may have stored a token it did not hold before.
 */
async function textAnswer(context: CommvaultContext, request: CommvaultRequest, body: unknown): Promise<TextAnswer | undefined> {
	if (typeof body !== 'string') return undefined;
	const secrets = [...credentialSecretForms(await context.getCredentials('commvaultApi')), ...secretForms(request.secrets ?? [])];
	return textAnswerOf(redactSecrets(body, secrets));
}

function commvaultError(
	node: INode,
	request: CommvaultRequest,
	failure: HttpFailure & { text?: TextAnswer },
	baseUrl: string,
	authentication: unknown,
): NodeApiError {
	const call = `${request.method} ${request.path}`;
	const fromCommvault = messageInBody(failure.body);
	const errorCode = failureInBody(failure.body)?.errorCode ?? codeOf(failure.body);
	let message: string;
	let description: string;

	if (failure.loginError) {
		message = failure.loginError;
		description = failure.loginDescription ?? 'Check the User Name, Password and Base URL of the Commvault credential.';
	} else if (failure.status === undefined) {
		message = `Could not reach Commvault: ${describeNetworkFailure(failure.networkCode, baseUrl)}`;
		description = `The request ${call} got no answer.`;
	} else if (failure.status === 401) {
		message = `Commvault refused the credential (401)${fromCommvault ? `: ${fromCommvault}` : ''}`;
		description =
			authentication === 'password'
				? 'Commvault refused the login token even right after signing in again: the user may lack access to this API, or the Command Center session was ended.'
				: 'The Authtoken is wrong or expired, or the user has no access. Paste a fresh token, or switch the credential to User Name and Password so n8n renews the login itself.';
	} else if (failure.status === 404 && !fromCommvault) {
		message = `Commvault answered 404 Not Found to ${call}`;
		description = `Check the credential's Base URL (${baseUrl}): it should end in /commandcenter/api (or /webconsole/api), or be https://api.metallic.io for Commvault Cloud.`;
	} else if (!fromCommvault && failure.text?.kind === 'web page') {
		message = `Commvault answered HTTP ${failure.status} with a web page instead of its JSON API answer`;
		description = `The page says "${failure.text.snippet}". A web page usually means the Base URL (${baseUrl}) is not the Commvault API: set it to ${BASE_URL_FORMS}. (${call})`;
	} else if (!fromCommvault && failure.text) {
		message = `Commvault answered HTTP ${failure.status} with a text instead of its JSON error`;
		description = `Its answer to ${call}: "${failure.text.snippet}"`;
	} else {
		message = fromCommvault ?? `Commvault answered HTTP ${failure.status} without a message`;
		description = `Commvault answered HTTP ${failure.status}${errorCode !== undefined ? ` (errorCode ${errorCode})` : ''} to ${call}.`;
	}

	const errorResponse: JsonObject = { message, description };
	if (failure.status !== undefined) errorResponse.httpCode = String(failure.status);
	if (errorCode !== undefined) errorResponse.errorCode = errorCode;
	const error = apiError(
		node,
		{ message, description, httpCode: errorResponse.httpCode as string | undefined, itemIndex: request.itemIndex },
		errorResponse,
	);
	if (failure.loginError && !failure.loginTransient) error.context[SIGN_IN_FAILED] = true;
	return error;
}

/** Marks errors of the sign-in itself: the router stops sending requests after one of them. */
export const SIGN_IN_FAILED = 'commvaultSignInFailed';

export function isSignInFailure(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && error.context[SIGN_IN_FAILED] === true;
}

/**
 * The same sign-in failure for another item, as an error of its own: n8n keeps each failed
 * item's error (the error output, the item's context), so one shared object would end up
 * naming the last item for all of them.
 */
export function signInFailureFor(node: INode, failure: NodeApiError, itemIndex: number): NodeApiError {
	const error = apiError(node, {
		message: failure.message,
		description: failure.description ?? undefined,
		httpCode: failure.httpCode ?? undefined,
		itemIndex,
	});
	error.context[SIGN_IN_FAILED] = true;
	return error;
}

function codeOf(body: unknown): number | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const value = (body as IDataObject).errorCode;
	return typeof value === 'number' ? value : undefined;
}
