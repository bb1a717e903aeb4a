import { errorForItem } from './errors';

/**
 * A list that many items of one run look things up in (plans, companies), fetched at most once
 * while it succeeds. It lives as long as its owner, one execution (no cross-execution cache:
 * queue-mode workers must not see each other's or stale lists). Every item that waits on a
 * listing gets its result: a listing that fails (or hangs until its timeout) fails all of them
 * together, each with an error of its own, instead of one after another. A failed listing is not
 * remembered: an item that asks later lists again.
 */
export class RunListing<T> {
	private listing?: Promise<{ value: T } | { failure: unknown }>;

	constructor(private readonly fetch: (itemIndex: number | undefined) => Promise<T>) {}

	async get(itemIndex: number | undefined): Promise<T> {
		const started = this.listing === undefined;
		const listing = (this.listing ??= this.attempt(itemIndex));
		const result = await listing;
		if ('value' in result) return result.value;
		if (this.listing === listing) this.listing = undefined;
		throw started || itemIndex === undefined ? result.failure : errorForItem(result.failure, itemIndex);
	}

	private async attempt(itemIndex: number | undefined): Promise<{ value: T } | { failure: unknown }> {
		try {
			return { value: await this.fetch(itemIndex) };
		} catch (failure) {
			return { failure };
		}
	}
}
