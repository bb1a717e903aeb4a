import type { IExecuteFunctions, INodeParameters, JsonObject, NodeApiError, NodeOperationError } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import type { CommvaultOperation } from '../actions/types';
import { credentialSecretForms, redactSecrets, secretForms } from './secrets';

type SecretSources = Pick<CommvaultOperation, 'secretParameters' | 'secretBinaryProperties'>;

/**
 * Every secret one item's error could carry, in the forms Commvault could echo them. Called when
 * the error is handled, not before the run: the credential is read again, since signing in
 * during the run (the first login, or again after a 401) stored a login token it did not hold.
 */
export async function secretsFor(context: IExecuteFunctions, operation: SecretSources, itemIndex: number): Promise<string[]> {
	return [...(await credentialSecrets(context)), ...(await parameterSecrets(context, operation, itemIndex))];
}

async function credentialSecrets(context: IExecuteFunctions): Promise<string[]> {
	try {
		return credentialSecretForms(await context.getCredentials('commvaultApi'));
	} catch {
		// Without credentials every request fails with n8n's own message; there is nothing to redact.
		return [];
	}
}

/** What one item's parameters and files hold that must not leave the node: typed secrets and sent files. */
async function parameterSecrets(
	context: IExecuteFunctions,
	operation: SecretSources,
	itemIndex: number,
): Promise<string[]> {
	const typed = secretForms(operation.secretParameters.map((path) => parameterValue(context, path, itemIndex)));
	const files = await Promise.all(
		(operation.secretBinaryProperties ?? []).map(
			async (path) => await binaryAsBase64(context, itemIndex, parameterValue(context, path, itemIndex)),
		),
	);
	return [...typed, ...files.filter((file): file is string => file !== undefined)];
}

function parameterValue(context: IExecuteFunctions, path: string, itemIndex: number): unknown {
	try {
		return context.getNodeParameter(path, itemIndex, '');
	} catch {
		// An expression that fails to resolve produced no value to leak.
		return '';
	}
}

/** The base64 the node sent for a binary property, so Commvault echoing it back is caught too. */
async function binaryAsBase64(context: IExecuteFunctions, itemIndex: number, property: unknown): Promise<string | undefined> {
	const name = typeof property === 'string' ? property.trim() : '';
	if (name === '' || !context.getInputData()[itemIndex]?.binary?.[name]) return undefined;
	try {
		return (await context.helpers.getBinaryDataBuffer(itemIndex, name)).toString('base64');
	} catch {
		// Bytes that cannot be read were never sent.
		return undefined;
	}
}

/**
 * The last line of defence: strips secrets from every part of an error that n8n shows, stores
 * or logs, before the error leaves the node.
 */
export function redactError(
	error: NodeApiError | NodeOperationError,
	secrets: string[],
	secretParameters: string[],
): void {
	error.message = redactSecrets(error.message, secrets);
	if (error.description) error.description = redactSecrets(error.description, secrets);
	// NodeApiError keeps Commvault's raw text here too, and n8n stores and logs the whole error.
	error.messages = error.messages.map((message) => redactSecrets(message, secrets));
	if (error.errorResponse) error.errorResponse = redactStrings(error.errorResponse, secrets) as JsonObject;
	// n8n also stores and logs the failing node with its parameters, where a secret may be typed in.
	if (error.node) error.node.parameters = parametersWithoutSecrets(error.node.parameters, secretParameters);
}

function redactStrings(value: unknown, secrets: string[]): unknown {
	if (typeof value === 'string') return redactSecrets(value, secrets);
	if (Array.isArray(value)) return value.map((entry) => redactStrings(entry, secrets));
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, redactStrings(entry, secrets)]));
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
