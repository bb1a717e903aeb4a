import type { IDataObject } from 'n8n-workflow';

import { filtersCollection } from '../descriptions/list.description';
import { isObject } from '../helpers/json';
import { cleanText } from '../helpers/text';
import { requireEntityId } from '../helpers/validation';
import { FINAL_JOB_STATUSES, isFinalStatus, jobItem, listJobs, requireStatuses, type JobFilters, type JobSummary } from '../jobs';
import type { PollRun, TriggerEvent } from './types';

/** Fetch Test Event looks at one page of the newest-started jobs for the one that finished last. */
const TEST_EVENT_PAGE = 100;

/**
 * The filter from the node's fields. No status chosen means every final status, never a running
 * job: this event is about jobs that have finished.
 */
function filtersOf(run: PollRun, lookbackSeconds: number): JobFilters {
	const { context } = run;
	const chosen = requireStatuses('Statuses', context.getNodeParameter('statuses', []));
	const filters = context.getNodeParameter('filters', {});
	const { appId, backupOnly }: IDataObject = isObject(filters) ? filters : {};
	return {
		statuses: chosen.length > 0 ? chosen : [...FINAL_JOB_STATUSES],
		backupOnly: backupOnly !== false,
		...(appId === undefined || cleanText(appId) === '' ? {} : { appId: requireEntityId('App ID', appId) }),
		lookbackHours: lookbackSeconds / 3600,
	};
}

/** When the job ended, by Commvault's clock (its last update for a Commvault that left the end time out). */
function endOf(job: JobSummary): number {
	const end = Number(job.jobEndTime);
	return Number.isFinite(end) && end > 0 ? end : Number(job.lastUpdateTime) || 0;
}

async function finishedJobs(run: PollRun, lookbackSeconds: number, limit?: number): Promise<JobSummary[]> {
	const jobs = await listJobs(run.connection, filtersOf(run, lookbackSeconds), { limit });
	return jobs.filter((job) => isFinalStatus(job.status));
}

export const jobFinished: TriggerEvent<JobSummary> = {
	option: {
		name: 'Job Finished',
		value: 'jobFinished',
		description: 'When a Commvault job ends with one of the chosen statuses (by default: failed, killed, completed with errors)',
	},
	properties: [
		{
			displayName: 'Statuses',
			name: 'statuses',
			type: 'multiOptions',
			options: FINAL_JOB_STATUSES.map((status) => ({ name: status, value: status })),
			// A job that finished badly: what the trigger watches unless told otherwise (node-contract.md).
			default: ['Failed', 'Completed w/ one or more errors', 'Killed', 'Failed to Start'],
			description: 'Only jobs that ended with one of these statuses. None: every job that finished.',
		},
		filtersCollection([
			{
				displayName: 'App ID',
				name: 'appId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1001',
				description: "Only the jobs of this Microsoft 365 app (Commvault's client ID)",
			},
			{
				displayName: 'Backup Jobs Only',
				name: 'backupOnly',
				type: 'boolean',
				default: true,
				description: 'Whether to watch backup jobs only (not restores and other jobs)',
			},
		]),
	],
	noun: 'job that finished',
	since: async (run, lookbackSeconds) => await finishedJobs(run, lookbackSeconds),
	async newest(run, lookbackSeconds) {
		const jobs = await finishedJobs(run, lookbackSeconds, TEST_EVENT_PAGE);
		return jobs.reduce<JobSummary | undefined>((newest, job) => (newest && endOf(newest) >= endOf(job) ? newest : job), undefined);
	},
	sighting: (job) => ({ id: String(job.jobId), time: endOf(job) }),
	output: (job) => jobItem(job),
};
