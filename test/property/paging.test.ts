/**
 * API.md's paging rule as a property of transport's requestAll: for any number of records, either
 * page base (page 0 repeating page 1, or empty), a server that gives fewer records a page than
 * asked for, any limit or none, and pages answering in any order, the records come back in order,
 * each once, exactly the first min(limit, totalRecords); paging starts at page 0, asks no page
 * twice and no more than ⌈totalRecords ÷ page size⌉ + 1 pages. (Get Many in n8n's engine:
 * test/engine/get-many.test.ts.)
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { PAGE_SIZE, requestAll } from '../../nodes/Commvault/transport/paging';
import type { CommvaultConnection, CommvaultRequest, ListRequest } from '../../nodes/Commvault/transport';
import { propertyOptions } from './support/batch';

type Base = 'zero' | 'oneRepeats' | 'oneEmpty';

interface Server {
	total: number;
	base: Base;
	/** The most records the server puts on a page, whatever was asked. */
	cap: number;
	/** Spreads the answers' timing, so that pages fetched together come back in any order. */
	jitter: number;
}

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 100) || 100);

function serve(server: Server, asked: number[]): CommvaultConnection {
	const request = async (call: CommvaultRequest): Promise<IDataObject> => {
		const pageNumber = Number(call.query?.pageNumber);
		const size = Math.min(Number(call.query?.pageSize), server.cap);
		asked.push(pageNumber);
		await new Promise((resolve) => setTimeout(resolve, (pageNumber * server.jitter) % 3));
		const index = server.base === 'zero' ? pageNumber : server.base === 'oneRepeats' ? Math.max(1, pageNumber) - 1 : pageNumber - 1;
		const ids = index < 0 ? [] : Array.from({ length: Math.max(0, Math.min(size, server.total - index * size)) }, (_, k) => index * size + k + 1);
		return { totalRecords: server.total, clients: ids.map((id) => ({ id, name: `App ${id}` })) };
	};
	return { request } as unknown as CommvaultConnection;
}

const anything = { expected: 'a page', is: (body: IDataObject): body is IDataObject => Array.isArray(body.clients) };

/** requestAll over a served V4 list of apps, ids 1 … total. */
async function listServed(server: Server, asked: number[], more: Pick<ListRequest<IDataObject, { id: number }>, 'limit' | 'filter'>): Promise<Array<{ id: number }>> {
	return await requestAll(serve(server, asked), {
		path: '/V4/Office365/Exchange',
		success: anything,
		records: (answer) => answer.clients as Array<{ id: number }>,
		total: (answer) => answer.totalRecords as number,
		key: (record) => record.id,
		...more,
	});
}

it('requestAll: every record once, in order, up to the limit, from page 0, within ⌈total ÷ size⌉ + 1 pages', async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.record({
				total: fc.integer({ min: 0, max: 1200 }),
				base: fc.constantFrom<Base>('zero', 'oneRepeats', 'oneEmpty'),
				cap: fc.oneof(fc.constant(PAGE_SIZE), fc.integer({ min: 1, max: PAGE_SIZE })),
				jitter: fc.integer({ min: 0, max: 7 }),
			}),
			fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
			async (server, limit) => {
				const asked: number[] = [];
				const records = await listServed(server, asked, { limit });
				const wanted = Math.min(server.total, limit ?? Number.POSITIVE_INFINITY);
				expect(records.map((record) => record.id)).toEqual(Array.from({ length: wanted }, (_, k) => k + 1));
				expect(asked[0]).toBe(0);
				expect(new Set(asked).size).toBe(asked.length);
				const perPage = Math.min(server.cap, PAGE_SIZE, limit ?? PAGE_SIZE);
				expect(asked.length).toBeLessThanOrEqual(Math.ceil(server.total / perPage) + 1);
			},
		),
		propertyOptions(RUNS),
	);
});

