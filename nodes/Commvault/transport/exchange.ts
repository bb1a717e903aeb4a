import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { isObject } from '../helpers/json';
import { jsonBody } from './body';
import { onLeaving, type Halt, type HaltReason } from './halt';

/**
 * What became of one request, in one tagged value. `sent` is what decides whether an error must
 * say "Commvault may have done this": a request whose answer was lost may have been carried out.
 */
export type Outcome =
	| { kind: 'answer'; status: number; body: unknown; headers: IN8nHttpFullResponse['headers'] }
	/** No connection: the request never reached Commvault. */
	| { kind: 'unreachable'; networkCode?: string }
	/** The request went out (or may have), but no complete answer came back. */
	| { kind: 'lost'; reason: LostReason }
	/** The credential's sign-in (or Authtoken check) failed before the request could be sent. */
	| { kind: 'signIn'; failure: SignInFailure }
	/** Commvault kept answering 429, or asked for a longer wait than the node takes. */
	| { kind: 'rateLimited'; stop: RateLimitStop; body: unknown }
	/** Anything else n8n threw before sending, e.g. a missing credential: its own words. */
	| { kind: 'failure'; message: string }
	/** The run halted before the request left: it never will. */
	| { kind: 'notSent'; reason: HaltReason };

export type RateLimitStop = { stop: 'attempts' } | { stop: 'tooLong'; seconds: number } | { stop: 'budget'; waited: number };

export type LostReason = 'timeout' | 'cut' | 'cancelled';

export interface SignInFailure {
	message: string;
	description?: string;
	/** Says nothing about the credential (Commvault busy, rate limiting, a timeout): other items go on. */
	transient: boolean;
}

/** n8n's request helpers: with or without the credential's authentication. */
export type Sender = (options: IHttpRequestOptions) => Promise<unknown>;

export interface Exchange {
	method: IHttpRequestMethods;
	url: string;
	body?: IDataObject;
	/** The query string's parameters, encoded by n8n's helper. */
	qs?: IDataObject;
	headers?: IDataObject;
	timeoutSeconds: number;
	ignoreSslIssues: boolean;
	/** After a throw: the sign-in failure the credential recorded for this request, if it was that. */
	signInFailure?: () => Outcome | undefined;
	/**
	 * The run sends nothing more once this aborts: a request that has not left never leaves; one
	 * that has is still answered, unless the execution was cancelled.
	 */
	halt?: Halt;
	/**
	 * The request leaves only when n8n authenticates it, after the credential's sign-in (its own
	 * requests, waits and 429 pauses, each bounded by itself); the timeout counts from then.
	 * Until then nothing is sent, so a halt or the backstop ends it with nothing to report.
	 */
	leavesOnAuthentication?: { backstopSeconds: number };
}

/**
 * The request options every call to Commvault uses. HTTP errors come back as answers (n8n's
 * helper drops the headers of those it throws, Retry-After among them), and redirects are not
 * followed: the custom Authtoken header, the password or an app secret would go along to
 * wherever a proxy or a hostile answer points.
 */
function requestOptions(call: Exchange, signal: AbortSignal): IHttpRequestOptions {
	return {
		method: call.method,
		url: call.url,
		headers: { Accept: 'application/json', ...(call.body ? { 'Content-Type': 'application/json' } : {}), ...call.headers },
		...(call.body ? { body: jsonBody(call.body) } : {}),
		...(call.qs ? { qs: call.qs } : {}),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		skipSslCertificateValidation: call.ignoreSslIssues,
		timeout: call.timeoutSeconds * 1000,
		abortSignal: signal,
	};
}

/**
 * One request, one Outcome. The helper's own timeout only fires when the socket idles; the
 * deadline here, counted from when the request leaves, also bounds an answer that trickles in.
 * Whatever ends the exchange early aborts the request, so nothing of it is sent afterwards.
 */
export async function exchange(send: Sender, call: Exchange): Promise<Outcome> {
	const { halt } = call;
	if (halt?.reason) return { kind: 'notSent', reason: halt.reason };
	const request = new AbortController();
	const options = requestOptions(call, request.signal);
	let left = false;
	let settle: (outcome: Outcome) => void = () => undefined;
	const ended = new Promise<Outcome>((resolve) => (settle = resolve));
	const cleanups: Array<() => void> = [];
	const listen = (signal: AbortSignal, listener: () => void): void => {
		signal.addEventListener('abort', listener, { once: true });
		cleanups.push(() => signal.removeEventListener('abort', listener));
	};
	// AbortSignal.timeout's timer is unref'd: it bounds the wait without keeping n8n's process alive.
	const timeoutAfter = (seconds: number): void => listen(AbortSignal.timeout(seconds * 1000), () => settle({ kind: 'lost', reason: 'timeout' }));
	const leave = (): void => {
		if (left) return;
		left = true;
		timeoutAfter(call.timeoutSeconds + 1);
	};
	if (call.leavesOnAuthentication) {
		onLeaving(options, { signal: request.signal, leave });
		// Should n8n ever authenticate a copy of these options, the sign-in's own bound still ends the wait.
		timeoutAfter(call.leavesOnAuthentication.backstopSeconds + call.timeoutSeconds + 1);
	} else {
		leave();
	}
	if (halt) {
		cleanups.push(
			halt.onHalt(() => {
				const reason = halt.reason ?? 'cancelled';
				if (!left) settle({ kind: 'notSent', reason });
				else if (reason === 'cancelled') settle({ kind: 'lost', reason: 'cancelled' });
			}),
		);
	}
	send(options).then(answerOf, (error: unknown) => call.signInFailure?.() ?? outcomeOfThrown(error)).then(settle, () => undefined);
	try {
		return await ended;
	} finally {
		for (const cleanup of cleanups) cleanup();
		// Ended by a deadline or a halt: the request is dropped, and if it has not left, it never does.
		request.abort();
	}
}

