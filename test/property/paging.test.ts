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
import type { CommvaultConnection, CommvaultRequest } from '../../nodes/Commvault/transport';
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
				const records = await requestAll(serve(server, asked), {
					path: '/V4/Office365/Exchange',
					success: anything,
					records: (answer) => answer.clients as Array<{ id: number }>,
					total: (answer) => answer.totalRecords as number,
					key: (record) => record.id,
					limit,
				});
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

/** A list paged by `pagingConfig` in the body (`POST /Jobs`): offsets, no page base; the server may cap a page. */
function serveByOffset(server: { total: number; cap: number; jitter: number; counted: boolean }, asked: Array<{ offset: number; limit: number }>): CommvaultConnection {
	const request = async (call: CommvaultRequest): Promise<IDataObject> => {
		const { offset, limit } = (call.body as { pagingConfig: { offset: number; limit: number } }).pagingConfig;
		asked.push({ offset, limit });
		await new Promise((resolve) => setTimeout(resolve, (offset * server.jitter) % 3));
		const size = Math.min(limit, server.cap);
		const ids = Array.from({ length: Math.max(0, Math.min(size, server.total - offset)) }, (_, k) => offset + k + 1);
		return { ...(server.counted ? { totalRecordsWithoutPaging: server.total } : {}), jobs: ids.map((jobId) => ({ jobSummary: { jobId } })) };
	};
	return { request } as unknown as CommvaultConnection;
}

const jobsPage = { expected: 'a page', is: (body: IDataObject): body is IDataObject => Array.isArray(body.jobs) };

it('requestAll by offset: every record once, in order, up to the limit, each window asked once, within ⌈total ÷ size⌉ + 1 requests', async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.record({
				total: fc.integer({ min: 0, max: 1200 }),
				cap: fc.oneof(fc.constant(PAGE_SIZE), fc.integer({ min: 1, max: PAGE_SIZE })),
				jitter: fc.integer({ min: 0, max: 7 }),
				counted: fc.boolean(),
			}),
			fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
			async (server, limit) => {
				const asked: Array<{ offset: number; limit: number }> = [];
				const records = await requestAll(serveByOffset(server, asked), {
					path: '/Jobs',
					paging: { style: 'offset', method: 'POST', body: (window) => ({ pagingConfig: { ...window } }) },
					success: jobsPage,
					records: (answer) => (answer.jobs as Array<{ jobSummary: { jobId: number } }>).map((job) => job.jobSummary),
					total: (answer) => answer.totalRecordsWithoutPaging as number | undefined,
					key: (job) => job.jobId,
					limit,
				});
				const wanted = Math.min(server.total, limit ?? Number.POSITIVE_INFINITY);
				expect(records.map((job) => job.jobId)).toEqual(Array.from({ length: wanted }, (_, k) => k + 1));
				expect(asked[0].offset).toBe(0);
				expect(new Set(asked.map((window) => window.offset)).size).toBe(asked.length);
				const perPage = Math.min(server.cap, PAGE_SIZE, limit ?? PAGE_SIZE);
				expect(asked.length).toBeLessThanOrEqual(Math.ceil(wanted / perPage) + 1);
			},
		),
		propertyOptions(RUNS),
	);
});

it('requestAll with a filter: the first `limit` records it keeps, in order, whichever page base', async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.record({
				total: fc.integer({ min: 0, max: 700 }),
				base: fc.constantFrom<Base>('zero', 'oneRepeats', 'oneEmpty'),
				cap: fc.constant(PAGE_SIZE),
				jitter: fc.integer({ min: 0, max: 7 }),
			}),
			fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
			fc.integer({ min: 1, max: 9 }),
			async (server, limit, every) => {
				const asked: number[] = [];
				const records = await requestAll(serve(server, asked), {
					path: '/V4/Office365/Exchange/1001/Mailboxes',
					success: anything,
					records: (answer) => answer.clients as Array<{ id: number }>,
					total: (answer) => answer.totalRecords as number,
					key: (record) => record.id,
					filter: (record) => record.id % every === 0,
					limit,
				});
				const kept = Array.from({ length: server.total }, (_, k) => k + 1).filter((id) => id % every === 0);
				expect(records.map((record) => record.id)).toEqual(kept.slice(0, limit ?? kept.length));
				expect(new Set(asked).size).toBe(asked.length);
				expect(asked.length).toBeLessThanOrEqual(Math.ceil(server.total / PAGE_SIZE) + 1);
			},
		),
		propertyOptions(RUNS),
	);
});
