import type { IHttpRequestOptions } from 'n8n-workflow';

/** Why a run sends nothing more: it stopped at a failed item (Continue On Fail off), or its execution was cancelled. */
export type HaltReason = 'stopped' | 'cancelled';

/**
 * A run's "send nothing more", heard by every request and wait of the run. Not an AbortSignal:
 * a batch of 50 requests would each add a listener to one signal, which Node warns about.
 */
export class Halt {
	private why?: HaltReason;

	private readonly listeners = new Set<() => void>();

	get reason(): HaltReason | undefined {
		return this.why;
	}

	halt(reason: HaltReason): void {
		if (this.why) return;
		this.why = reason;
		for (const listener of [...this.listeners]) listener();
		this.listeners.clear();
	}

	/** Calls `listener` once when the run halts; the function returned stops listening. */
	onHalt(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}

/** Registered symbols: the same in every copy of this package's modules, never saved with a credential. */
const HALT = Symbol.for('n8n-nodes-commvault.halt');
const LEAVING = Symbol.for('n8n-nodes-commvault.leaving');

/**
 * Hands the run's halt signal to the credential's sign-in, which n8n runs inside its request
 * helper with this very credential data: a sign-in must not go on (nor its 429 waits) for a run
 * that sends nothing more.
 */
export function haltWith(credentials: object, halt: Halt): void {
	Object.defineProperty(credentials, HALT, { value: halt, configurable: true });
}

export function haltOf(credentials: object): Halt | undefined {
	return (credentials as { [HALT]?: Halt })[HALT];
}

/** What the credential's authenticate tells a request's exchange: the request leaves now, with this signal. */
interface Leaving {
	signal: AbortSignal;
	leave: () => void;
}

export function onLeaving(options: IHttpRequestOptions, leaving: Leaving): void {
	Object.defineProperty(options, LEAVING, { value: leaving, configurable: true });
}

/**
 * Called by the credential's authenticate, the last step before n8n's helper sends: from here
 * the request counts as sent, and its own signal (the exchange's deadline, the run's halt)
 * replaces the one n8n set, which only knows of the execution's cancellation.
 */
export function leaving(options: IHttpRequestOptions): AbortSignal | undefined {
	const hook = (options as { [LEAVING]?: Leaving })[LEAVING];
	hook?.leave();
	return hook?.signal;
}

/**
 * Waits `ms`, or less if the run halts first; true when it did. AbortSignal.timeout's timer is
 * unref'd: a wait the halt ended never keeps n8n's process alive.
 */
export async function waitUnlessHalted(ms: number, halt: Halt | undefined): Promise<boolean> {
	const elapsed = new Promise<true>((resolve) => AbortSignal.timeout(Math.max(0, ms)).addEventListener('abort', () => resolve(true)));
	return (halt ? await unlessHalted(elapsed, halt) : await elapsed) === undefined;
}

/** Settles with `promise`, or with undefined as soon as the run halts. */
export async function unlessHalted<T>(promise: Promise<T>, halt: Halt): Promise<T | undefined> {
	if (halt.reason) return undefined;
	let stopListening: (() => void) | undefined;
	const halted = new Promise<undefined>((resolve) => {
		stopListening = halt.onHalt(() => resolve(undefined));
	});
	try {
		return await Promise.race([promise, halted]);
	} finally {
		stopListening?.();
	}
}
