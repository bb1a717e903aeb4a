import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { parsePlanSummary, plansOfKind, type PlanKind } from '../helpers/plans';
import { commvaultApiRequest } from '../transport';

async function searchPlans(
	context: ILoadOptionsFunctions,
	kind: PlanKind,
	filter?: string,
): Promise<INodeListSearchResult> {
	const response = await commvaultApiRequest.call(context, { method: 'GET', path: '/V4/Plan/Summary' });
	const wanted = filter?.trim().toLowerCase() ?? '';
	const results = plansOfKind(parsePlanSummary(response), kind)
		.filter((plan) => wanted === '' || plan.name.toLowerCase().includes(wanted))
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((plan) => ({
			name: plan.status && plan.status !== 'ENABLED' ? `${plan.name} (${plan.status})` : plan.name,
			value: String(plan.id),
		}));
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
