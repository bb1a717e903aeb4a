import type { IExecuteFunctions, IGetNodeParameterOptions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

type Read = [name: string, fallback: unknown, options: IGetNodeParameterOptions | undefined];

/**
 * The node's parameters as the run's items read them, each resolved by n8n once. Resolving is
 * most of what an item costs n8n (every expression gets a data proxy of its own), and the same
 * value is asked for twice: once to build the request, once to keep its secrets out of the
 * output. A parameter with no expression in it is the same for every item, so it is resolved for
 * the first item that asks and shared; what is shared is frozen, so no item can change another's.
 *
 * While requests are out, the next items' expressions are resolved ahead (readAhead), one item
 * per turn of the event loop: answers arrive in bursts, and an item that resolves its expressions
 * only once a slot is free keeps every request behind it from going out.
 */
export class ItemParameters {
	private readonly shared = new Map<string, unknown>();

	private readonly ofItem = new Map<number, Map<string, unknown>>();

	/** As stored in the workflow; n8n's getNode() would deep-copy the node at every read. */
	private readonly stored: INodeParameters;

	/** The per-item reads the items made so far, replayed for the items ahead. */
	private readonly reads = new Map<string, Read>();

	/** Items below this have started (or are done): reading ahead skips them. */
	private started = 0;

	private aheadTo = -1;

	private readingAhead = false;

	private stopped = false;

	constructor(private readonly context: IExecuteFunctions) {
		this.stored = context.getNode().parameters;
	}

	get(name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions): unknown {
		const key = `${name}\u0000${options?.extractValue === false ? 'raw' : ''}\u0000${JSON.stringify(fallback) ?? ''}`;
		if (this.shared.has(key)) return this.shared.get(key);
		let values = this.ofItem.get(itemIndex);
		if (values?.has(key)) return values.get(key);

		const value: unknown = this.context.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType, options);
		if (!holdsExpression(valueAt(this.stored, name))) {
			this.shared.set(key, deepFreeze(value));
			return value;
		}
		if (!values) this.ofItem.set(itemIndex, (values = new Map()));
		values.set(key, value);
		if (!this.reads.has(key)) this.reads.set(key, [name, fallback, options]);
		return value;
	}

	/** Item `itemIndex` starts: resolve what the items up to `last` will read, while the requests are out. */
	readAhead(itemIndex: number, last: number): void {
		this.started = Math.max(this.started, itemIndex + 1);
		this.aheadTo = Math.max(this.aheadTo, last);
		if (!this.readingAhead && !this.stopped) void this.readAheadLoop();
	}

	/** The run is over: nothing more is read ahead. */
	stop(): void {
		this.stopped = true;
	}

	private async readAheadLoop(): Promise<void> {
		this.readingAhead = true;
		let next = this.started;
		try {
			while (!this.stopped && Math.max(next, this.started) <= this.aheadTo) {
				// A turn of the event loop in between: requests and answers go first.
				await sleep(0);
				next = Math.max(next, this.started);
				if (this.stopped || next > this.aheadTo) break;
				const item = next++;
				for (const [name, fallback, options] of this.reads.values()) {
					try {
						this.get(name, item, fallback, options);
					} catch {
						// Not kept: the item reads it again when it runs, and fails then, with its own index.
					}
				}
			}
		} finally {
			this.readingAhead = false;
		}
	}

	/** The item is done: what was read for it only can go. */
	forget(itemIndex: number): void {
		this.ofItem.delete(itemIndex);
	}
}

function valueAt(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** n8n resolves per item only what is (or holds) an expression: a string starting with "=". */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const entry of Object.values(value)) deepFreeze(entry);
	}
	return value;
}
