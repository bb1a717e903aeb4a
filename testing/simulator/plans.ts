/** Plan seed data and the plan lookups Commvault performs when a request names a plan. */
import type { PlanSeed, PlanType } from './types';

/**
 * Ids are far from the app ids (which start at 1001) so a client that mixes up a plan id with an
 * app id gets an error instead of a lucky match. Names with spaces and parentheses exercise
 * by-name lookups.
 */
export const DEFAULT_PLANS: readonly PlanSeed[] = Object.freeze([
	{ id: 1, name: 'Server-Gold', type: 'Server' },
	{ id: 2, name: 'Server-Silver', type: 'Server' },
	{ id: 3, name: 'Server Bronze (EU)', type: 'Server' },
	{ id: 11, name: 'D365-Standard', type: 'Dynamics365' },
	{ id: 12, name: 'D365 Long Retention', type: 'Dynamics365' },
	{ id: 21, name: 'O365-Mailboxes', type: 'Office365' },
	{ id: 22, name: 'M365 Standard (EU)', type: 'Office365' },
	{ id: 23, name: 'O365-Retired', type: 'Office365', status: 'DISABLED' },
	{ id: 31, name: 'Server-Retired', type: 'Server', status: 'DISABLED' },
]);

export const DEFAULT_COMPANY = { id: 0, name: 'CommCell' };

/**
 * Many plans for paging/picker tests: `count` plans cycling through `types`, ids from `firstId`,
 * names `<prefix>-<type>-<n>` (n zero-padded so they sort naturally).
 */
export function generatePlans(
	count: number,
	options: { firstId?: number; types?: PlanType[]; prefix?: string } = {},
): PlanSeed[] {
	const { firstId = 10000, types = ['Server', 'Dynamics365', 'Office365'], prefix = 'Bulk' } = options;
	const width = String(count).length;
	return Array.from({ length: count }, (_, i) => {
		const type = types[i % types.length];
		return { id: firstId + i, name: `${prefix}-${type}-${String(i + 1).padStart(width, '0')}`, type };
	});
}

export function checkPlanSeed(plans: readonly PlanSeed[]): void {
	const ids = new Set<number>();
	const names = new Set<string>();
	for (const plan of plans) {
		if (!Number.isInteger(plan.id) || plan.id <= 0 || plan.id > 2147483647) throw new Error(`Plan id ${plan.id} is not a positive int32`);
		if (ids.has(plan.id)) throw new Error(`Duplicate plan id ${plan.id}`);
		// Commvault plan names are unique regardless of case.
		if (names.has(plan.name.toLowerCase())) throw new Error(`Duplicate plan name '${plan.name}'`);
		ids.add(plan.id);
		names.add(plan.name.toLowerCase());
	}
}

/** The `PlanSummary` object Commvault returns in `GET /V4/Plan/Summary`. */
export function toPlanSummary(plan: PlanSeed): Record<string, unknown> {
	return {
		plan: { id: plan.id, name: plan.name },
		planType: plan.type,
		associatedEntities: 0,
		RPO: 1440,
		numberOfCopies: 1,
		status: plan.status ?? 'ENABLED',
		company: plan.company ?? DEFAULT_COMPANY,
		derivable: plan.type === 'Server',
	};
}

export type PlanLookup = { ok: true; plan: PlanSeed } | { ok: false; message: string };

/**
 * Resolves an `IdName` the way Commvault does: a non-zero id wins (the name is then ignored);
 * otherwise the name is looked up case-insensitively. Then the plan must be of `type` and enabled.
 */
export function resolvePlan(plans: readonly PlanSeed[], ref: { id?: number; name?: string | null }, type: PlanType): PlanLookup {
	let plan: PlanSeed | undefined;
	let label: string;
	if (ref.id !== undefined && ref.id !== 0) {
		label = `id ${ref.id}`;
		plan = plans.find((p) => p.id === ref.id);
	} else if (typeof ref.name === 'string' && ref.name !== '') {
		label = `'${ref.name}'`;
		plan = plans.find((p) => p.name.toLowerCase() === ref.name?.toLowerCase());
	} else {
		return { ok: false, message: 'Plan id or name is required.' };
	}
	if (!plan) return { ok: false, message: `Plan with ${label} does not exist.` };
	if (plan.type !== type) return { ok: false, message: `Plan '${plan.name}' is a ${plan.type} plan, not a ${type} plan.` };
	if ((plan.status ?? 'ENABLED') === 'DISABLED') return { ok: false, message: `Plan '${plan.name}' is disabled.` };
	return { ok: true, plan };
}
