import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { messageInBody } from './errors';
import { retryAfterSeconds, type RateLimitStop } from './exchange';
import { rateLimitBudgetMessage, rateLimitTooLongMessage, rateLimitedMessage, type RateLimited } from './messages';

/** Commvault Cloud rate-limits per tenant; a few polite retries beat failing a whole batch. */
export const RATE_LIMIT_ATTEMPTS = 3;
/** A longer Retry-After fails at once: a batch must not stall for it item after item. */
export const RATE_LIMIT_MAX_WAIT_SECONDS = 60;
/** What one run waits for 429s in all, however many items it has. */
export const RATE_LIMIT_RUN_BUDGET_SECONDS = 300;

export type RateLimitDecision = { wait: number } | RateLimitStop;

/**
 * The one 429 policy, for a sign-in as for every other request: one per request, it counts the
 * 429s that request got and says, after each, to wait as Retry-After asks (2 s, then 4 s, without
 * one) or to stop, and why. A 429 means Commvault did not carry the request out, so it is the one
 * failure every request, a create included, may be sent again after. How the wait is taken is
 * the caller's: a run pauses all its requests, a sign-in only itself.
 */
export class RateLimitRetries {
	private attempts = 0;

	/** `waitedSeconds`: what the run already waited for 429s (a sign-in, outside the run's count, has none). */
	next(headers: IN8nHttpFullResponse['headers'], waitedSeconds = 0): RateLimitDecision {
		this.attempts++;
		const asked = retryAfterSeconds(headers);
		if (asked !== undefined && asked > RATE_LIMIT_MAX_WAIT_SECONDS) return { stop: 'tooLong', seconds: asked };
		if (this.attempts >= RATE_LIMIT_ATTEMPTS) return { stop: 'attempts' };
		const wait = asked ?? 2 ** this.attempts;
		if (waitedSeconds + wait > RATE_LIMIT_RUN_BUDGET_SECONDS) return { stop: 'budget', waited: waitedSeconds };
		return { wait };
	}
}

/** Why the node stopped retrying `what` (requests, or sign-ins), with Commvault's own message of the last 429. */
export function rateLimitStopMessage(stop: RateLimitStop, body: unknown, what: RateLimited): string {
	switch (stop.stop) {
		case 'tooLong':
			return rateLimitTooLongMessage(stop.seconds, RATE_LIMIT_MAX_WAIT_SECONDS);
		case 'budget':
			return rateLimitBudgetMessage(Math.round(stop.waited));
		case 'attempts':
			return rateLimitedMessage(what, messageInBody(body), RATE_LIMIT_ATTEMPTS);
	}
}
