import type { IDataObject, INodeParameterResourceLocator } from 'n8n-workflow';

import { InvalidInput, requireEntityId } from './validation';

/** Commvault's `planType` values for the two plans this node uses. */
export type PlanKind = 'Server' | 'Dynamics365';

export interface PlanSummary {
	id: number;
	name: string;
	planType?: string;
	status?: string;
}

/** An IdName as Commvault's schemas spell it. */
export interface PlanReference extends IDataObject {
	id: number;
	name?: string;
}

const KIND_LABEL: Record<PlanKind, string> = { Server: 'server plan', Dynamics365: 'Dynamics 365 plan' };

export function planKindLabel(kind: PlanKind): string {
	return KIND_LABEL[kind];
}

/** Plans that cannot take new content are left out of pickers and name lookups. */
export function isSelectable(plan: PlanSummary): boolean {
	return plan.status !== 'DISABLED' && plan.status !== 'HIDDEN';
}

/** Reads `GET /V4/Plan/Summary` defensively: entries without an id or name are skipped. */
export function parsePlanSummary(response: IDataObject): PlanSummary[] {
	const plans = Array.isArray(response.plans) ? response.plans : [];
	const result: PlanSummary[] = [];
	for (const entry of plans) {
		if (typeof entry !== 'object' || entry === null) continue;
		const summary = entry as IDataObject;
		const plan = summary.plan as IDataObject | undefined;
		if (typeof plan?.id !== 'number' || typeof plan?.name !== 'string') continue;
		result.push({
			id: plan.id,
			name: plan.name,
			planType: typeof summary.planType === 'string' ? summary.planType : undefined,
			status: typeof summary.status === 'string' ? summary.status : undefined,
		});
	}
	return result;
}

export function plansOfKind(plans: PlanSummary[], kind: PlanKind): PlanSummary[] {
	return plans.filter((plan) => plan.planType === kind && isSelectable(plan));
}

/** Exact, case-insensitive: a near match would silently protect a tenant with the wrong plan. */
export function findPlanByName(
	plans: PlanSummary[],
	kind: PlanKind,
	field: string,
	name: string,
): PlanReference {
	const wanted = name.trim().toLowerCase();
	const matches = plansOfKind(plans, kind).filter((plan) => plan.name.toLowerCase() === wanted);
	if (matches.length === 0) {
		throw new InvalidInput(
			field,
			`no ${planKindLabel(kind)} is named "${name.trim()}"`,
			`Pick the plan from the list, or check its name in Command Center under Manage > Plans (only enabled plans of type ${kind} count).`,
		);
	}
	if (matches.length > 1) {
		throw new InvalidInput(
			field,
			`${matches.length} ${planKindLabel(kind)}s are named "${name.trim()}" (IDs ${matches.map((p) => p.id).join(', ')})`,
			'Select the plan by ID instead.',
		);
	}
	return { id: matches[0].id, name: matches[0].name };
}

export function isLocator(value: unknown): value is INodeParameterResourceLocator {
	return typeof value === 'object' && value !== null && '__rl' in value;
}

/** What the locator asks for before any lookup: an id now, or a name to resolve. */
export function planRequest(field: string, locator: unknown): { id: number } | { name: string } {
	const mode = isLocator(locator) ? locator.mode : 'id';
	const value = isLocator(locator) ? locator.value : locator;
	if (mode === 'name') {
		if (typeof value !== 'string' || value.trim() === '') {
			throw new InvalidInput(field, 'is required: enter the plan name');
		}
		return { name: value };
	}
	if (value === '' || value === undefined || value === null) {
		throw new InvalidInput(field, 'is required: pick a plan or enter its ID');
	}
	return { id: requireEntityId(field, value) };
}