function answerOf(response: unknown): Outcome {
	const full = (isObject(response) ? response : {}) as Partial<IN8nHttpFullResponse>;
	if (typeof full.statusCode !== 'number') return { kind: 'lost', reason: 'cut' };
	return { kind: 'answer', status: full.statusCode, body: full.body, headers: full.headers ?? {} };
}

/** Failures of the connection itself, before any request byte could reach Commvault. */
const NOT_SENT =
	/^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|EPROTO|ERR_SSL_[A-Z_]+|ERR_TLS_[A-Z_]+|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_INVALID_URL)$/;

const TIMED_OUT = /^(ECONNABORTED|ETIMEDOUT|ESOCKETTIMEDOUT)$/;

const CANCELLED = /^(ERR_CANCELED|ABORT_ERR)$/;

/** What a link of a thrown error's chain carries, read by name, never by the class of its copy of n8n-workflow. */
interface Link {
	name?: unknown;
	message?: unknown;
	code?: unknown;
	httpCode?: unknown;
	cause?: unknown;
}

/** Node's and axios's words for an answer cut short. */
const CUT_MESSAGE = /^(socket hang up|aborted|stream has been aborted|premature close)$/i;

/**
 * n8n's helper wraps what went wrong in a NodeApiError of whichever copy of n8n-workflow n8n
 * loaded; n8n-workflow 1.x drops its `cause` and keeps axios's code only as `httpCode`, later
 * versions keep the cause. So every link of the chain is read for what it carries: a network
 * code, a timeout, a cut answer. (A sign-in failure is read from the credential data instead,
 * see noteSignInFailure.)
 */
export function outcomeOfThrown(error: unknown): Outcome {
	const codes: string[] = [];
	let message: string | undefined;
	let current: unknown = error;
	for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
		const link = current as Link;
		if (typeof link.code === 'string') codes.push(link.code);
		if (typeof link.httpCode === 'string' && /^[A-Z][A-Z_]+$/.test(link.httpCode)) codes.push(link.httpCode);
		if (typeof link.message === 'string' && CUT_MESSAGE.test(link.message)) codes.push('ECONNRESET');
		if (link.name === 'AbortError' || link.name === 'CanceledError') codes.push('ERR_CANCELED');
		if (typeof link.message === 'string' && /^timeout of \d+ms exceeded$/.test(link.message)) codes.push('ETIMEDOUT');
		message ??= typeof link.message === 'string' ? link.message : undefined;
		current = link.cause;
	}
	if (codes.some((code) => CANCELLED.test(code))) return { kind: 'lost', reason: 'cancelled' };
	if (codes.some((code) => TIMED_OUT.test(code))) return { kind: 'lost', reason: 'timeout' };
	const notSent = codes.find((code) => NOT_SENT.test(code));
	if (notSent) return { kind: 'unreachable', networkCode: notSent };
	// A reset, a socket hang-up, an answer cut mid-body (axios: ERR_BAD_RESPONSE): the request went out.
	if (codes.length > 0) return { kind: 'lost', reason: 'cut' };
	return { kind: 'failure', message: message ?? String(error) };
}

/** How long a 429 asks to wait: delta-seconds or an HTTP date (RFC 9110), in seconds. */
export function retryAfterSeconds(headers: IN8nHttpFullResponse['headers'], now = Date.now()): number | undefined {
	const raw = headers?.['retry-after'];
	const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
	if (!value) return undefined;
	if (/^\d+$/.test(value)) return Number(value);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Where a 3xx points: its host only, resolved against the request's own URL. */
export function redirectTarget(headers: IN8nHttpFullResponse['headers'], requestUrl: string): string | undefined {
	const raw = headers?.location;
	const location = Array.isArray(raw) ? raw[0] : raw;
	if (!location) return undefined;
	try {
		return new URL(location, requestUrl).host;
	} catch {
		return undefined;
	}
}
