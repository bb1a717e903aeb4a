import { RunListing } from '../helpers/listing';
import { findPlanByName, planRequest, type PlanKind, type PlanReference, type PlanSummary } from './kinds';

/**
 * Resolves plan pickers for one execution and one company (the MSP's own plans, or those of the
 * company an item acts for): the plan listing is fetched at most once (helpers/listing.ts),
 * however many items name plans.
 */
export class PlanDirectory {
	private readonly listing: RunListing<PlanSummary[]>;

	/** `list` fetches GET /V4/Plan/Summary; the directory only decides when. */
	constructor(list: (itemIndex: number) => Promise<PlanSummary[]>) {
		this.listing = new RunListing(async (itemIndex) => await list(itemIndex ?? 0));
	}

	async resolve(field: string, kind: PlanKind, locator: unknown, itemIndex: number): Promise<PlanReference> {
		const wanted = planRequest(field, locator);
		if ('id' in wanted) return { id: wanted.id };
		return findPlanByName(await this.listing.get(itemIndex), kind, field, wanted.name);
	}
}
