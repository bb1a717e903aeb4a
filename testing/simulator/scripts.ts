/** Queued ("scripted") answers, and ready-made answers for every error shape Commvault uses. */
import type { RecordedRequest, RequestMatch, ScriptedResponse } from './types';

interface Queued {
	match: RequestMatch;
	response: ScriptedResponse;
	remaining: number;
}

/** True when a request (method + path below the base path, as sent) matches. */
export function matches(match: RequestMatch, method: string, path: string): boolean {
	if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
	if (match.path === undefined) return true;
	if (typeof match.path === 'string') return match.path.toLowerCase() === path.toLowerCase();
	match.path.lastIndex = 0; // a /g or /y RegExp keeps state between test() calls
	return match.path.test(path);
}

export class ResponseQueue {
	private queue: Queued[] = [];

	add(match: RequestMatch, response: ScriptedResponse, times: number): void {
		if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer, got ${times}`);
		this.queue.push({ match, response, remaining: times });
	}

	/** The first queued answer for this request, in queue order; consumes one use of it. */
	take(method: string, path: string, request?: RecordedRequest): ScriptedResponse | undefined {
		const index = this.queue.findIndex((q) => matches(q.match, method, path) && (!q.match.when || (request !== undefined && q.match.when(request))));
		if (index < 0) return undefined;
		const entry = this.queue[index];
		if (--entry.remaining === 0) this.queue.splice(index, 1);
		return entry.response;
	}

	get pending(): number {
		return this.queue.reduce((sum, q) => sum + q.remaining, 0);
	}

	clear(): void {
		this.queue = [];
	}
}

/**
 * Commvault's error shapes, for `respondNext`. The v4 API uses `GenericResp` with an HTTP error
 * status; older endpoints answer HTTP 200 and put the error in the body in one of three ways.
 */
export const CommvaultErrors = {
	/** HTTP error with a v4 `GenericResp` body, e.g. 500/503/409/403. */
	generic(status: number, errorCode: number, errorMessage: string): ScriptedResponse {
		return { status, body: { errorMessage, errorCode } };
	},
	/** The exact 409 Commvault gives for a duplicate app name. */
	duplicateName(): ScriptedResponse {
		return { status: 409, body: { errorMessage: 'An instance by this name already exists.', errorCode: 3 } };
	},
	unavailable(): ScriptedResponse {
		return { status: 503, body: { errorMessage: 'Service is temporarily unavailable. Please try again later.', errorCode: 503 } };
	},
	/** SaaS gateway rate limit. */
	rateLimited(retryAfterSeconds: number): ScriptedResponse {
		return {
			status: 429,
			headers: { 'Retry-After': String(retryAfterSeconds) },
			body: { errorMessage: 'Too many requests. Rate limit exceeded.', errorCode: 429 },
		};
	},
	/** HTTP 200 with a non-zero top-level `errorCode`. */
	errorCodeIn200(errorCode: number, errorMessage: string): ScriptedResponse {
		return { status: 200, body: { errorCode, errorMessage } };
	},
	/** HTTP 200 with `{"error": {"errorCode", "errorMessage"}}`. */
	errorObjectIn200(errorCode: number, errorMessage: string): ScriptedResponse {
		return { status: 200, body: { error: { errorCode, errorMessage } } };
	},
	/** HTTP 200 with `{"errList": [{"errorCode", "errLogMessage"}]}`. */
	errListIn200(errorCode: number, errLogMessage: string): ScriptedResponse {
		return { status: 200, body: { errList: [{ errorCode, errLogMessage }] } };
	},
	/** An error status with no body at all (what the OpenAPI document declares for 500). */
	emptyBody(status = 500): ScriptedResponse {
		return { status };
	},
} as const;
