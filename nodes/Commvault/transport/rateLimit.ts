import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { retryAfterSeconds, type RateLimitStop } from './exchange';

/** Commvault Cloud rate-limits per tenant; a few polite retries beat failing a whole batch. */
export const RATE_LIMIT_ATTEMPTS = 3;
/** A longer Retry-After fails at once: a batch must not stall for it item after item. */
export const RATE_LIMIT_MAX_WAIT_SECONDS = 60;
/** What one run waits for 429s in all, however many items it has. */
export const RATE_LIMIT_RUN_BUDGET_SECONDS = 300;

export type RateLimitDecision = { wait: number } | RateLimitStop;

/**
 * What to do after the `attempt`-th 429 (1-based): wait as Retry-After asks (2 s, then 4 s,
 * without one), or stop, and why. A 429 means Commvault did not carry the request out, so it is
 * the one failure every request, a create included, may be sent again after.
 */
export function rateLimitDecision(
	attempt: number,
	headers: IN8nHttpFullResponse['headers'],
	waitedSeconds = 0,
): RateLimitDecision {
	const asked = retryAfterSeconds(headers);
	if (asked !== undefined && asked > RATE_LIMIT_MAX_WAIT_SECONDS) return { stop: 'tooLong', seconds: asked };
	if (attempt >= RATE_LIMIT_ATTEMPTS) return { stop: 'attempts' };
	const wait = asked ?? 2 ** attempt;
	if (waitedSeconds + wait > RATE_LIMIT_RUN_BUDGET_SECONDS) return { stop: 'budget', waited: waitedSeconds };
	return { wait };
}
