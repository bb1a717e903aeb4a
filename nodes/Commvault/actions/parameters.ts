import type { IDataObject, IExecuteFunctions, IGetNodeParameterOptions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { isObject } from '../helpers/json';
import { InvalidInput } from '../helpers/validation';

type Read = [name: string, fallback: unknown, options: IGetNodeParameterOptions | undefined];

/**
 * A field that is one expression and nothing else, such as the `{{ $json.name }}` the editor
 * writes when an input field is dragged onto it. Braces inside are left to n8n alone: they may
 * open an object, a string or a second expression.
 */
const WHOLE_FIELD_EXPRESSION = /^=\{\{([^{}]+)\}\}$/;

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
 *
 * The top-level fields that are each one expression are resolved for an item by one n8n
 * expression, `{{ [(a), (b), …] }}`, which costs n8n one data proxy instead of one per field.
 * n8n still evaluates every one of them, with the same item, sandbox and extensions. Only a
 * string, number or boolean is taken from it; anything else, and any failure, leaves that field
 * to n8n's own getNodeParameter, which gives its value or its error naming the field.
 */
export class ItemParameters {
	private readonly shared = new Map<string, unknown>();

	private readonly ofItem = new Map<number, Map<string, unknown>>();

	/** As stored in the workflow; n8n's getNode() would deep-copy the node at every read. */
	private readonly stored: INodeParameters;

	/** The per-item reads the items made so far, replayed for the items ahead. */
	private readonly reads = new Map<string, Read>();

	/** The whole-field expressions read so far, by key: what an item resolves in one go. */
	private readonly wholeFields = new Map<string, string>();

	/** Items whose whole-field expressions have been resolved in one go (or tried). */
	private readonly resolvedTogether = new Set<number>();

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

		const stored = valueAt(this.stored, name);
		const wholeField = wholeFieldExpression(name, stored, options);
		if (wholeField !== undefined && !this.resolvedTogether.has(itemIndex)) {
			if (!values) this.ofItem.set(itemIndex, (values = new Map()));
			this.resolveTogether(itemIndex, values);
			if (values.has(key)) return values.get(key);
		}
		const value: unknown = this.context.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType, options);
		if (!holdsExpression(stored)) {
			this.shared.set(key, deepFreeze(value));
			return value;
		}
		if (!values) this.ofItem.set(itemIndex, (values = new Map()));
		values.set(key, value);
		if (!this.reads.has(key)) this.reads.set(key, [name, fallback, options]);
		if (wholeField !== undefined) this.wholeFields.set(key, wholeField);
		return value;
	}

	/** A text or options field (the resource, the operation); a number an expression gave is its text. */
	string(name: string, itemIndex: number, fallback = ''): string {
		const value = this.get(name, itemIndex, fallback);
		if (typeof value === 'string') return value;
		if (typeof value === 'number') return String(value);
		if (value === undefined || value === null) return fallback;
		throw new InvalidInput(name, `must be text, got ${Array.isArray(value) ? 'a list' : typeof value}`);
	}

	/** A collection (Additional Fields, Options, Filters): an object, empty when the user added none. */
	collection(name: string, itemIndex: number): IDataObject {
		const value = this.get(name, itemIndex, {});
		if (value === undefined || value === null || value === '') return {};
		if (!isObject(value)) throw new InvalidInput(name, `must be a collection of fields, got ${typeof value}`);
		return value;
	}

	/** A boolean field; an expression may give "true" or "false" as text. */
	boolean(name: string, itemIndex: number, fallback: boolean): boolean {
		const value = this.get(name, itemIndex, fallback);
		if (typeof value === 'boolean') return value;
		if (value === 'true' || value === 'false') return value === 'true';
		if (value === undefined || value === null || value === '') return fallback;
		throw new InvalidInput(name, `must be true or false, got ${JSON.stringify(value)}`);
	}

	private resolveTogether(itemIndex: number, values: Map<string, unknown>): void {
		this.resolvedTogether.add(itemIndex);
		const pending = [...this.wholeFields].filter(([key]) => !values.has(key));
		if (pending.length < 2) return;
		let resolved: unknown;
		try {
			resolved = this.context.evaluateExpression(`{{ [${pending.map(([, inner]) => `(${inner})`).join(', ')}] }}`, itemIndex);
		} catch {
			return;
		}
		if (!Array.isArray(resolved) || resolved.length !== pending.length) return;
		pending.forEach(([key], index) => {
			const value: unknown = resolved[index];
			if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values.set(key, value);
		});
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
		this.resolvedTogether.delete(itemIndex);
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

/**
 * The inside of a top-level field that is one expression, read as n8n's getNodeParameter would
 * give it without options. A field inside a collection is left out: n8n shows its expressions the
 * collection as their sibling parameters, which one expression for the item could not.
 */
function wholeFieldExpression(name: string, stored: unknown, options: IGetNodeParameterOptions | undefined): string | undefined {
	if (name.includes('.') || typeof stored !== 'string') return undefined;
	if (options && Object.values(options).some((option) => option !== undefined && option !== false)) return undefined;
	return WHOLE_FIELD_EXPRESSION.exec(stored)?.[1];
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
