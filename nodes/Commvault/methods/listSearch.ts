import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { parsePlanSummary, plansOfKind, type PlanKind, type PlanSummary } from '../helpers/plans';
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
	const response = await new CommvaultConnection(context).request({ method: 'GET', path: '/V4/Plan/Summary', success: 'planSummary' });
	const plans = plansOfKind(parsePlanSummary(response), kind);
	const sharedNames = namesUsedTwice(plans);
	const wanted = filter?.trim().toLowerCase() ?? '';
	const results: INodeListSearchItems[] = plans
		.filter((plan) => wanted === '' || plan.name.toLowerCase().includes(wanted))
		.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id)
		.map((plan) => ({ name: label(plan, sharedNames), value: String(plan.id) }));
	return { results };
}

export async function searchServerPlans(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchPlans(this, 'Server', filter);
}

export async function searchDynamics365Plans(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchPlans(this, 'Dynamics365', filter);
}
