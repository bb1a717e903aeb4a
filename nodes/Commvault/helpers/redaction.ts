import type { IDataObject, INodeParameters, JsonObject } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { redactor, secretForms } from './secrets';

/** The parts of an n8n node error that n8n shows, stores or logs; read by shape, whatever copy of n8n-workflow built it. */
export interface RedactableError {
	message: string;
	description?: string | null;
	messages?: string[];
	errorResponse?: JsonObject;
	node?: { parameters: INodeParameters };
}

/** What an item's parameters hold that must not leave the node: its typed secrets, in every form. */
export function typedSecrets(read: (path: string) => unknown, secretParameters: string[]): string[] {
	return secretForms(secretParameters.map((path) => parameterValue(read, path)));
}

function parameterValue(read: (path: string) => unknown, path: string): unknown {
	try {
		return read(path);
	} catch {
		// An expression that fails to resolve produced no value to leak.
		return '';
	}
}

/** An output item's json with every secret taken out of its strings: Commvault may echo the request. */
export function redactOutput(json: IDataObject, secrets: string[]): IDataObject {
	return redactStrings(json, redactor(secrets)) as IDataObject;
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
	// n8n also stores and logs the failing node with its parameters, where a secret may be typed in.
	if (error.node) error.node.parameters = parametersWithoutSecrets(error.node.parameters, secretParameters);
}

function redactStrings(value: unknown, redact: (text: string) => string): unknown {
	if (typeof value === 'string') return redact(value);
	if (Array.isArray(value)) return value.map((entry) => redactStrings(entry, redact));
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, redactStrings(entry, redact)]));
	}
	return value;
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
