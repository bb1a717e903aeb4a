/**
 * A V4 app list served page by page from the simulator's scripted answers, as a Commvault whose
 * pages start at 0 or at 1 would serve it (API.md, "Paging"): `zero` counts pages from 0; `oneRepeats`
 * from 1, answering page 0 with its first page; `oneEmpty` from 1, answering page 0 with no apps.
 * Each page answers the `pageSize` asked for (the sizes the node uses: a limit's, or 100).
 */
import type { IDataObject } from 'n8n-workflow';

import type { CommvaultSimulator, RecordedRequest } from '../../simulator';

export type PageBase = 'zero' | 'oneRepeats' | 'oneEmpty';

/** The page sizes a test may see the node ask for. */
const PAGE_SIZES = [7, 50, 100];

/** `count` apps as Office365ClientData, named `<prefix> 1` …, ids from `firstId`. */
export function appsNamed(count: number, prefix: string, firstId = 5000): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		id: firstId + index,
		name: `${prefix} ${index + 1}`,
		serverPlan: { id: 1, name: 'Server Plan Gold' },
		company: { id: 0, name: 'Commcell' },
		backupHealthPercentage: 97.5,
		itemsBackedUp: 1200 + index,
		backupSize: 1048576 * (index + 1),
		associatedEntities: 40,
	}));
}

function pageOf(apps: IDataObject[], base: PageBase, pageNumber: number, pageSize: number): IDataObject[] {
	const index = base === 'zero' ? pageNumber : base === 'oneRepeats' ? Math.max(1, pageNumber) - 1 : pageNumber - 1;
	return index < 0 ? [] : apps.slice(index * pageSize, (index + 1) * pageSize);
}

/** Scripts `GET /V4/Office365/<workload>` for these apps, for requests with this search key (or none). */
export function servePages(sim: CommvaultSimulator, workload: string, apps: IDataObject[], base: PageBase, searchKey?: string): void {
	for (const pageSize of PAGE_SIZES) {
		const pages = Math.ceil(apps.length / pageSize) + 2;
		for (let pageNumber = 0; pageNumber < pages; pageNumber++) {
			sim.respondNext(
				{
					method: 'GET',
					path: `/V4/Office365/${workload}`,
					when: (request) =>
						request.query.pageNumber === String(pageNumber) &&
						request.query.pageSize === String(pageSize) &&
						request.query.searchKey === searchKey,
				},
				{ status: 200, body: { totalRecords: apps.length, clients: pageOf(apps, base, pageNumber, pageSize) } },
				10,
			);
		}
	}
}

/** The list requests the node sent for a workload, in order. */
export function listRequests(sim: CommvaultSimulator, workload: string): RecordedRequest[] {
	return sim.requestsTo('GET', `/V4/Office365/${workload}`);
}
