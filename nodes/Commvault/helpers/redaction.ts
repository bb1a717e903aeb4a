import type { IDataObject, INodeParameters, INodeProperties, JsonObject } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { redactor, type SecretFormCache } from './secrets';

/** The parts of an n8n node error that n8n shows, stores or logs; read by shape, whatever copy of n8n-workflow built it. */
export interface RedactableError {
	message: string;
	description?: string | null;
	messages?: string[];
	errorResponse?: JsonObject;
	node?: { parameters: INodeParameters };
	stack?: string;
	cause?: unknown;
	context?: IDataObject;
}

/**
 * The paths of an operation's secret parameters, read from its fields: a password field
 * (`typeOptions.password`), at the top level or in a collection. Declared once, in the description.
 */
export function secretParametersOf(properties: INodeProperties[], parent = ''): string[] {
	return properties.flatMap((property) => {
		const path = `${parent}${property.name}`;
		if (property.typeOptions?.password === true) return [path];
		if (property.type !== 'collection' || !Array.isArray(property.options)) return [];
		return secretParametersOf(property.options as INodeProperties[], `${path}.`);
	});
}

/** What an item's parameters hold that must not leave the node: its typed secrets, in every form. */
export function typedSecrets(read: (path: string) => unknown, secretParameters: string[], forms: SecretFormCache): string[] {
	return forms.of(secretParameters.map((path) => parameterValue(read, path)));
}

function parameterValue(read: (path: string) => unknown, path: string): unknown {
	try {
		return read(path);
	} catch {
		// An expression that fails to resolve produced no value to leak.
		return '';
	}
}

/**
 * Takes every secret out of the strings of an item's outputs (Commvault may echo the request):
 * made once per item, as an item may output thousands of records (Get Many). An output with no
 * secret in it comes back as the same object, so a long list is neither copied nor held twice.
 */
export function outputRedactor(secrets: string[]): (json: IDataObject) => IDataObject {
	const redact = redactor(secrets);
	// Empty again after each call: one for all of the item's outputs.
	const within = new WeakSet<object>();
	return (json) => redactStrings(json, redact, within) as IDataObject;
}

/**
 * The last line of defence: strips secrets from every part of an error that n8n shows, stores
 * or logs, before the error leaves the node.
 */
export function redactError(error: RedactableError, secrets: string[], secretParameters: string[]): void {
	const redact = redactor(secrets);
	error.message = redact(error.message);
	if (error.description) error.description = redact(error.description);
	// NodeApiError keeps Commvault's raw text here too, and n8n stores and logs the whole error.
	if (Array.isArray(error.messages)) error.messages = error.messages.map(redact);
	if (error.errorResponse) error.errorResponse = redactStrings(error.errorResponse, redact) as JsonObject;
	// The stack starts with the message as it was when the error was built; n8n stores it too.
	if (typeof error.stack === 'string') error.stack = redact(error.stack);
	if (error.context) error.context = redactStrings(error.context, redact) as IDataObject;
	if (error.cause !== undefined) error.cause = redactCause(error.cause, redact);
	// n8n also stores and logs the failing node with its parameters, where a secret may be typed in.
	if (error.node) error.node.parameters = parametersWithoutSecrets(error.node.parameters, secretParameters);
}

/** An error's cause keeps its own message and stack, often the very text the error quotes. */
function redactCause(cause: unknown, redact: (text: string) => string, seen = new WeakSet<object>()): unknown {
	if (!(cause instanceof Error)) return redactStrings(cause, redact, seen);
	if (seen.has(cause)) return cause;
	seen.add(cause);
	cause.message = redact(cause.message);
	if (typeof cause.stack === 'string') cause.stack = redact(cause.stack);
	const holder = cause as unknown as Record<string, unknown>;
	for (const key of Object.keys(holder)) holder[key] = redactCause(holder[key], redact, seen);
	return cause;
}

/**
 * Copy on write: an array or plain object none of whose strings holds a secret is returned as it
 * is; one that does is copied, and so is each object above it, never the value passed in. Any
 * other object (an Error, a class instance) is rebuilt as a plain object of its own enumerable
 * keys, as it always was: what it hides elsewhere (an Error's message) does not get out.
 * `within` holds the objects above this one: a cycle (a request pointing back at its error) is
 * cut, not followed forever.
 */
function redactStrings(value: unknown, redact: (text: string) => string, within = new WeakSet<object>()): unknown {
	if (typeof value === 'string') return redact(value);
	if (typeof value !== 'object' || value === null) return value;
	if (within.has(value)) return '[circular]';
	within.add(value);
	let result: unknown;
	if (Array.isArray(value)) {
		let copy: unknown[] | undefined;
		for (let index = 0; index < value.length; index++) {
			const entry = redactStrings(value[index], redact, within);
			if (entry !== value[index]) (copy ??= [...value])[index] = entry;
		}
		result = copy ?? value;
	} else if (isPlainObject(value)) {
		let copy: Record<string, unknown> | undefined;
		// for…in, not Object.entries: no pair array per key, thousands of records over
		for (const key in value) {
			if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
			const entry = redactStrings(value[key], redact, within);
			if (entry !== value[key]) (copy ??= { ...value })[key] = entry;
		}
		result = copy ?? value;
	} else {
		result = Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, redactStrings(entry, redact, within)]));
	}
	within.delete(value);
	return result;
}

/** What JSON.parse and object literals make: the only objects handed on as they are. */
function isPlainObject(value: object): value is Record<string, unknown> {
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

function parametersWithoutSecrets(original: INodeParameters, secretParameters: string[]): INodeParameters {
	const parameters = deepCopy(original);
	for (const path of secretParameters) {
		const keys = path.split('.');
		const last = keys.pop() as string;
		let holder: unknown = parameters;
		for (const key of keys) holder = isParameterObject(holder) ? holder[key] : undefined;
		if (isParameterObject(holder) && holder[last] !== undefined && holder[last] !== '') holder[last] = '[redacted]';
	}
	return parameters;
}

function isParameterObject(value: unknown): value is INodeParameters {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
