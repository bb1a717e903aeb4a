import type { IDataObject } from 'n8n-workflow';

import { forEachConcurrently } from '../helpers/pool';
import type { Success } from './answers';
import type { CommvaultRequester } from './session';

/** Records asked for per page; the V4 lists take `pageNumber` and `pageSize` in the query. */
export const PAGE_SIZE = 100;

/** Pages in flight at once, once the first page has said how many there are. */
export const PAGES_AT_ONCE = 10;

/** A V4 list call, and how to read its answer: the operation knows its schema, paging does not. */
export interface ListRequest<A extends IDataObject, R> {
	path: string;
	/** Other query parameters (a search key), sent with every page. */
	query?: IDataObject;
	itemIndex?: number;
	success: Success<A>;
	/** The page's records as the schema names them. */
	records(answer: A): R[];
	/** The answer's `totalRecords`, if it has one. */
	total(answer: A): number | undefined;
	/** What makes a record itself (its `id`, a protected item's `GUID`): each is kept once. */
	key(record: R): unknown;
	/** At most this many records; all of them when undefined. */
	limit?: number;
}

/**
 * Every record of a V4 list, in page order, each once (API.md, "Paging"). The schema does not
 * say whether `pageNumber` starts at 0 or 1, so paging starts at 0 and works it out: a server
 * counting from 1 answers page 0 either with its first page (page 1 then repeats it, which is not
 * an end) or with an empty page while `totalRecords` > 0 (then the records start at page 1).
 * Paging stops once `totalRecords` (or the limit) records are held, at an empty page after the
 * first, or after ⌈totalRecords ÷ page size⌉ + 1 pages. Once the first page has said how many
 * there are, the next pages are fetched several at a time.
 */
export async function requestAll<A extends IDataObject, R>(connection: CommvaultRequester, list: ListRequest<A, R>): Promise<R[]> {
	const limit = list.limit ?? Number.POSITIVE_INFINITY;
	const pageSize = Math.max(1, Math.min(PAGE_SIZE, limit));
	// The records in one array that becomes the result, their keys in a set: no map of records
	// and no copy of the list at the end (Return All holds thousands).
	const kept: R[] = [];
	const keys = new Set<unknown>();
	/** Adds a page's records; false when the page was empty (the list has ended). */
	const keep = (records: R[]): boolean => {
		for (const record of records) {
			const key = list.key(record);
			if (keys.has(key)) continue;
			keys.add(key);
			kept.push(record);
		}
		return records.length > 0;
	};
	const upToLimit = (): R[] => {
		if (kept.length > limit) kept.length = limit;
		return kept;
	};
	const fetch = async (pageNumber: number): Promise<A> =>
		await connection.request({
			method: 'GET',
			path: list.path,
			query: { ...list.query, pageNumber, pageSize },
			itemIndex: list.itemIndex,
			success: list.success,
		});

	/** Pages `from` … `from + count - 1`, several at a time, up to the first empty one; the first failure is thrown. */
	const fetchPages = async (from: number, count: number): Promise<R[][]> => {
		const pages = new Array<R[] | undefined>(count);
		let failure: { error: unknown } | undefined;
		let emptyAt = count;
		await forEachConcurrently(
			count,
			PAGES_AT_ONCE,
			async (index) => {
				try {
					const records = list.records(await fetch(from + index));
					pages[index] = records;
					if (records.length === 0) emptyAt = Math.min(emptyAt, index);
				} catch (error) {
					failure ??= { error };
				}
			},
			() => failure !== undefined || emptyAt < count,
		);
		const answered: R[][] = [];
		for (const records of pages) {
			if (records === undefined) break;
			answered.push(records);
			if (records.length === 0) return answered;
		}
		if (failure) throw failure.error;
		return answered;
	};

	const first = await fetch(0);
	const firstRecords = list.records(first);
	keep(firstRecords);
	const total = list.total(first);
	const enough = (): boolean => kept.length >= Math.min(limit, total ?? Number.POSITIVE_INFINITY);
	if (enough() || (total === undefined && firstRecords.length === 0)) return upToLimit();

	if (total === undefined) {
		// No count to plan by: one page after the other, until a page is empty or brings nothing new.
		for (let page = 1; !enough(); page++) {
			const before = kept.length;
			if (!keep(list.records(await fetch(page))) || kept.length === before) break;
		}
		return upToLimit();
	}

	// Pages from 0 go on at page 1; an empty page 0 while there are records means pages from 1, which
	// also go on at page 1. A server counting from 1 that repeated its first page as page 0 is
	// one page short after the first round: the next round fetches it.
	let page = 1;
	// A server may give fewer records a page than asked for: the pages say how many.
	let perPage = firstRecords.length > 0 ? Math.min(pageSize, firstRecords.length) : pageSize;
	const goal = Math.min(total, limit);
	for (;;) {
		const lastPage = Math.ceil(total / perPage);
		const count = Math.min(lastPage - page + 1, Math.ceil((goal - kept.length) / perPage));
		if (count <= 0) break;
		const before = kept.length;
		// Page 1 repeating page 0 is a server counting from 1, not the end of the list.
		const mayRepeat = page === 1 && firstRecords.length > 0;
		const round = await fetchPages(page, count);
		page += count;
		for (const records of round) {
			if (!keep(records)) return upToLimit();
			if (enough()) break;
		}
		// A round that brought nothing new (a server ignoring pageNumber) ends the paging.
		if (enough() || (kept.length === before && !mayRepeat)) break;
		perPage = Math.min(perPage, ...round.map((records) => records.length));
	}
	return upToLimit();
}
