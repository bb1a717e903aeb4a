import type { IDataObject } from 'n8n-workflow';

import { clean } from '../helpers/text';
import { InvalidInput, requireEntityId } from '../helpers/validation';

export interface PlanKindFacts {
	/** How messages name a plan of this kind. */
	label: string;
	/** The picker's name (`displayName`) when a field picks only this kind. */
	pickerName: string;
	/** The `listSearch` method listing the plans of this kind (methods/listSearch.ts builds one per kind). */
	listMethod: string;
	/** What the Name mode shows before anything is typed. */
	namePlaceholder: string;
}

/**
 * What a plan picker's modes are called in the editor, and so in every hint and message. n8n's
 * editor ignores a mode's displayName for the modes named list and id and shows its own
 * "From list" and "By ID" (ResourceLocator.vue, getModeLabel; en.json resourceLocator.mode.*), so
 * the third mode takes the same style. Its 92 px selector cut "By Name" to "By Nam"; "By name" is
 * no wider than "From list", which it shows whole.
 */
export const PLAN_MODES = { list: 'From list', id: 'By ID', name: 'By name' } as const;

/** A mode as a sentence names it. */
export function planMode(mode: keyof typeof PLAN_MODES): string {
	return `"${PLAN_MODES[mode]}"`;
}

/**
 * The kinds of plan the node picks, keyed by Commvault's `planType` value. A picker, a lookup by
 * name, a list method and every message about a plan read this table; a new kind is one entry.
 */
export const PLAN_KINDS = {
	Server: {
		label: 'server plan',
		pickerName: 'Server Plan',
		listMethod: 'searchServerPlans',
		namePlaceholder: 'e.g. Server Plan Gold',
	},
	Dynamics365: {
		label: 'Dynamics 365 plan',
		pickerName: 'Dynamics 365 Plan',
		listMethod: 'searchDynamics365Plans',
		namePlaceholder: 'e.g. Dynamics 365 Standard',
	},
	Office365: {
		label: 'Microsoft 365 plan',
		pickerName: 'Microsoft 365 Plan',
		listMethod: 'searchOffice365Plans',
		namePlaceholder: 'e.g. Microsoft 365 Standard',
	},
} as const satisfies Record<string, PlanKindFacts>;

/** Commvault's `planType` values for the plans this node uses. */
export type PlanKind = keyof typeof PLAN_KINDS;

export interface PlanSummary {
	id: number;
	name: string;
	planType?: string;
	status?: string;
	company?: string;
}

/** An IdName as Commvault's schemas spell it. */
export interface PlanReference extends IDataObject {
	id: number;
	name?: string;
}

/** A resource locator value as n8n stores it (`__rl` is missing on some editor-added defaults). */
export interface PlanLocatorValue {
	mode: string;
	value: unknown;
}

export function planKindLabel(kind: PlanKind): string {
	return PLAN_KINDS[kind].label;
}

/** Plans that cannot take new content are left out of pickers and name lookups. */
export function isSelectable(plan: PlanSummary): boolean {
	return plan.status !== 'DISABLED' && plan.status !== 'HIDDEN';
}

function textOf(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
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
		const company = summary.company as IDataObject | undefined;
		result.push({
			id: plan.id,
			name: plan.name,
			planType: textOf(summary.planType),
			status: textOf(summary.status),
			company: textOf(company?.name),
		});
	}
	return result;
}

export function plansOfKind(plans: PlanSummary[], kind: PlanKind): PlanSummary[] {
	return plans.filter((plan) => plan.planType === kind && isSelectable(plan));
}

function sameName(plan: PlanSummary, wanted: string): boolean {
	return clean(plan.name).toLowerCase() === wanted;
}

/** Why a plan with the right name still cannot be used here. */
function unusable(plan: PlanSummary, kind: PlanKind): string {
	if (plan.planType !== kind) {
		return `"${plan.name}" (ID ${plan.id}) is a ${plan.planType ?? 'untyped'} plan, not a ${planKindLabel(kind)}`;
	}
	return `the ${planKindLabel(kind)} "${plan.name}" (ID ${plan.id}) is ${plan.status?.toLowerCase() ?? 'not usable'}`;
}

function listIds(plans: PlanSummary[]): string {
	return plans.map((plan) => (plan.company ? `${plan.id} (company ${plan.company})` : String(plan.id))).join(', ');
}

/**
 * Exact, case-insensitive: a near match would silently protect a tenant with the wrong plan,
 * and with several matches (plans of different companies can share a name) guessing is worse
 * than asking for the ID.
 */
export function findPlanByName(plans: PlanSummary[], kind: PlanKind, field: string, name: string): PlanReference {
	const shown = clean(name);
	const wanted = shown.toLowerCase();
	const named = plans.filter((plan) => sameName(plan, wanted));
	const matches = plansOfKind(named, kind);
	if (matches.length === 1) return { id: matches[0].id, name: matches[0].name };

	if (matches.length > 1) {
		throw new InvalidInput(
			field,
			`${matches.length} ${planKindLabel(kind)}s are named "${shown}" (IDs ${listIds(matches)}); select the plan by ID instead`,
			`Switch the field to ${planMode('id')} and enter the ID of the plan you mean.`,
		);
	}
	const hint = `Pick the plan from the list, or check its name in Command Center under Manage > Plans (only enabled plans of type ${kind} can be used here).`;
	if (named.length > 0) {
		throw new InvalidInput(field, named.map((plan) => unusable(plan, kind)).join('; '), hint);
	}
	throw new InvalidInput(field, `no ${planKindLabel(kind)} is named "${shown}"`, hint);
}

export function isLocator(value: unknown): value is PlanLocatorValue {
	return typeof value === 'object' && value !== null && 'mode' in value && 'value' in value;
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && clean(value) === '');
}

/** True when a locator (or a bare value) holds something to resolve. */
export function hasPlanValue(locator: unknown): boolean {
	return !isEmpty(isLocator(locator) ? locator.value : locator);
}

/** Why a name in the List or ID mode is refused; the list keeps a name typed in another mode. */
const PLAN_ID_HINT = `The ${planMode('list')} and ${planMode('id')} modes take the numeric plan ID. A name typed under ${planMode('name')} stays in the field when you switch to ${planMode('list')}: pick the plan from the list again, or switch back to ${planMode('name')} to give its name.`;

/** What the locator asks for before any lookup: an id now, or a name to resolve. */
export function planRequest(field: string, locator: unknown): { id: number } | { name: string } {
	const mode = isLocator(locator) ? locator.mode : 'id';
	const value = isLocator(locator) ? locator.value : locator;
	if (mode === 'name') {
		if (isEmpty(value) || (typeof value !== 'string' && typeof value !== 'number')) {
			throw new InvalidInput(field, 'is required: enter the plan name');
		}
		return { name: String(value) };
	}
	if (isEmpty(value)) {
		throw new InvalidInput(field, 'is required: pick a plan or enter its ID');
	}
	// An AI agent filling the default mode through $fromAI may give the name the user spoke of.
	return { id: requireEntityId(field, value, PLAN_ID_HINT) };
}
