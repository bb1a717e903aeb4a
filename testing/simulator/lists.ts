/**
 * Commvault's list answers: `pageNumber`, `pageSize`, `sort` and `searchKey` applied to a
 * collection, the way API.md ("Paging") describes the V4 lists. Routes give the records and how
 * to read a record's name and sort fields; this module knows nothing of apps.
 */
import type { SimPaging } from './types';

/** Query values after the operation's schema checked and converted them (server.ts). */
export type QueryValues = Record<string, string | number | boolean>;

export interface ListSpec<T> {
	/** The fields `sort` may name, and how to read each; the first is the default order (ascending). */
	sortFields: Record<string, (record: T) => string | number>;
	/** What `searchKey` is matched against. */
	searchText(record: T): string;
}

export type ListResult<T> = { ok: true; totalRecords: number; page: T[] } | { ok: false; message: string };

export const DEFAULT_PAGING: SimPaging = { pageBase: 0, pageZero: 'firstPage' };

/** Checks a paging switch given by a test, so a typo fails at once instead of paging 0-based. */
export function checkPaging(paging: Partial<SimPaging>): SimPaging {
	const merged = { ...DEFAULT_PAGING, ...paging };
	if (merged.pageBase !== 0 && merged.pageBase !== 1) throw new Error(`paging.pageBase must be 0 or 1, got ${String(merged.pageBase)}`);
	if (merged.pageZero !== 'firstPage' && merged.pageZero !== 'empty') {
		throw new Error(`paging.pageZero must be 'firstPage' or 'empty', got ${String(merged.pageZero)}`);
	}
	return merged;
}

/**
 * One page of `records` as the query asks. `searchKey` matches a substring of the search text,
 * ignoring case (Commvault's document says no more). Without `pageSize` every record comes in one
 * answer; a page past the end is empty, with `totalRecords` still the number of matches.
 */
export function listPage<T>(records: Iterable<T>, query: QueryValues, spec: ListSpec<T>, paging: SimPaging): ListResult<T> {
	const { pageNumber, pageSize, sort, searchKey } = query as { pageNumber?: number; pageSize?: number; sort?: string; searchKey?: string };
	if (pageSize !== undefined && pageSize < 1) return { ok: false, message: `pageSize must be 1 or more, got ${pageSize}.` };
	if (pageNumber !== undefined && pageNumber < 0) return { ok: false, message: `pageNumber must be 0 or more, got ${pageNumber}.` };
	if (pageNumber !== undefined && pageSize === undefined) return { ok: false, message: 'pageNumber needs pageSize.' };
	const order = sortOrder(sort, spec);
	if (typeof order === 'string') return { ok: false, message: order };

	const needle = (searchKey ?? '').toLowerCase();
	const matching = [...records].filter((record) => needle === '' || spec.searchText(record).toLowerCase().includes(needle));
	const byDefault = spec.sortFields[Object.keys(spec.sortFields)[0]];
	// Ties keep the default order, so a page boundary never falls between two equal records differently.
	matching.sort((a, b) => order.direction * compare(order.read(a), order.read(b)) || compare(byDefault(a), byDefault(b)));
	if (pageSize === undefined) return { ok: true, totalRecords: matching.length, page: matching };

	const requested = pageNumber ?? paging.pageBase;
	if (paging.pageBase === 1 && requested === 0 && paging.pageZero === 'empty') return { ok: true, totalRecords: matching.length, page: [] };
	const index = paging.pageBase === 1 ? Math.max(requested - 1, 0) : requested;
	const start = index * pageSize;
	return { ok: true, totalRecords: matching.length, page: matching.slice(start, start + pageSize) };
}

interface Order<T> {
	read(record: T): string | number;
	direction: 1 | -1;
}

/** `sort` is `<asc|desc>:<field>`, as the document's example `desc:name`. */
function sortOrder<T>(sort: string | undefined, spec: ListSpec<T>): Order<T> | string {
	const fields = Object.keys(spec.sortFields);
	if (sort === undefined || sort === '') return { read: spec.sortFields[fields[0]], direction: 1 };
	const match = /^(asc|desc):(\w+)$/i.exec(sort);
	const field = match ? fields.find((f) => f.toLowerCase() === match[2].toLowerCase()) : undefined;
	if (!match || !field) return `sort must be asc:<field> or desc:<field> with a field of ${fields.join(', ')}; got '${sort}'.`;
	return { read: spec.sortFields[field], direction: match[1].toLowerCase() === 'asc' ? 1 : -1 };
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function compare(a: string | number, b: string | number): number {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return collator.compare(String(a), String(b));
}
