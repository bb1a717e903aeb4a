/**
 * A job as Commvault's older REST API gives it (jobs-api.yaml: JobList, JobSummary) and as the
 * node outputs it: the `jobSummary` fields as returned, plus `finished`.
 */
import type { IDataObject } from 'n8n-workflow';

import { isListAnswer, isObject } from '../helpers/json';
import type { Success } from '../transport';
import { isFinalStatus } from './statuses';

/** The fields the node relies on; every other field is kept as Commvault returned it. */
export type JobSummary = IDataObject & { jobId: number; status: string };

export type JobList = IDataObject & { totalRecordsWithoutPaging?: number; jobs?: Array<IDataObject & { jobSummary: JobSummary }> | null };

function isJobSummary(value: unknown): value is JobSummary {
	return isObject(value) && Number.isInteger(value.jobId) && (value.jobId as number) > 0 && typeof value.status === 'string';
}

function isJobList(body: IDataObject): body is JobList {
	return isListAnswer(body, 'totalRecordsWithoutPaging', 'jobs', (job) => isObject(job) && isJobSummary(job.jobSummary));
}

/** The jobs of a list answer, in its order. */
export function jobsOf(list: JobList): JobSummary[] {
	return (list.jobs ?? []).map((job) => job.jobSummary);
}

/** `POST /Jobs`: a JobList. */
export const jobList: Success<JobList> = {
	expected: 'a job list (JobList, with totalRecordsWithoutPaging and jobs)',
	is: isJobList,
};

/**
 * `GET /Job/{jobId}`: a JobList holding that job, or none (Commvault's answer for an id it does
 * not know). A list of other jobs is not an answer about this one.
 */
export function jobListFor(jobId: number): Success<JobList> {
	return {
		expected: `a job list (JobList) holding job ${jobId}`,
		is: (body): body is JobList => isJobList(body) && (jobsOf(body).length === 0 || jobsOf(body).some((job) => job.jobId === jobId)),
	};
}

/** A job as the node outputs it: Commvault's fields, and whether it has finished. */
export function jobItem(summary: JobSummary): IDataObject {
	return { ...summary, finished: isFinalStatus(summary.status) };
}
