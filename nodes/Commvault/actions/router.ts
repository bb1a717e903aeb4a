import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { concurrencyOf } from '../descriptions/options.description';
import { isNodeError, operationError } from '../helpers/errors';
import { PlanDirectory } from '../helpers/planDirectory';
import { forEachConcurrently } from '../helpers/pool';
import { redactError, redactOutput, typedSecrets, type RedactableError } from '../helpers/redaction';
import { SecretFormCache } from '../helpers/secrets';
import { InvalidInput } from '../helpers/validation';
import { CommvaultConnection, fetchPlanSummaries } from '../transport';
import { operationFor } from './apps';
import { ItemParameters } from './parameters';
import type { PartialSuccess, RunContext } from './types';

/**
 * The per-item loop, written once: dispatch, up to Options > Concurrency items at a time,
 * Continue On Fail, pairing in input order, and every output and error redacted before n8n
 * shows, stores or logs it.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operationFor(resource, operationName);
	if (!operation) {
		throw operationError(this.getNode(), { message: `The operation "${operationName}" of "${resource}" is not supported` });
	}
	let concurrency: number;
	try {
		concurrency = concurrencyOf(this);
	} catch (caught) {
		throw itemError(this, caught, 0);
	}

	const connection = new CommvaultConnection(this);
	const parameters = new ItemParameters(this);
	const run: RunContext = {
		connection,
		plans: new PlanDirectory(async (itemIndex) => await fetchPlanSummaries(connection, itemIndex)),
		parameters,
	};
	const output: INodeExecutionData[] = new Array<INodeExecutionData>(items.length);
	const continueOnFail = this.continueOnFail();
	// Without Continue On Fail the first failure ends the run: no new item starts, those under way finish.
	let failure: { itemIndex: number; error: RedactableError } | undefined;

	const forms = new SecretFormCache();
	const secretsOf = async (itemIndex: number): Promise<string[]> => [
		...(await connection.credentialSecrets()),
		...typedSecrets((path) => parameters.get(path, itemIndex, ''), operation.secretParameters, forms),
		...connection.secretsSentFor(itemIndex),
	];

	await forEachConcurrently(
		items.length,
		concurrency,
		async (i) => {
			try {
				// Commvault locks accounts after a few failed logins: one refused sign-in ends the
				// requests of this run, and the remaining items fail with the same message.
				const refused = connection.refusedSignIn(i);
				if (refused) throw refused;
				parameters.readAhead(i, Math.min(items.length - 1, i + concurrency));
				const json = await operation.execute.call(this, i, run);
				output[i] = { json: redactOutput(json, await secretsOf(i)), pairedItem: { item: i } };
			} catch (caught) {
				const error = itemError(this, caught, i);
				redactError(error, await secretsOf(i), operation.secretParameters);
				if (!continueOnFail) {
					if (!failure || i < failure.itemIndex) failure = { itemIndex: i, error };
					return;
				}
				output[i] = failedItem(this, error, caught, i);
			} finally {
				connection.forget(i);
				parameters.forget(i);
			}
		},
		() => failure !== undefined,
	);
	parameters.stop();
	if (failure) throw failure.error;
	return [output];
}

function failedItem(context: IExecuteFunctions, error: RedactableError, caught: unknown, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	const partial = (caught as PartialSuccess).createdApp;
	if (partial) json.createdApp = partial;
	const failed: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	// n8n sends an item to the error output by its `error`; by json alone only a bare {error} would go there.
	if (context.getNode().onError === 'continueErrorOutput') failed.error = error as INodeExecutionData['error'];
	return failed;
}

function itemError(context: IExecuteFunctions, caught: unknown, itemIndex: number): RedactableError {
	let error: RedactableError & { context: IDataObject };
	if (caught instanceof InvalidInput) {
		error = operationError(context.getNode(), { message: `${caught.message} (item ${itemIndex})`, description: caught.hint, itemIndex });
	} else if (isNodeError(caught)) {
		error = caught;
	} else {
		const cause = caught instanceof Error ? caught : new Error(String(caught));
		error = operationError(context.getNode(), { message: cause.message, itemIndex }, cause);
	}
	error.context.itemIndex = itemIndex;
	return error;
}
