import type { IExecuteFunctions } from 'n8n-workflow';

import { commvaultApiRequest, type CommvaultContext } from '../transport';
import { findPlanByName, parsePlanSummary, planRequest, type PlanKind, type PlanReference, type PlanSummary } from './plans';

/** `GET /V4/Plan/Summary`, the one plan listing: the pickers' lists and the lookups by name both read it. */
export async function fetchPlanSummaries(context: CommvaultContext, itemIndex?: number): Promise<PlanSummary[]> {
	return parsePlanSummary(await commvaultApiRequest.call(context, { method: 'GET', path: '/V4/Plan/Summary', itemIndex }));
}

/**
 * Resolves plan pickers for one execution. The plan listing is fetched at most once per run,
 * however many items name plans, and lives only as long as this object (no cross-execution
 * cache: queue-mode workers must not see each other's or stale plans).
 */
export class PlanDirectory {
	private listing?: Promise<{ plans: PlanSummary[] } | { failure: unknown }>;

	constructor(private readonly context: IExecuteFunctions) {}

	async resolve(field: string, kind: PlanKind, locator: unknown, itemIndex: number): Promise<PlanReference> {
		const wanted = planRequest(field, locator);
		if ('id' in wanted) return { id: wanted.id };
		return findPlanByName(await this.plans(itemIndex), kind, field, wanted.name);
	}

	private async plans(itemIndex: number): Promise<PlanSummary[]> {
		this.listing ??= this.fetchPlans(itemIndex);
		const listing = await this.listing;
		if ('plans' in listing) return listing.plans;
		// A failed listing is not remembered: the next item may succeed after a transient error.
		this.listing = undefined;
		throw listing.failure;
	}

	private async fetchPlans(itemIndex: number): Promise<{ plans: PlanSummary[] } | { failure: unknown }> {
		try {
			return { plans: await fetchPlanSummaries(this.context, itemIndex) };
		} catch (failure) {
			return { failure };
		}
	}
}
