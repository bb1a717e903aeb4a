import { ExecutionBaseError } from 'n8n-workflow';

import { isObject } from '../helpers/json';
import type { SignInFailure } from './exchange';

/** What Commvault said went wrong, in its own words. */
export interface CommvaultFailure {
	errorCode?: number;
	message: string;
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
 * Thrown by the credential's preAuthentication when signing in (or checking the Authtoken)
 * fails. n8n wraps it in a NodeApiError of whichever copy of n8n-workflow it loaded, and what
 * of it survives differs: n8n-workflow 1.x drops the `cause`, and shares the `context` only with
 * errors of its own copy. So the facts also go on the credential data the sign-in was given
 * (noteSignInFailure), which is the very object the node's transport handed to n8n's helper.
 */
export class CommvaultLoginError extends ExecutionBaseError {
	readonly commvaultSignIn: SignInFailure;

	constructor(message: string, description?: string, transient = false) {
		super(message, { level: 'warning' });
		this.name = 'CommvaultLoginError';
		this.description = description;
		this.commvaultSignIn = { message, description, transient };
	}
}

/** A registered symbol: the same in every copy of this package's modules, and never saved with the credential. */
const SIGN_IN_FAILURE = Symbol.for('n8n-nodes-commvault.signInFailure');

/** Records why preAuthentication failed on the credential data it was called with. */
export function noteSignInFailure(credentials: object, error: unknown): void {
	const failure = (error as Partial<CommvaultLoginError> | undefined)?.commvaultSignIn;
	if (failure) Object.defineProperty(credentials, SIGN_IN_FAILURE, { value: failure, configurable: true, enumerable: false });
}

/** The failure preAuthentication recorded on this credential data, once. */
export function takeSignInFailure(credentials: object): SignInFailure | undefined {
	const failure = (credentials as { [SIGN_IN_FAILURE]?: SignInFailure })[SIGN_IN_FAILURE];
	if (failure) delete (credentials as { [SIGN_IN_FAILURE]?: SignInFailure })[SIGN_IN_FAILURE];
	return failure;
}

const AUTHENTICATED = Symbol.for('n8n-nodes-commvault.authenticated');

type Waiter = () => void;

/**
 * Resolves when n8n next applies this credential data to a request (its `authenticate`). n8n
 * does that only after preAuthentication has succeeded and its token is in this very object, so
 * the requests waiting for a sign-in can go then, not only once the signing-in request has
 * its own answer.
 */
export async function nextAuthentication(credentials: object): Promise<void> {
	await new Promise<void>((resolve) => {
		const earlier = (credentials as { [AUTHENTICATED]?: Waiter })[AUTHENTICATED];
		const waiter: Waiter = () => {
			earlier?.();
			resolve();
		};
		Object.defineProperty(credentials, AUTHENTICATED, { value: waiter, configurable: true, enumerable: false });
	});
}

/** Called by the credential's authenticate: wakes whoever waits for this credential data's sign-in. */
export function noteAuthentication(credentials: object): void {
	const waiter = (credentials as { [AUTHENTICATED]?: Waiter })[AUTHENTICATED];
	if (!waiter) return;
	delete (credentials as { [AUTHENTICATED]?: Waiter })[AUTHENTICATED];
	waiter();
}
