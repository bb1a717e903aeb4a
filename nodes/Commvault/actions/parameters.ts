import type { IExecuteFunctions, IGetNodeParameterOptions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

/**
 * The node's parameters as the run's items read them, each resolved by n8n once. Resolving is
 * most of what an item costs n8n (every expression gets a data proxy of its own), and the same
 * value is asked for twice: once to build the request, once to keep its secrets out of the
 * output. A parameter with no expression in it is the same for every item, so it is resolved for
 * the first item that asks and shared; what is shared is frozen, so no item can change another's.
 */
export class ItemParameters {
	private readonly shared = new Map<string, unknown>();

	private readonly ofItem = new Map<number, Map<string, unknown>>();

	constructor(private readonly context: IExecuteFunctions) {}

	get(name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions): unknown {
		const key = `${name}\u0000${options?.extractValue === false ? 'raw' : ''}\u0000${JSON.stringify(fallback) ?? ''}`;
		if (this.shared.has(key)) return this.shared.get(key);
		let values = this.ofItem.get(itemIndex);
		if (values?.has(key)) return values.get(key);

		const value: unknown = this.context.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType, options);
		if (!holdsExpression(valueAt(this.context.getNode().parameters, name))) {
			this.shared.set(key, deepFreeze(value));
			return value;
		}
		if (!values) this.ofItem.set(itemIndex, (values = new Map()));
		values.set(key, value);
		return value;
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
