/**
 * Runs `work` for indexes 0…count-1 with at most `limit` of them under way at once, starting them
 * in index order, and stops starting new ones once `stop()` says so. `work` must not throw: each
 * index's result or failure is its own to keep, so that one failure neither loses the others nor
 * abandons requests already out.
 */
export async function forEachConcurrently(
	count: number,
	limit: number,
	work: (index: number) => Promise<void>,
	stop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	const lane = async (): Promise<void> => {
		while (next < count && !stop()) await work(next++);
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, lane));
}
