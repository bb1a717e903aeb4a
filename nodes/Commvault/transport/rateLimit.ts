import { sleep } from 'n8n-workflow';

/** Commvault Cloud rate-limits per tenant; a few polite retries beat failing a whole batch. */
export const RATE_LIMIT_ATTEMPTS = 3;
const RATE_LIMIT_MAX_WAIT_SECONDS = 60;

/** What decides a retry: the status, and how long Commvault asked to wait. */
export interface RateLimitView {
	status?: number;
	retryAfterSeconds?: number;
}

/**
 * Sends until the answer is not a 429 or RATE_LIMIT_ATTEMPTS were made, waiting as Retry-After
 * asks (2 s, then 4 s, without one), and returns the last answer. Every request to Commvault,
 * the sign-in's included, goes through here.
 */
export async function retryingRateLimits<T>(send: () => Promise<T>, viewOf: (answer: T) => RateLimitView | undefined): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		const answer = await send();
		const view = viewOf(answer);
		if (view?.status !== 429 || attempt >= RATE_LIMIT_ATTEMPTS) return answer;
		await sleep(Math.min(view.retryAfterSeconds ?? 2 ** attempt, RATE_LIMIT_MAX_WAIT_SECONDS) * 1000);
	}
}
