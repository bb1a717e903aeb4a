/** The trigger's cursor on its own: what a poll emits and what it remembers, with no n8n and no Commvault. */
import type { IDataObject } from 'n8n-workflow';

import {
	advance,
	lookbackSeconds,
	MARGIN_SECONDS,
	MAX_SEEN,
	readCursor,
	writeCursor,
	type Cursor,
	type Sighting,
} from '../../nodes/Commvault/trigger/cursor';

const at = (id: number, time: number): Sighting => ({ id: String(id), time });
const ids = (sightings: Sighting[]): string[] => sightings.map((s) => s.id);

describe('the first poll', () => {
	it('emits nothing and remembers what is there', () => {
		const { fresh, next } = advance(undefined, [at(1, 1000), at(2, 1001)], 5_000_000);
		expect(fresh).toEqual([]);
		expect(next).toEqual({ polledAtMs: 5_000_000, newest: 1001, seen: { '1': 1000, '2': 1001 } });
	});

	it('looks back the margin only', () => {
		expect(lookbackSeconds(undefined, 123)).toBe(MARGIN_SECONDS);
	});
});

describe('later polls', () => {
	const start = advance(undefined, [at(1, 10_000)], 1_000_000).next;

	it('look back the time since the last good poll plus the margin, whatever the clocks say', () => {
		expect(lookbackSeconds(start, 1_000_000 + 60_500)).toBe(61 + MARGIN_SECONDS);
		// n8n's clock set back: never a negative window
		expect(lookbackSeconds(start, 0)).toBe(MARGIN_SECONDS);
	});

	it('emit each new id once, in the order given, many in one second included', () => {
		const burst = Array.from({ length: 500 }, (_, n) => at(100 + n, 10_060));
		const first = advance(start, [at(1, 10_000), ...burst], 1_060_000);
		expect(ids(first.fresh)).toEqual(burst.map((s) => s.id));
		const second = advance(first.next, [...burst, at(1, 10_000), at(999, 10_061)], 1_120_000);
		expect(ids(second.fresh)).toEqual(['999']);
	});

	it('emit a record twice in one answer once', () => {
		expect(ids(advance(start, [at(5, 10_010), at(5, 10_010)], 1_060_000).fresh)).toEqual(['5']);
	});

	it('forget ids older than the margin before the newest time, and never emit a record that old', () => {
		const later = advance(start, [at(2, 10_000 + MARGIN_SECONDS + 1)], 2_000_000).next;
		expect(later.seen).toEqual({ '2': 10_000 + MARGIN_SECONDS + 1 });
		// id 1 is forgotten; it comes back in an answer (a wider window after a restart): not new
		expect(advance(later, [at(1, 10_000)], 2_060_000).fresh).toEqual([]);
	});

	it('emit everything after a first poll that saw nothing (there was nothing before the activation)', () => {
		const empty = advance(undefined, [], 1_000_000).next;
		expect(empty).toEqual({ polledAtMs: 1_000_000, seen: {} });
		expect(ids(advance(empty, [at(7, 1), at(8, 2)], 1_060_000).fresh)).toEqual(['7', '8']);
	});

	it('remember at most MAX_SEEN ids, the newest', () => {
		const many = Array.from({ length: MAX_SEEN + 10 }, (_, n) => at(n, 20_000 + (n % 100)));
		const { next } = advance(start, many, 1_060_000);
		const kept = Object.values(next.seen);
		expect(kept).toHaveLength(MAX_SEEN);
		expect(Math.min(...kept)).toBeGreaterThanOrEqual(20_000);
		expect(next.seen['10']).toBe(20_010);
	});
});

describe('in the static data', () => {
	it('is written and read back as ids and times', () => {
		const staticData: IDataObject = {};
		const cursor: Cursor = { polledAtMs: 42, newest: 7, seen: { '3': 7 } };
		writeCursor(staticData, 'jobFinished', cursor);
		expect(JSON.parse(JSON.stringify(staticData))).toEqual({ jobFinished: { polledAtMs: 42, newest: 7, seen: { '3': 7 } } });
		expect(readCursor(staticData, 'jobFinished')).toEqual(cursor);
		expect(readCursor(staticData, 'alertTriggered')).toBeUndefined();
	});

	it('is no cursor when it is not one this node wrote', () => {
		for (const stored of [null, 5, [], { seen: {} }, { polledAtMs: 'x', seen: {} }, { polledAtMs: 1 }, { polledAtMs: 1, seen: {}, newest: 'x' }]) {
			expect(readCursor({ key: stored as IDataObject }, 'key')).toBeUndefined();
		}
	});
});
