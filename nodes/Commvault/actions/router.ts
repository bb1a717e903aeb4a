import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ACT_FOR_COMPANY_FIELD, CompanyDirectory } from '../companies';
import { CONCURRENCY_DEFAULT, CONCURRENCY_MAX } from '../descriptions/options.description';
import { isNodeError, operationError } from '../helpers/errors';
import { forEachConcurrently } from '../helpers/pool';
import { outputRedactor, redactError, secretParametersOf, typedSecrets, type RedactableError } from '../helpers/redaction';
import { SecretFormCache } from '../helpers/secrets';
import { InvalidInput } from '../helpers/validation';
import { PlanDirectory } from '../plans/directory';
import { fetchPlanSummaries } from '../plans/listing';
import { CommvaultConnection, createdBeforeStopMessage, createdList, wasNotSent } from '../transport';
import { ItemParameters } from './parameters';
import { operationFor } from './registry';
import { runsAsTool, toolAnswer } from './tool';
import type { Created, OperationResult, PartialSuccess, RunContext } from './types';

/**
 * The per-item loop, written once: dispatch, up to Options > Concurrency items at a time,
 * Continue On Fail, each of an item's results (none, one or many) paired to it in input order,
 * and every output and error redacted before n8n shows, stores or logs it.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const parameters = new ItemParameters(this);
	const resource = parameters.string('resource', 0);
	const operationName = parameters.string('operation', 0);
	const operation = operationFor(resource, operationName);
	if (!operation) {
		throw operationError(this.getNode(), { message: `The operation "${operationName}" of "${resource}" is not supported` });
	}
	const secretParameters = secretParametersOf(operation.description);
	let concurrency: number;
	try {
		concurrency = concurrencyOf(parameters);
	} catch (caught) {
		throw itemError(this, caught, 0);
	}

	const connection = new CommvaultConnection(this);
	const created: Created[] = [];
	const companies = new CompanyDirectory(connection);
	const plansOf = new Map<number | undefined, PlanDirectory>();
	/**
	 * An item's view of the run, for the company it acts for (resolved before anything else of the
	 * item is sent): its requests, plan lists included, carry that company and no other.
	 */
	const runFor = async (itemIndex: number): Promise<RunContext> => {
		const company = await companies.resolve(ACT_FOR_COMPANY_FIELD, parameters.collection('options', itemIndex).actForCompany, itemIndex);
		const scoped = connection.actingFor(company);
		let plans = plansOf.get(company);
		if (!plans) plansOf.set(company, (plans = new PlanDirectory(async (i) => await fetchPlanSummaries(scoped, i))));
		return { connection: scoped, plans, parameters, created };
	};
	const output: INodeExecutionData[][] = new Array<INodeExecutionData[]>(items.length);
	// A tool's failed item is the model's answer (actions/tool.ts): the run goes on as with Continue On Fail.
	const asTool = runsAsTool(this.getNode());
	const continueOnFail = asTool || this.continueOnFail();
	// Without Continue On Fail the first failure ends the run: no new item starts, no request that
	// has not left is sent, and the requests already out are waited for (what they did is reported).
	let failure: { itemIndex: number; error: RedactableError } | undefined;
	let stopping = false;

	const forms = new SecretFormCache();
	const secretsOf = async (itemIndex: number): Promise<string[]> => [
		...(await connection.credentialSecrets()),
		...typedSecrets((path) => parameters.get(path, itemIndex, ''), secretParameters, forms),
		// In every form: a secret the item sent from a credential (the Azure app's) was typed nowhere on the node.
		...forms.of(connection.secretsSentFor(itemIndex)),
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
				const results = resultList(await operation.execute.call(this, i, await runFor(i)));
				const redact = outputRedactor(await secretsOf(i));
				output[i] = results.map((json) => ({ json: redact(successJson(json)), pairedItem: { item: i } }));
			} catch (caught) {
				if (!continueOnFail) {
					// A request the halt kept from leaving did nothing: the failure that stopped the run is the one to report.
					if (stopping && wasNotSent(caught)) return;
					stopping = true;
					connection.halt();
				}
				const error = itemError(this, caught, i);
				redactError(error, await secretsOf(i), secretParameters);
				if (!continueOnFail) {
					if (!failure || i < failure.itemIndex) failure = { itemIndex: i, error };
					return;
				}
				output[i] = [
					asTool
						? { json: toolAnswer(this.getNode(), operation.description, error, caught, i), pairedItem: { item: i } }
						: failedItem(this, error, caught, i),
				];
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
		const others = created.filter((entity) => entity.itemIndex !== failure?.itemIndex);
		throw withCreated(failure.error, others.map((entity) => ({ ...entity, unfinished: !output[entity.itemIndex] })));
	}
	return [output.flat()];
}

function resultList(result: OperationResult): IDataObject[] {
	return Array.isArray(result) ? result : [result];
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
 * The run's error also names every other app and company the run created, in input order (the
 * failed item's own, if any, its error names already): nothing Commvault did goes unreported.
 */
function withCreated(error: RedactableError, created: Array<Created & { unfinished: boolean }>): RedactableError {
	if (created.length === 0) return error;
	const inOrder = [...created].sort((a, b) => a.itemIndex - b.itemIndex);
	error.message = `${error.message.replace(/[.\s]+$/, '')}. ${createdBeforeStopMessage(inOrder)}.`;
	error.description = [createdList(inOrder), error.description].filter(Boolean).join(' ');
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

/** The run's concurrency, read once from the first item: the pool is one for all items. */
function concurrencyOf(parameters: ItemParameters): number {
	const raw = parameters.collection('options', 0).concurrency ?? CONCURRENCY_DEFAULT;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > CONCURRENCY_MAX) {
		throw new InvalidInput(
			'Options > Concurrency',
			`must be a whole number from 1 to ${CONCURRENCY_MAX}, got ${JSON.stringify(raw)}`,
		);
	}
	return value;
}
