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
