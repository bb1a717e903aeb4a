/**
 * The load: webhook calls with at most `concurrency` in flight, and a hook after each answer
 * (to expire the login tokens or kill a worker at a chosen point of the load).
 */
import type { TenantCall } from './workflows';

export interface CallResult {
	tenant: TenantCall;
	/** HTTP status; 0 when the call got no answer (network error or timeout) */
	status: number;
	body: string;
	/** the JSON the Respond node sent, when it did */
	json?: { id?: number; name?: string; executionId?: string };
	error?: string;
	ms: number;
}

export interface LoadResult {
	calls: CallResult[];
	ms: number;
	/** the most calls that were in flight at one time */
	peakInFlight: number;
}

async function call(url: string, tenant: TenantCall, timeoutMs: number): Promise<CallResult> {
	const started = Date.now();
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(tenant),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const body = await response.text();
		let json: CallResult['json'];
		try {
			json = JSON.parse(body) as CallResult['json'];
		} catch {
			json = undefined;
		}
		return { tenant, status: response.status, body, json, ms: Date.now() - started };
	} catch (error) {
		return { tenant, status: 0, body: '', error: error instanceof Error ? error.message : String(error), ms: Date.now() - started };
	}
}

export async function fireWebhooks(
	url: string,
	tenants: TenantCall[],
	opts: { concurrency: number; timeoutMs?: number; afterAnswer?: (answered: number) => void | Promise<void> },
): Promise<LoadResult> {
	const started = Date.now();
	const calls: CallResult[] = [];
	let next = 0;
	let inFlight = 0;
	let peakInFlight = 0;
	const lane = async (): Promise<void> => {
		while (next < tenants.length) {
			const tenant = tenants[next++];
			inFlight++;
			peakInFlight = Math.max(peakInFlight, inFlight);
			const result = await call(url, tenant, opts.timeoutMs ?? 120_000);
			inFlight--;
			calls.push(result);
			await opts.afterAnswer?.(calls.length);
		}
	};
	await Promise.all(Array.from({ length: Math.min(opts.concurrency, tenants.length) }, lane));
	return { calls, ms: Date.now() - started, peakInFlight };
}