/** Any page cap a server may hold to; how answers are spread in time; any limit or none. */
const CAP = fc.oneof(fc.constant(PAGE_SIZE), fc.integer({ min: 1, max: PAGE_SIZE }));
const JITTER = fc.integer({ min: 0, max: 7 });
const LIMIT = fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined });

/** A list paged by `pagingConfig` in the body (`POST /Jobs`): offsets, no page base; the server may cap a page, and may not count. */
function serveByOffset(server: Omit<Server, 'base'> & { counted: boolean }, asked: Array<{ offset: number; limit: number }>): CommvaultConnection {
	const request = async (call: CommvaultRequest): Promise<IDataObject> => {
		const window = (call.body as { pagingConfig: { offset: number; limit: number } }).pagingConfig;
		asked.push(window);
		await new Promise((resolve) => setTimeout(resolve, (window.offset * server.jitter) % 3));
		const ids = Array.from({ length: Math.max(0, Math.min(window.limit, server.cap, server.total - window.offset)) }, (_, k) => window.offset + k + 1);
		return { ...(server.counted ? { totalRecordsWithoutPaging: server.total } : {}), jobs: ids.map((jobId) => ({ jobSummary: { jobId } })) };
	};
	return { request } as unknown as CommvaultConnection;
}

const byOffset = fc.record({ total: fc.integer({ min: 0, max: 1200 }), cap: CAP, jitter: JITTER, counted: fc.boolean() });

it('requestAll by offset: every record once, in order, up to the limit, each window asked once, within ⌈total ÷ size⌉ + 1 requests', async () => {
	const check = async (server: Omit<Server, 'base'> & { counted: boolean }, limit: number | undefined): Promise<void> => {
		const asked: Array<{ offset: number; limit: number }> = [];
		const records = await requestAll(serveByOffset(server, asked), {
			path: '/Jobs',
			paging: { style: 'offset', method: 'POST', body: (window) => ({ pagingConfig: { ...window } }) },
			success: { expected: 'a page', is: (body: IDataObject): body is IDataObject => Array.isArray(body.jobs) },
			records: (answer) => (answer.jobs as Array<{ jobSummary: { jobId: number } }>).map((job) => job.jobSummary),
			total: (answer) => answer.totalRecordsWithoutPaging as number | undefined,
			key: (job) => job.jobId,
			limit,
		});
		const wanted = Math.min(server.total, limit ?? Number.POSITIVE_INFINITY);
		expect(records.map((job) => job.jobId)).toEqual(Array.from({ length: wanted }, (_, k) => k + 1));
		expect(asked[0].offset).toBe(0);
		expect(new Set(asked.map((window) => window.offset)).size).toBe(asked.length);
		expect(asked.length).toBeLessThanOrEqual(Math.ceil(wanted / Math.min(server.cap, PAGE_SIZE, limit ?? PAGE_SIZE)) + 1);
	};
	await fc.assert(fc.asyncProperty(byOffset, LIMIT, check), propertyOptions(RUNS));
});

it('requestAll with a filter: the first `limit` records it keeps, in order, whichever page base', async () => {
	const servers = fc.record({ total: fc.integer({ min: 0, max: 700 }), base: fc.constantFrom<Base>('zero', 'oneRepeats', 'oneEmpty'), cap: fc.constant(PAGE_SIZE), jitter: JITTER });
	const check = async (server: Server, limit: number | undefined, every: number): Promise<void> => {
		const asked: number[] = [];
		const records = await listServed(server, asked, { limit, filter: (record) => record.id % every === 0 });
		const kept = Array.from({ length: server.total }, (_, k) => k + 1).filter((id) => id % every === 0);
		expect(records.map((record) => record.id)).toEqual(kept.slice(0, limit ?? kept.length));
		expect(new Set(asked).size).toBe(asked.length);
		expect(asked.length).toBeLessThanOrEqual(Math.ceil(server.total / PAGE_SIZE) + 1);
	};
	await fc.assert(fc.asyncProperty(servers, LIMIT, fc.integer({ min: 1, max: 9 }), check), propertyOptions(RUNS));
});
