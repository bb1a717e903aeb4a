import { errorForItem } from '../helpers/errors';
import { findPlanByName, planRequest, type PlanKind, type PlanReference, type PlanSummary } from './kinds';

/**
 * Resolves plan pickers for one execution. The plan listing is fetched at most once per run,
 * however many items name plans, and lives only as long as this object (no cross-execution
 * cache: queue-mode workers must not see each other's or stale plans).
 */
export class PlanDirectory {
	private listing?: Promise<{ plans: PlanSummary[] } | { failure: unknown }>;

	/** `list` fetches GET /V4/Plan/Summary; the directory only decides when. */
	constructor(private readonly list: (itemIndex: number) => Promise<PlanSummary[]>) {}

	async resolve(field: string, kind: PlanKind, locator: unknown, itemIndex: number): Promise<PlanReference> {
		const wanted = planRequest(field, locator);
		if ('id' in wanted) return { id: wanted.id };
		return findPlanByName(await this.plans(itemIndex), kind, field, wanted.name);
	}

	/**
	 * Every item that waits on a listing gets its result: a listing that fails (or hangs until its
	 * timeout) fails all of them together, each with an error of its own, instead of one after
	 * another. A failed listing is not remembered: an item that asks later lists again.
	 */
	private async plans(itemIndex: number): Promise<PlanSummary[]> {
		const started = this.listing === undefined;
		const listing = (this.listing ??= this.fetchPlans(itemIndex));
		const result = await listing;
		if ('plans' in result) return result.plans;
		if (this.listing === listing) this.listing = undefined;
		throw started ? result.failure : errorForItem(result.failure, itemIndex);
	}

	private async fetchPlans(itemIndex: number): Promise<{ plans: PlanSummary[] } | { failure: unknown }> {
		try {
			return { plans: await this.list(itemIndex) };
		} catch (failure) {
			return { failure };
		}
	}
}
