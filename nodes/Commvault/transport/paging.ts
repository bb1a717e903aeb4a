import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { forEachConcurrently } from '../helpers/pool';
import type { Success } from './answers';
import type { CommvaultRequester } from './session';

/** Records asked for per page; the V4 lists take `pageNumber` and `pageSize` in the query. */
export const PAGE_SIZE = 100;

/** Pages in flight at once, once the first page has said how many there are. */
export const PAGES_AT_ONCE = 10;

/**
 * How a list is paged. The V4 lists take `pageNumber` and `pageSize` in the query (the default);
 * Commvault's older API (`POST /Jobs`) takes `pagingConfig: {offset, limit}` in the body, which the
 * operation builds: paging only says which records it wants.
 */
export type Paging = { style: 'pageNumber' } | { style: 'offset'; method: IHttpRequestMethods; body(window: PageWindow): IDataObject };

/** The records a request asks for, for a list paged by offset. */
export interface PageWindow {
	offset: number;
	limit: number;
}

/** A list call, and how to read its answer: the operation knows its schema, paging does not. */
export interface ListRequest<A extends IDataObject, R> {
	path: string;
	/** Default: `pageNumber` and `pageSize` in the query of a GET. */
	paging?: Paging;
	/** Other query parameters (a search key), sent with every page. */
	query?: IDataObject;
	itemIndex?: number;
	success: Success<A>;
	/** The page's records as the schema names them. */
	records(answer: A): R[];
	/** The answer's count of every record, if it has one (`totalRecords`, `totalRecordsWithoutPaging`). */
	total(answer: A): number | undefined;
	/** What makes a record itself (its `id`, a protected item's `GUID`): each is kept once. */
	key(record: R): unknown;
	/** Only the records this keeps (a filter Commvault's query lacks); `limit` counts those. */
	filter?(record: R): boolean;
	/** At most this many records; all of them when undefined. */
	limit?: number;
}

/** The records of a list as pages come in: each once, filtered, up to the limit. */
class Collected<R> {
	// The records in one array that becomes the result, their keys in a set: no map of records
	// and no copy of the list at the end (Return All holds thousands).
	readonly kept: R[] = [];

	private readonly keys = new Set<unknown>();

	constructor(
		private readonly list: Pick<ListRequest<IDataObject, R>, 'key' | 'filter'>,
		readonly limit: number,
	) {}

	/** Records seen so far, each once, kept or filtered out. */
	get seen(): number {
		return this.keys.size;
	}

	/** Adds a page's records; false when the page was empty (the list has ended). */
	keep(records: R[]): boolean {
		const { key, filter } = this.list;
		for (const record of records) {
			const id = key(record);
			if (this.keys.has(id)) continue;
			this.keys.add(id);
			if (!filter || filter(record)) this.kept.push(record);
		}
		return records.length > 0;
	}

	/** Whether the list needs no more pages: the limit reached, or every record (of `total`) seen. */
	enough(total: number | undefined): boolean {
		return this.kept.length >= this.limit || this.seen >= (total ?? Number.POSITIVE_INFINITY);
	}

	/** How many more records (seen) can still matter, of `total`. */
	wanted(total: number): number {
		return Math.min(total - this.seen, this.list.filter ? total - this.seen : this.limit - this.kept.length);
	}

	result(): R[] {
		if (this.kept.length > this.limit) this.kept.length = this.limit;
		return this.kept;
	}
}

/**
 * Fetches `count` pages at once (a few at a time), up to the first empty one; the first failure is
 * thrown. Returns the pages answered, in order.
 */
