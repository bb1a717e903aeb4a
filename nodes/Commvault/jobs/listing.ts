/**
 * The two job calls: `GET /Job/{jobId}` and `POST /Jobs` (jobs-api.yaml), with the body built
 * from a filter; used by Job › Get and Get Many, Back Up Now's wait and the trigger.
 */
import type { IDataObject } from 'n8n-workflow';

import { requestAll, type CommvaultRequester, type PageWindow } from '../transport';
import type { JobStatus } from './statuses';
import { jobList, jobListFor, jobsOf, type JobSummary } from './summary';

/** Commvault's job type for a backup (`jobTypeList`). */
export const BACKUP_JOB_TYPE = 4;

export const DEFAULT_LOOKBACK_HOURS = 24;

/** Which jobs a listing asks for (node-contract.md, Job › Get Many's `filters`). */
export interface JobFilters {
	/** A Microsoft 365 app's id, which is its `clientId`. */
	appId?: number;
	/** Empty or absent: every status. */
	statuses?: readonly JobStatus[];
	/** Default true: backup jobs only. */
	backupOnly?: boolean;
	/** How far back finished jobs are listed (default 24); fractions allowed. */
	lookbackHours?: number;
}

/**
 * The `POST /Jobs` body (JobsRequest) for a filter and the records wanted: every job category,
 * newest first, finished jobs of the last `lookbackHours`. Empty filters are left out.
 */
export function jobsRequestBody(filters: JobFilters, window: PageWindow): IDataObject {
	const jobFilter: IDataObject = {
		completedJobLookupTime: Math.ceil((filters.lookbackHours ?? DEFAULT_LOOKBACK_HOURS) * 3600),
	};
	if (filters.statuses?.length) jobFilter.statusList = [...filters.statuses];
	if (filters.backupOnly ?? true) jobFilter.jobTypeList = [BACKUP_JOB_TYPE];
	if (filters.appId !== undefined) jobFilter.clientList = [{ clientId: filters.appId }];
	return {
		scope: 1,
		category: 0,
		pagingConfig: { offset: window.offset, limit: window.limit, sortField: 'jobStartTime', sortDirection: 1 },
		jobFilter,
	};
}

/** `GET /Job/{jobId}`: the job, or undefined when Commvault knows no job of that id. */
export async function fetchJob(connection: CommvaultRequester, jobId: number, itemIndex?: number): Promise<JobSummary | undefined> {
	const answer = await connection.request({ method: 'GET', path: `/Job/${jobId}`, itemIndex, success: jobListFor(jobId) });
	return jobsOf(answer).find((job) => job.jobId === jobId);
}

/** `POST /Jobs`, paged by `pagingConfig`: the jobs matching the filter, newest first, each once, up to `limit`. */
export async function listJobs(
	connection: CommvaultRequester,
	filters: JobFilters,
	wanted: { limit?: number; itemIndex?: number } = {},
): Promise<JobSummary[]> {
	return await requestAll(connection, {
		path: '/Jobs',
		paging: { style: 'offset', method: 'POST', body: (window) => jobsRequestBody(filters, window) },
		itemIndex: wanted.itemIndex,
		success: jobList,
		records: jobsOf,
		total: (answer) => answer.totalRecordsWithoutPaging,
		key: (job) => job.jobId,
		limit: wanted.limit,
	});
}
