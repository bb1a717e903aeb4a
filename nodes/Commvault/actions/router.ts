import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { operationError } from '../helpers/errors';
import { PlanDirectory } from '../helpers/planDirectory';
import { redactError, secretsFor } from '../helpers/redaction';
import { InvalidInput } from '../helpers/validation';
import { isSignInFailure, signInFailureFor } from '../transport';
import { operationFor } from './apps';
import type { PartialSuccess, RunContext } from './types';

/**
 * The per-item loop, written once: dispatch, Continue On Fail, pairing, and every error
 * redacted (helpers/redaction) before n8n shows, stores or logs it.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operationFor(resource, operationName);
	if (!operation) {
		throw operationError(this.getNode(), { message: `The operation "${operationName}" of "${resource}" is not supported` });
	}

	const run: RunContext = { plans: new PlanDirectory(this) };
	const output: INodeExecutionData[] = [];

	let signInFailure: NodeApiError | undefined;

	for (let i = 0; i < items.length; i++) {
		try {
			// Commvault locks accounts after a few failed logins: one refused sign-in ends the
			// requests of this run, and the remaining items fail with the same message.
			if (signInFailure) throw signInFailureFor(this.getNode(), signInFailure, i);
			const json = await operation.execute.call(this, i, run);
			output.push({ json, pairedItem: { item: i } });
		} catch (caught) {
			if (isSignInFailure(caught)) signInFailure ??= caught;
			const error = itemError(this, caught, i);
			redactError(error, await secretsFor(this, operation, i), operation.secretParameters);
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

function itemError(context: IExecuteFunctions, caught: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	let error: NodeApiError | NodeOperationError;
	if (caught instanceof InvalidInput) {
		error = operationError(context.getNode(), { message: `${caught.message} (item ${itemIndex})`, description: caught.hint, itemIndex });
	} else if (caught instanceof NodeApiError || caught instanceof NodeOperationError) {
		error = caught;
	} else {
		const cause = caught instanceof Error ? caught : new Error(String(caught));
		error = operationError(context.getNode(), { message: cause.message, itemIndex }, cause);
	}
	error.context.itemIndex = itemIndex;
	return error;
}