async function fetchPages<R>(count: number, fetchPage: (index: number) => Promise<R[]>): Promise<R[][]> {
	const pages = new Array<R[] | undefined>(count);
	let failure: { error: unknown } | undefined;
	let emptyAt = count;
	await forEachConcurrently(
		count,
		PAGES_AT_ONCE,
		async (index) => {
			try {
				const records = await fetchPage(index);
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
}

/**
 * Every record of a list, in page order, each once, up to the limit. A list paged by offset
 * (`POST /Jobs`) has no page base to work out: see byOffset. A V4 list: see byPageNumber.
 */
export async function requestAll<A extends IDataObject, R>(connection: CommvaultRequester, list: ListRequest<A, R>): Promise<R[]> {
	const limit = list.limit ?? Number.POSITIVE_INFINITY;
	const collected = new Collected<R>(list, limit);
	// With a filter the limit says nothing about how many records a page should hold.
	const pageSize = list.filter ? PAGE_SIZE : Math.max(1, Math.min(PAGE_SIZE, limit));
	const paging = list.paging ?? { style: 'pageNumber' };
	if (paging.style === 'offset') return await byOffset(connection, list, paging, collected, pageSize);
	return await byPageNumber(connection, list, collected, pageSize);
}

/**
 * A V4 list (API.md, "Paging"). The schema does not say whether `pageNumber` starts at 0 or 1, so
 * paging starts at 0 and works it out: a server counting from 1 answers page 0 either with its
 * first page (page 1 then repeats it, which is not an end) or with an empty page while
 * `totalRecords` > 0 (then the records start at page 1). Paging stops once `totalRecords` (or the
 * limit) records are held, at an empty page after the first, or after ⌈totalRecords ÷ page size⌉
 * + 1 pages. Once the first page has said how many there are, the next pages are fetched several
 * at a time.
 */
async function byPageNumber<A extends IDataObject, R>(
	connection: CommvaultRequester,
	list: ListRequest<A, R>,
	collected: Collected<R>,
	pageSize: number,
): Promise<R[]> {
	const fetch = async (pageNumber: number): Promise<A> =>
		await connection.request({
			method: 'GET',
			path: list.path,
			query: { ...list.query, pageNumber, pageSize },
			itemIndex: list.itemIndex,
			success: list.success,
		});

	const first = await fetch(0);
	const firstRecords = list.records(first);
	collected.keep(firstRecords);
	const total = list.total(first);
	if (collected.enough(total) || (total === undefined && firstRecords.length === 0)) return collected.result();

	if (total === undefined) {
		// No count to plan by: one page after the other, until a page is empty or brings nothing new.
		for (let page = 1; !collected.enough(total); page++) {
			const before = collected.seen;
			if (!collected.keep(list.records(await fetch(page))) || collected.seen === before) break;
		}
		return collected.result();
	}

	// Pages from 0 go on at page 1; an empty page 0 while there are records means pages from 1, which
	// also go on at page 1. A server counting from 1 that repeated its first page as page 0 is
	// one page short after the first round: the next round fetches it.
	let page = 1;
	// A server may give fewer records a page than asked for: the pages say how many.
	let perPage = firstRecords.length > 0 ? Math.min(pageSize, firstRecords.length) : pageSize;
	for (;;) {
		const lastPage = Math.ceil(total / perPage);
		const count = Math.min(lastPage - page + 1, Math.ceil(collected.wanted(total) / perPage));
		if (count <= 0) break;
		const before = collected.seen;
		// Page 1 repeating page 0 is a server counting from 1, not the end of the list.
		const mayRepeat = page === 1 && firstRecords.length > 0;
		const from = page;
		const round = await fetchPages(count, async (index) => list.records(await fetch(from + index)));
		page += count;
		for (const records of round) {
			if (!collected.keep(records)) return collected.result();
			if (collected.enough(total)) break;
		}
		// A round that brought nothing new (a server ignoring pageNumber) ends the paging.
		if (collected.enough(total) || (collected.seen === before && !mayRepeat)) break;
		perPage = Math.min(perPage, ...round.map((records) => records.length));
	}
	return collected.result();
}

/**
 * A list paged by offset, the records from `offset` to `offset + limit - 1` a request: no page
 * base to guess. A server may hold a page to fewer records than asked for (the first page says
 * how many); a shorter page before the end starts the next round right after it, so no record
 * is skipped and the order holds. Paging stops once the count (or the limit) is reached, at an
 * empty page, or at a round that brings nothing new (a server ignoring the offset).
 */
async function byOffset<A extends IDataObject, R>(
	connection: CommvaultRequester,
	list: ListRequest<A, R>,
	paging: Extract<Paging, { style: 'offset' }>,
	collected: Collected<R>,
	pageSize: number,
): Promise<R[]> {
	const fetch = async (window: PageWindow): Promise<A> =>
		await connection.request({
			method: paging.method,
			path: list.path,
			query: list.query,
			body: paging.body(window),
			itemIndex: list.itemIndex,
			success: list.success,
		});
	const first = await fetch({ offset: 0, limit: pageSize });
	const total = list.total(first);
	const firstRecords = list.records(first);
	collected.keep(firstRecords);
	let offset = firstRecords.length;
	const perPage = Math.max(1, Math.min(pageSize, firstRecords.length));
	while (offset > 0 && !collected.enough(total)) {
		// Without a count to plan by, one page at a time.
		const count = total === undefined ? 1 : Math.min(PAGES_AT_ONCE, Math.ceil(Math.min(total - offset, collected.wanted(total)) / perPage));
		if (count <= 0) break;
		const before = collected.seen;
		const from = offset;
		const round = await fetchPages(count, async (index) => list.records(await fetch({ offset: from + index * perPage, limit: perPage })));
		let ended = round.length < count;
		for (const records of round) {
			collected.keep(records);
			offset += records.length;
			ended ||= records.length === 0;
			if (records.length < perPage || collected.enough(total)) break;
		}
		if (ended || collected.seen === before) break;
	}
	return collected.result();
}
