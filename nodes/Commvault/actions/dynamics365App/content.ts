import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { PlanReference } from '../../helpers/plans';
import { commvaultApiRequest } from '../../transport';
import type { PartialSuccess } from '../router';

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
 * The second step of Create. If it fails the app still exists in Commvault, so the error says
 * so and carries its id and name: the user retries Add Content alone instead of creating a
 * duplicate app.
 */
export async function addAllEnvironments(
	context: IExecuteFunctions,
	created: IDataObject,
	plan: PlanReference,
	itemIndex: number,
): Promise<IDataObject> {
	const appId = Number(created.id);
	try {
		return await putContent(context, appId, plan, itemIndex);
	} catch (error) {
		const cause = error as NodeApiError;
		const partial = new NodeApiError(
			context.getNode(),
			{ message: cause.message },
			{
				message: `The Dynamics 365 app "${String(created.name)}" WAS created (id ${appId}), but adding its environments to the Dynamics 365 plan failed: ${cause.message}`,
				description: `Do not create the app again. Run Add Content with App ID ${appId} to finish. ${cause.description ?? ''}`.trim(),
				httpCode: cause.httpCode ?? undefined,
				itemIndex,
			},
		) as NodeApiError & PartialSuccess;
		partial.createdApp = { id: created.id, name: created.name };
		throw partial;
	}
}
