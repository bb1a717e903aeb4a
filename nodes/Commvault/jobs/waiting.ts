/**
 * Back Up Now's Wait for Completion: polls `GET /Job/{jobId}` for every job of the backup until
 * each has a final status, or until the wait's bound has passed. The interval grows from a few
 * seconds to 30 s (a long backup costs a request every 30 s, a quick one is seen done within
 * seconds); a halted run (another item failed, the execution cancelled) ends the wait at once.
 */
import type { IDataObject } from 'n8n-workflow';

import type { CommvaultRequester } from '../transport';
import { fetchJob } from './listing';
import { isFinalStatus } from './statuses';
import { jobItem, type JobSummary } from './summary';

/** Seconds before the first poll, and the most between two. */
export const POLL_SECONDS = { first: 3, most: 30 } as const;

export const MAX_WAIT_MINUTES = { default: 30, min: 1, max: 1440 } as const;

/**
 * How long one second of a wait lasts, in milliseconds. Only the tests and the benchmark change
 * it, to run a 2-minute job in simulated time; n8n never does, and no node parameter reaches it.
 */
export const waitClock = { msPerSecond: 1000 };

export interface JobsWaited {
	/** Whether every job has a final status. */
	finished: boolean;
	/** Each job as last seen (Job › Get's output); one Commvault did not list yet is its id and `finished: false`. */
	jobs: IDataObject[];
}

/** The intervals between polls: first, twice that, … up to the most, then the most each time. */
export function nextPollSeconds(previous: number | undefined): number {
	return previous === undefined ? POLL_SECONDS.first : Math.min(previous * 2, POLL_SECONDS.most);
}

export async function waitForJobs(
	connection: CommvaultRequester,
	jobIds: readonly number[],
	maxWaitMinutes: number,
	itemIndex: number,
): Promise<JobsWaited> {
	const { msPerSecond } = waitClock;
	const deadline = Date.now() + maxWaitMinutes * 60 * msPerSecond;
	const seen = new Map<number, JobSummary | undefined>(jobIds.map((jobId) => [jobId, undefined]));
	const done = (): boolean => [...seen.values()].every((job) => job !== undefined && isFinalStatus(job.status));
	const result = (): JobsWaited => ({
		finished: done(),
		jobs: [...seen].map(([jobId, job]) => (job ? jobItem(job) : { jobId, finished: false })),
	});
	let interval: number | undefined;
	while (!done()) {
		const left = deadline - Date.now();
		if (left <= 0) break;
		interval = nextPollSeconds(interval);
		// A halted run's next request is never sent: the poll below says why, and the item ends.
		await connection.waitUnlessHalted(Math.min(interval * msPerSecond, left));
		const open = [...seen].filter(([, job]) => !job || !isFinalStatus(job.status)).map(([jobId]) => jobId);
		const polled = await Promise.all(open.map(async (jobId) => await fetchJob(connection, jobId, itemIndex)));
		open.forEach((jobId, index) => seen.set(jobId, polled[index] ?? seen.get(jobId)));
	}
	return result();
}
