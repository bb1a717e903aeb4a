/**
 * The job vocabulary (nodes/Commvault/jobs/): status words, `finished`, a job as the node outputs
 * it, the success shapes of the two job calls, and the `POST /Jobs` body a filter gives, checked
 * against jobs-api.yaml's JobsRequest.
 */
import {
	ACTIVE_JOB_STATUSES,
	FINAL_JOB_STATUSES,
	JOB_STATUSES,
	isFinalStatus,
	jobItem,
	jobList,
	jobListFor,
	jobsRequestBody,
	requireStatuses,
} from '../../nodes/Commvault/jobs';
import { InvalidInput } from '../../nodes/Commvault/helpers/validation';
import { loadSpec } from '../../testing/simulator';

const { registry } = loadSpec();

describe('job statuses', () => {
	it('the final words and the others are the contract\'s, and none is both', () => {
		expect(FINAL_JOB_STATUSES).toEqual([
			'Completed',
			'Completed w/ one or more errors',
			'Completed w/ one or more warnings',
			'Failed',
			'Killed',
			'Failed to Start',
			'Committed',
		]);
		expect(ACTIVE_JOB_STATUSES).toEqual(['Running', 'Waiting', 'Pending', 'Suspended', 'Queued']);
		expect(new Set(JOB_STATUSES).size).toBe(12);
	});

	it('finished: true for a final status only; a word Commvault adds later counts as under way', () => {
		for (const status of FINAL_JOB_STATUSES) expect(isFinalStatus(status)).toBe(true);
		for (const status of [...ACTIVE_JOB_STATUSES, 'completed', 'Interrupted', '', undefined, 4]) expect(isFinalStatus(status)).toBe(false);
	});

	it('a status filter takes the words as a list, one word or a comma list; empty means all', () => {
		expect(requireStatuses('Statuses', ['Failed', 'Killed', 'Failed'])).toEqual(['Failed', 'Killed']);
		expect(requireStatuses('Statuses', ' Failed , Running')).toEqual(['Failed', 'Running']);
		expect(requireStatuses('Statuses', [])).toEqual([]);
		expect(requireStatuses('Statuses', '')).toEqual([]);
	});

	it('a word that is no status fails naming the field and the word', () => {
		expect(() => requireStatuses('Filters > Statuses', ['Failed', 'failed'])).toThrow(InvalidInput);
		expect(() => requireStatuses('Filters > Statuses', ['Failed', 'failed'])).toThrow('Filters > Statuses: "failed" is not a Commvault job status');
	});
});

describe('a job as the node outputs it', () => {
	it('every jobSummary field as returned, plus finished', () => {
		const summary = { jobId: 7, status: 'Failed', percentComplete: 100, subclient: { clientId: 1001 } };
		expect(jobItem(summary)).toEqual({ ...summary, finished: true });
		expect(jobItem({ jobId: 8, status: 'Running' })).toEqual({ jobId: 8, status: 'Running', finished: false });
	});
});

describe('success shapes', () => {
	it('a JobList names its count or its jobs, each with a jobId and a status', () => {
		expect(jobList.is({ totalRecordsWithoutPaging: 0 })).toBe(true);
		expect(jobList.is({ totalRecordsWithoutPaging: 1, jobs: [{ jobSummary: { jobId: 1, status: 'Running' } }] })).toBe(true);
		expect(jobList.is({ jobs: null })).toBe(true);
		expect(jobList.is({})).toBe(false);
		expect(jobList.is({ scope: 1, category: 0, pagingConfig: {} })).toBe(false);
		expect(jobList.is({ jobs: [{ jobSummary: { jobId: '1', status: 'Running' } }] })).toBe(false);
		expect(jobList.is({ jobs: [{ jobId: 1, status: 'Running' }] })).toBe(false);
		expect(jobList.is({ totalRecordsWithoutPaging: -1 })).toBe(false);
	});

	it('GET /Job/{jobId}: a JobList holding the asked job, or an empty one; never a list of other jobs', () => {
		const asked = jobListFor(7);
		expect(asked.is({ totalRecordsWithoutPaging: 1, jobs: [{ jobSummary: { jobId: 7, status: 'Running' } }] })).toBe(true);
		expect(asked.is({ totalRecordsWithoutPaging: 0, jobs: [] })).toBe(true);
		expect(asked.is({ totalRecordsWithoutPaging: 1, jobs: [{ jobSummary: { jobId: 8, status: 'Running' } }] })).toBe(false);
		expect(asked.expected).toContain('job 7');
	});
});

describe('the POST /Jobs body', () => {
	it('defaults: backups of the last 24 hours, newest first, every category', () => {
		const body = jobsRequestBody({}, { offset: 0, limit: 100 });
		expect(body).toEqual({
			scope: 1,
			category: 0,
			pagingConfig: { offset: 0, limit: 100, sortField: 'jobStartTime', sortDirection: 1 },
			jobFilter: { completedJobLookupTime: 86_400, jobTypeList: [4] },
		});
		expect(registry.validate('JobsRequest', body)).toEqual([]);
	});

	it('app → clientList, statuses → statusList, backup only off → no jobTypeList, hours → seconds (rounded up)', () => {
		const body = jobsRequestBody({ appId: 1001, statuses: ['Failed', 'Killed'], backupOnly: false, lookbackHours: 0.5001 }, { offset: 200, limit: 50 });
		expect(body.jobFilter).toEqual({ completedJobLookupTime: 1801, statusList: ['Failed', 'Killed'], clientList: [{ clientId: 1001 }] });
		expect(body.pagingConfig).toEqual({ offset: 200, limit: 50, sortField: 'jobStartTime', sortDirection: 1 });
		expect(registry.validate('JobsRequest', body)).toEqual([]);
	});
});
