import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { plansOfKind, PLAN_KINDS, type PlanKind, type PlanSummary } from '../plans/kinds';
import { isNodeError, operationError } from '../helpers/errors';
import { redactError, type RedactableError } from '../helpers/redaction';
import { fetchPlanSummaries } from '../plans/listing';
import { CommvaultConnection } from '../transport';

/**
 * Plans that share a name (possible across companies) would look identical in the list, so
 * those carry their ID; a plan that is usable but not fully enabled carries its status.
 */
function label(plan: PlanSummary, sharedNames: Set<string>): string {
	const notes: string[] = [];
	if (plan.status && plan.status !== 'ENABLED') notes.push(plan.status);
	if (sharedNames.has(plan.name.toLowerCase())) notes.push(`ID ${plan.id}`);
	return notes.length > 0 ? `${plan.name} (${notes.join(', ')})` : plan.name;
}

function namesUsedTwice(plans: PlanSummary[]): Set<string> {
	const seen = new Set<string>();
	const twice = new Set<string>();
	for (const plan of plans) {
		const key = plan.name.toLowerCase();
		if (seen.has(key)) twice.add(key);
		seen.add(key);
	}
	return twice;
}

async function searchPlans(
	context: ILoadOptionsFunctions,
	kind: PlanKind,
	filter?: string,
): Promise<INodeListSearchResult> {
	const plans = plansOfKind(await plansFor(context, new CommvaultConnection(context)), kind);
	const sharedNames = namesUsedTwice(plans);
	const wanted = filter?.trim().toLowerCase() ?? '';
	const results: INodeListSearchItems[] = plans
		.filter((plan) => wanted === '' || plan.name.toLowerCase().includes(wanted))
		.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id)
		.map((plan) => ({ name: label(plan, sharedNames), value: String(plan.id) }));
	return { results };
}

/**
 * The listing, or its error with no secret in it: the editor shows a picker's error as it is,
 * and Commvault's refusal may quote the Authtoken, login token or password it was sent.
 */
async function plansFor(context: ILoadOptionsFunctions, connection: CommvaultConnection): Promise<PlanSummary[]> {
	try {
		return await fetchPlanSummaries(connection);
	} catch (caught) {
		throw await pickerError(context, connection, caught);
	}
}

async function pickerError(context: ILoadOptionsFunctions, connection: CommvaultConnection, caught: unknown): Promise<RedactableError> {
	const error = isNodeError(caught) ? caught : operationError(context.getNode(), { message: caught instanceof Error ? caught.message : String(caught) });
	redactError(error, await connection.credentialSecrets(), []);
	return error;
}

type ListSearchMethod = (this: ILoadOptionsFunctions, filter?: string) => Promise<INodeListSearchResult>;

/** One list method per plan kind, named as the kind's pickers name it (`PLAN_KINDS[kind].listMethod`). */
export const listSearch: Record<string, ListSearchMethod> = Object.fromEntries(
	(Object.keys(PLAN_KINDS) as PlanKind[]).map((kind): [string, ListSearchMethod] => [
		PLAN_KINDS[kind].listMethod,
		async function (this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
			return await searchPlans(this, kind, filter);
		},
	]),
);
