import type { IDataObject } from 'n8n-workflow';

/**
 * Where a trigger's polls have got to, kept in the workflow's static data (so it survives an n8n
 * restart and is the same for every main process in queue mode). Ids and times only: nothing an
 * answer carried besides them, never a secret.
 *
 * Two clocks meet here and are never compared with each other: n8n's (`polledAtMs`, used only as
 * a difference: how long since the last good poll) and Commvault's (the jobs' end times and the
 * alerts' detection times, Unix seconds, compared only among themselves). Commvault's clock may
 * be minutes off n8n's; neither that nor records sharing one second loses or repeats one.
 */
export interface Cursor {
	/** n8n's clock when the last good poll's first request left. */
	polledAtMs: number;
	/** The newest record time seen so far, in Commvault's clock (undefined until a record is seen). */
	newest?: number;
	/** The records seen whose time is within the margin of `newest`: id → time (Commvault's clock). */
	seen: Record<string, number>;
}

/** A record a poll returned: its id and its time in Commvault's clock (Unix seconds). */
export interface Sighting {
	id: string;
	time: number;
}

/**
 * How far each poll looks back beyond the last good one, and how long a seen id is remembered.
 * It covers a job that Commvault lists a while after its end time (a late database write), a
 * request that takes its time to arrive, and Commvault's clock moving against n8n's between two
 * polls (a corrected skew): each repeat it lets through is dropped by id.
 */
export const MARGIN_SECONDS = 15 * 60;

/**
 * The most ids remembered (the newest ones). Only jobs finishing faster than this many per
 * margin could ever meet it; it keeps the static data n8n saves with the workflow bounded.
 */
export const MAX_SEEN = 50_000;

/** The cursor stored under `key`, or undefined when there is none (or it is not one this node wrote). */
export function readCursor(staticData: IDataObject, key: string): Cursor | undefined {
	const stored = staticData[key];
	if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return undefined;
	const { polledAtMs, newest, seen } = stored as IDataObject;
	if (typeof polledAtMs !== 'number' || !Number.isFinite(polledAtMs)) return undefined;
	if (newest !== undefined && typeof newest !== 'number') return undefined;
	if (typeof seen !== 'object' || seen === null || Array.isArray(seen)) return undefined;
	const ids: Record<string, number> = {};
	for (const [id, time] of Object.entries(seen as IDataObject)) if (typeof time === 'number') ids[id] = time;
	return { polledAtMs, newest, seen: ids };
}

export function writeCursor(staticData: IDataObject, key: string, cursor: Cursor): void {
	// A new object, not an edit of the stored one: n8n notices an assignment and saves it.
	staticData[key] = { polledAtMs: cursor.polledAtMs, ...(cursor.newest === undefined ? {} : { newest: cursor.newest }), seen: cursor.seen };
}

/**
 * How many seconds back (from Commvault's now) a poll at `nowMs` asks for: the time since the
 * last good poll plus the margin; the margin alone when there is no cursor (the first poll only
 * learns what is there already). Only a difference of n8n's clock: the skew between the clocks
 * drops out.
 */
export function lookbackSeconds(cursor: Cursor | undefined, nowMs: number): number {
	if (!cursor) return MARGIN_SECONDS;
	const since = Math.max(0, Math.ceil((nowMs - cursor.polledAtMs) / 1000));
	return since + MARGIN_SECONDS;
}

/**
 * What a good poll brings: the sightings to emit (each once, in the order given) and the cursor to
 * store. Without a cursor nothing is emitted: what is there already is older than the
 * activation, and is only remembered. A sighting is new when its id was not seen and its time is
 * not older than the margin before the newest time seen (older ones were seen, or are older than
 * the activation, and their ids may have been forgotten).
 */
export function advance(cursor: Cursor | undefined, sightings: readonly Sighting[], nowMs: number): { fresh: Sighting[]; next: Cursor } {
	const seen: Record<string, number> = { ...cursor?.seen };
	const fresh: Sighting[] = [];
	const floor = cursor?.newest === undefined ? Number.NEGATIVE_INFINITY : cursor.newest - MARGIN_SECONDS;
	let newest = cursor?.newest;
	for (const sighting of sightings) {
		if (Object.prototype.hasOwnProperty.call(seen, sighting.id)) continue;
		seen[sighting.id] = sighting.time;
		newest = newest === undefined ? sighting.time : Math.max(newest, sighting.time);
		if (cursor && sighting.time >= floor) fresh.push(sighting);
	}
	return { fresh, next: { polledAtMs: nowMs, newest, seen: forgetOld(seen, newest) } };
}

/** Keeps the ids that a later poll could still see: those within the margin of the newest time, at most MAX_SEEN. */
function forgetOld(seen: Record<string, number>, newest: number | undefined): Record<string, number> {
	if (newest === undefined) return seen;
	const floor = newest - MARGIN_SECONDS;
	let kept = Object.entries(seen).filter(([, time]) => time >= floor);
	if (kept.length > MAX_SEEN) kept = kept.sort((a, b) => b[1] - a[1]).slice(0, MAX_SEEN);
	return Object.fromEntries(kept);
}
