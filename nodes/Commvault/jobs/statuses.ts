/**
 * Commvault's words for a job's `jobSummary.status` (API.md, "Jobs"; node-contract.md, resource
 * `job`): a job whose status is final has finished, whatever the outcome; the others are still
 * under way (or waiting to be). Job › Get, Get Many, Back Up Now's wait and the trigger read them here.
 */
import { InvalidInput } from '../helpers/validation';

export const FINAL_JOB_STATUSES = [
	'Completed',
	'Completed w/ one or more errors',
	'Completed w/ one or more warnings',
	'Failed',
	'Killed',
	'Failed to Start',
	'Committed',
] as const;

export const ACTIVE_JOB_STATUSES = ['Running', 'Waiting', 'Pending', 'Suspended', 'Queued'] as const;

/** Every status a filter can name: the final ones first, as the contract lists them. */
export const JOB_STATUSES = [...FINAL_JOB_STATUSES, ...ACTIVE_JOB_STATUSES] as const;

export type JobStatus = (typeof JOB_STATUSES)[number];

const FINAL = new Set<string>(FINAL_JOB_STATUSES);

/** Whether a job with this status has finished. Commvault words it so; a status it adds later counts as under way. */
export function isFinalStatus(status: unknown): boolean {
	return typeof status === 'string' && FINAL.has(status);
}

/** A list of status words from a multi-options field (or an expression giving one word, or a comma list); empty means all. */
export function requireStatuses(field: string, value: unknown): JobStatus[] {
	if (value === undefined || value === null || value === '') return [];
	const words = (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value]).map((word) =>
		typeof word === 'string' ? word.trim() : word,
	);
	const unknown = words.filter((word) => !(JOB_STATUSES as readonly unknown[]).includes(word));
	if (unknown.length > 0) {
		throw new InvalidInput(
			field,
			`${unknown.map((word) => JSON.stringify(word)).join(', ')} ${unknown.length === 1 ? 'is not a' : 'are not'} Commvault job status${unknown.length === 1 ? '' : 'es'}`,
			`Use ${JOB_STATUSES.join(', ')}.`,
		);
	}
	return [...new Set(words as JobStatus[])];
}
