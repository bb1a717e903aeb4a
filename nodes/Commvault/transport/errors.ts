import type { IDataObject } from 'n8n-workflow';
import { ExecutionBaseError } from 'n8n-workflow';

/** What Commvault said went wrong, in its own words. */
export interface CommvaultFailure {
	errorCode?: number;
	message: string;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function code(value: unknown): number | undefined {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * Commvault reports failures in three body shapes, often with HTTP 200: a top-level
 * `errorCode`/`errorMessage` (v4 GenericResp), an `error: {errorCode, errorMessage}` object, and an
 * `errList` array (older endpoints, /Login). An errorCode of 0 means success.
 */
export function failureInBody(body: unknown): CommvaultFailure | undefined {
	if (!isObject(body)) return undefined;

	if (Array.isArray(body.errList) && body.errList.length > 0) {
		const entries = body.errList.filter(isObject);
		const messages = entries
			.map((e) => text(e.errLogMessage) ?? text(e.errorMessage))
			.filter((m): m is string => m !== undefined);
		return {
			errorCode: code(entries[0]?.errorCode),
			message: messages.length ? messages.join('; ') : 'Commvault reported an error (errList) without a message',
		};
	}

	if (isObject(body.error)) {
		const errorCode = code(body.error.errorCode);
		if (errorCode !== undefined && errorCode !== 0) {
			return {
				errorCode,
				message:
					text(body.error.errorMessage) ??
					text(body.error.errorString) ??
					`Commvault reported error code ${errorCode}`,
			};
		}
	}

	const errorCode = code(body.errorCode);
	if (errorCode !== undefined && errorCode !== 0) {
		return {
			errorCode,
			message: text(body.errorMessage) ?? text(body.errorString) ?? `Commvault reported error code ${errorCode}`,
		};
	}
	return undefined;
}

/** The message of an error body even when its code is absent (e.g. a 409 GenericResp). */
export function messageInBody(body: unknown): string | undefined {
	const failure = failureInBody(body);
	if (failure) return failure.message;
	if (!isObject(body)) return undefined;
	return text(body.errorMessage) ?? text(body.message) ?? (isObject(body.error) ? text(body.error.errorMessage) : undefined);
}

const SNIPPET_LENGTH = 200;

/** An answer that is not JSON: a proxy's or web server's page, or a bare text. */
export interface TextAnswer {
	kind: 'web page' | 'text';
	/** At most SNIPPET_LENGTH characters, whitespace collapsed, tags stripped. */
	snippet: string;
}

function collapsed(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

function withoutTags(html: string): string {
	return html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ');
}

/**
 * What a non-JSON error body says, short enough to quote. Pass it redacted: a secret cut in two
 * by the shortening would no longer be recognised. A page's title is usually its whole message.
 */
export function textAnswerOf(body: unknown): TextAnswer | undefined {
	if (typeof body !== 'string' || body.trim() === '') return undefined;
	let kind: TextAnswer['kind'] = 'text';
	let text = collapsed(body);
	if (/<(!doctype\s+html|html|head|body)\b/i.test(body)) {
		kind = 'web page';
		const title = /<title[^>]*>([\s\S]*?)<\/title\s*>/i.exec(body)?.[1];
		text = collapsed(withoutTags(title ?? '')) || collapsed(withoutTags(body));
	}
	const snippet = text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH - 1)}…` : text;
	return snippet === '' ? undefined : { kind, snippet };
}

/**
 * Thrown when signing in (or checking the Authtoken) fails, so the node can tell a credential
 * failure from an API failure. n8n wraps it in a NodeApiError that shares its `context`; whether
 * the wrapper keeps it as `cause` depends on the n8n version (n8n-workflow 1.x drops it, 2.x
 * keeps it), and the wrapper's message may be n8n's generic text (see helpers/errors.ts). So the
 * marker and the wording travel in the context, which survives both.
 */
export class CommvaultLoginError extends ExecutionBaseError {
	/**
	 * `transient`: the sign-in could not be tried (Commvault is rate-limiting it), which says
	 * nothing about the credential, so the run need not stop signing in.
	 */
	constructor(message: string, description?: string, transient = false) {
		super(message, { level: 'warning' });
		this.name = 'CommvaultLoginError';
		this.description = description;
		this.context.commvaultLoginError = true;
		this.context.commvaultLoginMessage = message;
		if (description !== undefined) this.context.commvaultLoginDescription = description;
		if (transient) this.context.commvaultLoginTransient = true;
	}
}

/** The parts of an HTTP failure the node reports, taken from wherever n8n's helper put them. */
export interface HttpFailure {
	status?: number;
	body?: unknown;
	networkCode?: string;
	loginError?: string;
	loginDescription?: string;
	/** The sign-in failed for a reason that says nothing about the credential (a 429). */
	loginTransient?: boolean;
	retryAfterSeconds?: number;
}

const NETWORK_CODES = /^(E[A-Z_]+|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_[A-Z_]+)$/;

/** axios's own codes for an HTTP error status or a cancelled request: not a network failure. */
const AXIOS_NON_NETWORK_CODES = new Set(['ERR_BAD_REQUEST', 'ERR_BAD_RESPONSE', 'ERR_CANCELED']);

function networkCodeOf(value: unknown): string | undefined {
	return typeof value === 'string' && NETWORK_CODES.test(value) && !AXIOS_NON_NETWORK_CODES.has(value) ? value : undefined;
}

/**
 * n8n's request helper wraps the axios error in a NodeApiError (and n8n versions differ in
 * where they keep the response), so the chain of `cause`s is walked for status, body and
 * network error code. Only these facts are kept: the original error holds the request
 * headers, and with them the Authtoken.
 */
export function httpFailureOf(error: unknown): HttpFailure {
	const failure: HttpFailure = {};
	let current: unknown = error;
	for (let depth = 0; depth < 6 && isObject(current); depth++) {
		const e = current as IDataObject & { name?: unknown; message?: unknown };
		const context = isObject(e.context) ? e.context : undefined;
		if (e.name === 'CommvaultLoginError' || context?.commvaultLoginError === true) {
			failure.loginError ??= text(context?.commvaultLoginMessage) ?? text(e.message);
			failure.loginDescription ??= text(context?.commvaultLoginDescription) ?? text(e.description);
			if (context?.commvaultLoginTransient === true) failure.loginTransient = true;
		}
		const response = isObject(e.response) ? e.response : undefined;
		failure.status ??= code(response?.status) ?? code(e.httpCode) ?? code(e.statusCode);
		if (failure.body === undefined && response && 'data' in response) failure.body = response.data;
		if (failure.body === undefined && isObject(e.context) && 'data' in e.context) failure.body = e.context.data;
		const headers = isObject(response?.headers) ? response?.headers : undefined;
		failure.retryAfterSeconds ??= code(headers?.['retry-after']);
		// NodeApiError keeps a network error's code only as its httpCode.
		failure.networkCode ??= networkCodeOf(e.code) ?? networkCodeOf(e.httpCode);
		current = e.cause;
	}
	return failure;
}
