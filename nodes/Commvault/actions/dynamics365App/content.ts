import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';

import { apiError } from '../../helpers/errors';
import { hasPlanValue, type PlanReference } from '../../helpers/plans';
import { InvalidInput } from '../../helpers/validation';
import { commvaultApiRequest } from '../../transport';
import type { PartialSuccess, RunContext } from '../types';

export const CONTENT_PLAN_FIELD = 'Dynamics 365 Plan (Add All Environments)';

/** `PUT /V4/Dynamics365/{appId}/Content`: the one content type Commvault offers is all environments. */
export async function putContent(
	context: IExecuteFunctions,
	appId: number,
	plan: PlanReference,
	itemIndex: number,
): Promise<IDataObject> {
	return await commvaultApiRequest.call(context, {
		method: 'PUT',
		path: `/V4/Dynamics365/${appId}/Content`,
		body: { type: 'ALL_ENVIRONMENTS', dynamics365plan: plan },
		itemIndex,
	});
}

/**
 * Create's optional second step. A field the user added but left empty (or an expression that
 * came out empty for this item) is an error rather than "no content": skipping it would create
 * an app that protects nothing without saying so.
 */
export async function contentPlanOf(
	run: RunContext,
	additionalFields: IDataObject,
	itemIndex: number,
): Promise<PlanReference | undefined> {
	if (!('dynamics365Plan' in additionalFields)) return undefined;
	const locator = additionalFields.dynamics365Plan;
	if (!hasPlanValue(locator)) {
		throw new InvalidInput(
			CONTENT_PLAN_FIELD,
			'is empty',
			'Pick a Dynamics 365 plan, or remove the field to create the app without adding its environments.',
		);
	}
	return await run.plans.resolve(CONTENT_PLAN_FIELD, 'Dynamics365', locator, itemIndex);
}

function describeFailure(error: unknown): { message: string; description?: string; httpCode?: string } {
	if (!(error instanceof Error)) return { message: String(error) };
	const { description, httpCode } = error as Error & { description?: string | null; httpCode?: string | null };
	return { message: error.message, description: description ?? undefined, httpCode: httpCode ?? undefined };
}

/**
 * The second step of Create. If it fails the app still exists in Commvault, so the error says
 * so and carries its id and name: the user retries Add Content alone instead of creating a
 * duplicate app (Commvault would refuse the name anyway). The name is the one the node sent,
 * which Commvault's answer may lack.
 */
export async function addAllEnvironments(
	context: IExecuteFunctions,
	created: IDataObject,
	appName: string,
	plan: PlanReference,
	itemIndex: number,
): Promise<IDataObject> {
	const appId = appIdOf(created.id);
	let cause: ReturnType<typeof describeFailure>;
	let retry: string;
	if (appId !== undefined) {
		try {
			return await putContent(context, appId, plan, itemIndex);
		} catch (error) {
			cause = describeFailure(error);
		}
		retry = `Do not create the app again. Run Add Content with App ID ${appId} to finish.`;
	} else {
		cause = { message: `Commvault's answer has no usable app id (${JSON.stringify(created.id ?? null)})` };
		retry = `Do not create the app again. Look up the id of "${appName}" in Command Center and run Add Content with it.`;
	}

	const partial = apiError(
		context.getNode(),
		{
			message: `The Dynamics 365 app "${appName}" WAS created (id ${appId ?? 'unknown'}), but adding its environments to the Dynamics 365 plan failed: ${cause.message}`,
			description: `${retry} ${cause.description ?? ''}`.trim(),
			httpCode: cause.httpCode,
			itemIndex,
		},
		{ message: cause.message },
	) as NodeApiError & PartialSuccess;
	partial.createdApp = created.id === undefined ? { name: appName } : { id: created.id, name: appName };
	throw partial;
}

function appIdOf(value: unknown): number | undefined {
	const id = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
	return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
