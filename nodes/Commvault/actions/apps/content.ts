import type { IDataObject, IExecuteFunctions, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { apiError } from '../../helpers/errors';
import { hasPlanValue, PLAN_KINDS, planKindLabel, type PlanReference } from '../../plans/kinds';
import { InvalidInput } from '../../helpers/validation';
import { isOptionalText } from '../../helpers/json';
import { wasNotSent, type Success } from '../../transport';
import type { PartialSuccess, RunContext } from '../types';
import type { ContentType, Workload } from './workloads';

/** The content type field's label, in the editor and in messages. */
export const CONTENT_TYPE_FIELD = 'Content Type';

/** The content plan picker's label: the plan kind's picker name. */
export function contentPlanField(workload: Workload): string {
	return PLAN_KINDS[workload.contentPlan.kind].pickerName;
}

/** Commvault's confirmation of a content step: a GenericResp whose errorCode is 0 (a non-zero one was reported as a failure already). */
const confirmed: Success = {
	expected: "Commvault's confirmation (a GenericResp with errorCode 0)",
	is: (body): body is IDataObject => body.errorCode === 0 && isOptionalText(body.errorMessage),
};

/** What one content step asks Commvault for. */
export interface ContentRequest {
	plan: PlanReference;
	type: ContentType;
}

/**
 * `PUT …/{appId}/Content`, the one content call for every workload. The output says in words what
 * happened; Commvault's own answer (a GenericResp whose `errorCode: 0` reads like an error to
 * people) stays available under `commvaultAnswer`.
 */
export async function putContent(
	run: RunContext,
	workload: Workload,
	appId: number,
	content: ContentRequest,
	itemIndex: number,
): Promise<IDataObject> {
	const answer = await run.connection.request({
		method: 'PUT',
		path: workload.contentPath(appId),
		body: { type: content.type.value, [workload.contentPlan.bodyField]: content.plan },
		itemIndex,
		success: confirmed,
		mayHaveDone: `added the ${content.type.noun} of the ${workload.product} app ${appId} to the plan`,
	});
	return { plan: content.plan, contentType: content.type.value, added: true, commvaultAnswer: answer };
}

/** The content type a user chose (or the schema's default when the field is absent or empty). */
export function contentTypeOf(workload: Workload, chosen: unknown): ContentType {
	if (chosen === undefined || chosen === null || chosen === '') return workload.contentTypes[0];
	const type = workload.contentTypes.find((candidate) => candidate.value === chosen);
	if (type) return type;
	throw new InvalidInput(
		CONTENT_TYPE_FIELD,
		`${JSON.stringify(chosen)} is not a content type of a ${workload.product} app`,
		`Use one of ${workload.contentTypes.map((candidate) => candidate.value).join(', ')}.`,
	);
}

/**
 * Create's optional second step. A field the user added but left empty (or an expression that
 * came out empty for this item) is an error rather than "no content": skipping it would create
 * an app that protects nothing without saying so.
 */
export async function contentRequestOf(
	workload: Workload,
	run: RunContext,
	additionalFields: IDataObject,
	itemIndex: number,
): Promise<ContentRequest | undefined> {
	const { parameter, kind } = workload.contentPlan;
	const field = contentPlanField(workload);
	if (!(parameter in additionalFields)) {
		if (workload.pickContentType && 'contentType' in additionalFields) {
			throw new InvalidInput(
				CONTENT_TYPE_FIELD,
				`is set, but no ${field} is`,
				`Add "${field}" to say which plan the content goes to, or remove "${CONTENT_TYPE_FIELD}".`,
			);
		}
		return undefined;
	}
	const locator = additionalFields[parameter];
	if (!hasPlanValue(locator)) {
		throw new InvalidInput(
			field,
			'is empty',
			`Pick a ${planKindLabel(kind)}, or remove the field to create the app without adding its content.`,
		);
	}
	const type = contentTypeOf(workload, workload.pickContentType ? additionalFields.contentType : undefined);
	return { plan: await run.plans.resolve(field, kind, locator, itemIndex), type };
}

/** An error's wording, to be told again inside an error that says what was done before it. */
export function describeFailure(error: unknown): { message: string; description?: string; httpCode?: string } {
	if (!(error instanceof Error)) return { message: String(error) };
	const { description, httpCode } = error as Error & { description?: string | null; httpCode?: string | null };
	return { message: error.message, description: description ?? undefined, httpCode: httpCode ?? undefined };
}

/**
 * The second step of Create. If it fails the app still exists in Commvault, so the error says
 * so and carries its id and name: the user retries Add Content alone instead of creating a
 * duplicate app (Commvault would refuse the name anyway). The name is the one the node sent,
 * which Commvault's answer may lack; the id is the one its IdName answer carried.
 */
export async function addContentAfterCreate(
	context: IExecuteFunctions,
	run: RunContext,
	workload: Workload,
	created: IDataObject & { id: number },
	appName: string,
	content: ContentRequest,
	itemIndex: number,
	existed = false,
): Promise<IDataObject> {
	const appId = created.id;
	try {
		return await putContent(run, workload, appId, content, itemIndex);
	} catch (error) {
		// The run halted (another item stopped it): the app is named in the run's error, with the others it created.
		if (wasNotSent(error)) throw error as NodeOperationError;
		const cause = describeFailure(error);
		const partial = apiError(
			context.getNode(),
			{
				message: `The ${workload.product} app "${appName}" ${existed ? 'already existed' : 'WAS created'} (id ${appId}), but adding its ${content.type.noun} to the ${planKindLabel(workload.contentPlan.kind)} failed: ${cause.message}`,
				description: `Do not create the app again. Run Add Content with App ID ${appId} to finish. ${cause.description ?? ''}`.trim(),
				httpCode: cause.httpCode,
				itemIndex,
			},
			{ message: cause.message },
		) as NodeApiError & PartialSuccess;
		partial.createdApp = { id: appId, name: appName };
		throw partial;
	}
}
