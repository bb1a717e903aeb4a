import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { concurrencyOf } from '../descriptions/options.description';
import { isNodeError, operationError } from '../helpers/errors';
import { PlanDirectory } from '../helpers/planDirectory';
import { forEachConcurrently } from '../helpers/pool';
import { redactError, redactOutput, typedSecrets, type RedactableError } from '../helpers/redaction';
import { SecretFormCache } from '../helpers/secrets';
import { InvalidInput } from '../helpers/validation';
import { CommvaultConnection, createdAppsList, createdBeforeStopMessage, fetchPlanSummaries, wasNotSent } from '../transport';
import { operationFor } from './apps';
import { ItemParameters } from './parameters';
import type { CreatedApp, PartialSuccess, RunContext } from './types';

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
		created: [],
	};
	const output: INodeExecutionData[] = new Array<INodeExecutionData>(items.length);
	const continueOnFail = this.continueOnFail();
	// Without Continue On Fail the first failure ends the run: no new item starts, no request that
	// has not left is sent, and the requests already out are waited for (what they did is reported).
	let failure: { itemIndex: number; error: RedactableError } | undefined;
	let stopping = false;

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
				// requests of this run, and the remaining items fail with the same message, until
				// the credential is edited (the corrected one is tried with the next item).
				const refused = await connection.refusedSignIn(i);
				if (refused) throw refused;
				parameters.readAhead(i, Math.min(items.length - 1, i + concurrency));
				const json = await operation.execute.call(this, i, run);
				output[i] = { json: redactOutput(successJson(json), await secretsOf(i)), pairedItem: { item: i } };
			} catch (caught) {
				if (!continueOnFail) {
					// A request the halt kept from leaving did nothing: the failure that stopped the run is the one to report.
					if (stopping && wasNotSent(caught)) return;
					stopping = true;
					connection.halt();
				}
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
		() => stopping,
	);
	parameters.stop();
	// The run is over: nothing of it may be sent later.
	connection.halt();
	if (failure) {
		const others = run.created.filter((app) => app.itemIndex !== failure?.itemIndex);
		throw withCreatedApps(failure.error, others.map((app) => ({ ...app, unfinished: !output[app.itemIndex] })));
	}
	return [output];
}

/**
 * n8n reads a top-level `error` in an output item as a failed item (Retry On Fail would send the
 * create again): Commvault's `error: {errorCode: 0}` in a success says nothing and is dropped.
 */
function successJson(json: IDataObject): IDataObject {
	if (!('error' in json)) return json;
	const copy = { ...json };
	delete copy.error;
	return copy;
}

/**
 * The run's error also names every other app the run created, in input order (the failed item's
 * own, if any, its error names already): nothing Commvault did goes unreported.
 */
function withCreatedApps(error: RedactableError, created: Array<CreatedApp & { unfinished: boolean }>): RedactableError {
	if (created.length === 0) return error;
	const apps = [...created].sort((a, b) => a.itemIndex - b.itemIndex);
	error.message = `${error.message.replace(/[.\s]+$/, '')}. ${createdBeforeStopMessage(apps.length)}.`;
	error.description = [createdAppsList(apps), error.description].filter(Boolean).join(' ');
	return error;
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
