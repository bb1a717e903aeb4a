import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	JsonObject,
} from 'n8n-workflow';
import { deepCopy, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toBase64 } from '../helpers/encoding';
import { PlanDirectory } from '../helpers/planDirectory';
import { redactSecrets } from '../helpers/secrets';
import { InvalidInput } from '../helpers/validation';
import { isSignInFailure } from '../transport';
import * as dynamics365App from './dynamics365App/Dynamics365App.resource';
import type { CommvaultOperation, RunContext } from './types';

const resources: Record<string, Record<string, CommvaultOperation>> = {
	dynamics365App: dynamics365App.operations,
};

/** Errors an operation attaches to say what it already did in Commvault before failing. */
export interface PartialSuccess {
	createdApp?: IDataObject;
}

/**
 * The per-item loop, written once: dispatch, Continue On Fail, pairing, and the last line of
 * defence that strips secrets from any error text before n8n shows, stores or logs it.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}

	const credentialSecrets = await credentialSecretsOf(this);
	const run: RunContext = { plans: new PlanDirectory(this) };
	const output: INodeExecutionData[] = [];

	let signInFailure: NodeApiError | undefined;

	for (let i = 0; i < items.length; i++) {
		try {
			// Commvault locks accounts after a few failed logins: one refused sign-in ends the
			// requests of this run, and the remaining items fail with the same error.
			if (signInFailure) throw signInFailure;
			const json = await operation.execute.call(this, i, run);
			output.push({ json, pairedItem: { item: i } });
		} catch (caught) {
			if (isSignInFailure(caught)) signInFailure = caught as NodeApiError;
			const secrets = [...credentialSecrets, ...(await parameterSecrets(this, operation, i))];
			const error = itemError(this, caught, i, secrets, operation.secretParameters);
			if (!this.continueOnFail()) throw error;
			const json: IDataObject = { error: error.message };
			if (error.description) json.description = error.description;
			const partial = (caught as PartialSuccess).createdApp;
			if (partial) json.createdApp = partial;
			const failed: INodeExecutionData = { json, pairedItem: { item: i } };
			// n8n sends an item to the error output by its `error`; by json alone only a bare {error} would go there.
			if (this.getNode().onError === 'continueErrorOutput') failed.error = error;
			output.push(failed);
		}
	}
	return [output];
}

function itemError(
	context: IExecuteFunctions,
	caught: unknown,
	itemIndex: number,
	secrets: string[],
	secretParameters: string[],
): NodeApiError | NodeOperationError {
	let error: NodeApiError | NodeOperationError;
	if (caught instanceof InvalidInput) {
		error = new NodeOperationError(context.getNode(), `${caught.message} (item ${itemIndex})`, {
			itemIndex,
			description: caught.hint,
		});
	} else if (caught instanceof NodeApiError || caught instanceof NodeOperationError) {
		error = caught;
	} else {
		error = new NodeOperationError(context.getNode(), caught as Error, { itemIndex });
	}
	error.message = redactSecrets(error.message, secrets);
	if (error.description) error.description = redactSecrets(error.description, secrets);
	// NodeApiError keeps Commvault's raw text here too, and n8n stores and logs the whole error.
	error.messages = error.messages.map((message) => redactSecrets(message, secrets));
	if (error.errorResponse) error.errorResponse = redactStrings(error.errorResponse, secrets) as JsonObject;
	// n8n also stores and logs the failing node with its parameters, where a secret may be typed in.
	if (error.node) error.node.parameters = parametersWithoutSecrets(error.node.parameters, secretParameters);
	error.context.itemIndex = itemIndex;
	return error;
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

function withBase64(values: unknown[]): string[] {
	const texts = values.filter((v): v is string => typeof v === 'string' && v !== '');
	return [...texts, ...texts.map(toBase64)];
}

async function credentialSecretsOf(context: IExecuteFunctions): Promise<string[]> {
	try {
		const credentials = await context.getCredentials('commvaultApi');
		return withBase64([credentials.authtoken, credentials.password, credentials.sessionToken]);
	} catch (error) {
		// Without credentials every request fails with n8n's own message; there is nothing to redact.
		return [];
	}
}

async function parameterSecrets(
	context: IExecuteFunctions,
	operation: CommvaultOperation,
	itemIndex: number,
): Promise<string[]> {
	const typed = withBase64(operation.secretParameters.map((path) => parameterValue(context, path, itemIndex)));
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
	} catch (error) {
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
	} catch (error) {
		// Bytes that cannot be read were never sent.
		return undefined;
	}
}
