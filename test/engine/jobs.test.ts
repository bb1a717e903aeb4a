/**
 * Job › Get and Job › Get Many inside n8n's engine (node-contract.md, resource `job`):
 * `GET /Job/{jobId}` and `POST /Jobs` (jobs-api.yaml) against the simulator's jobs, `finished` on
 * every job, the filters as the body's jobFilter, paging by pagingConfig, and the errors: an id
 * Commvault does not know, a list about another job, a word that is no status.
 */
import type { INodeParameters } from 'n8n-workflow';

import { FINAL_JOB_STATUSES } from '../../nodes/Commvault/jobs';
import { CommvaultErrors } from '../../testing/simulator';
import { runCommvault, useSimulator } from '../../testing/engine/support/commvault';

const sim = useSimulator();

const job = (operation: string, overrides: INodeParameters = {}): INodeParameters => ({ resource: 'job', operation, ...overrides });

/** Jobs started an hour apart, newest last; the first ones finished long ago. */
function seedJobs(count: number, clientId = 1001): number[] {
	const now = Math.floor(sim.jobs.clock.now());
	return Array.from({ length: count }, (_, k) => sim.jobs.add({ clientId, startTime: now - (count - k) * 600, runSeconds: 60 }).jobId);
}

describe('Job › Get', () => {
	it('the jobSummary fields as Commvault gives them, plus finished', async () => {
		const running = sim.jobs.add({ clientId: 1001, runSeconds: 120 });
		const failed = sim.jobs.add({ clientId: 1002, runSeconds: 0, finalStatus: 'Failed to Start' });
		const result = await runCommvault(sim, {
			parameters: job('get', { jobId: '={{ $json.jobId }}' }),
			items: [{ json: { jobId: running.jobId } }, { json: { jobId: ` ${failed.jobId}\u200b` } }],
		});
		expect(result.error).toBeUndefined();
		const [first, second] = result.items.map((item) => item.json);
		const { jobs: answered } = sim.requestsTo('GET', `/Job/${running.jobId}`)[0].responseBody as { jobs: Array<{ jobSummary: object }> };
		expect(first).toEqual({ ...answered[0].jobSummary, finished: false });
		expect(second).toMatchObject({ jobId: failed.jobId, status: 'Failed to Start', finished: true, subclient: { clientId: 1002 } });
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it.each(FINAL_JOB_STATUSES)('"%s" is finished', async (status) => {
		const done = sim.jobs.add({ clientId: 1001, runSeconds: 0, finalStatus: status });
		const result = await runCommvault(sim, { parameters: job('get', { jobId: done.jobId }) });
		expect(result.items[0].json).toMatchObject({ status, finished: true });
	});

	it('an id Commvault does not know fails the item, naming it', async () => {
		const result = await runCommvault(sim, { parameters: job('get', { jobId: 31337 }), continueOnFail: true });
		expect(result.items[0].json.error).toBe('Job ID: Commvault has no job 31337 (item 0)');
		expect(sim.requestsTo('GET', '/Job/31337')).toHaveLength(1);
	});

	it('an empty or non-numeric Job ID fails before anything is sent', async () => {
		const result = await runCommvault(sim, {
			parameters: job('get', { jobId: '={{ $json.jobId }}' }),
			items: [{ json: { jobId: '' } }, { json: { jobId: 'job-5' } }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error)).toEqual([
			'Job ID: is required (item 0)',
			'Job ID: must be a positive whole number (an ID), got "job-5" (item 1)',
		]);
		expect(sim.requests).toEqual([]);
	});

	it.each([
		['a list about another job', { totalRecordsWithoutPaging: 1, jobs: [{ jobSummary: { jobId: 5002, status: 'Completed' } }] }],
		['an empty object', {}],
		['a job without a status', { totalRecordsWithoutPaging: 1, jobs: [{ jobSummary: { jobId: 5001 } }] }],
	])('an answer that is not a JobList holding the job (%s) fails the item', async (_, body) => {
		sim.respondNext({ method: 'GET', path: '/Job/5001' }, { status: 200, body });
		const result = await runCommvault(sim, { parameters: job('get', { jobId: 5001 }), continueOnFail: true });
		expect(result.items[0].json.error).toMatch(/^Commvault's answer to GET \/Job\/5001 \(HTTP 200\) is not a job list \(JobList\) holding job 5001: it is /);
	});

	it('Commvault\'s error in a 200 (errList) is its message', async () => {
		sim.respondNext({ method: 'GET', path: '/Job/5001' }, CommvaultErrors.errListIn200(2, 'Job [5001] is not accessible to the user.'));
		const result = await runCommvault(sim, { parameters: job('get', { jobId: 5001 }), continueOnFail: true });
		expect(result.items[0].json.error).toBe('Job [5001] is not accessible to the user.');
	});
});

describe('Job › Get Many', () => {
	it('by default: backup jobs of the last 24 hours, newest first, 50 at most, each with finished', async () => {
		const ids = seedJobs(60);
		sim.jobs.add({ clientId: 1001, jobType: 'Restore', runSeconds: 10 });
		const result = await runCommvault(sim, { parameters: job('getMany') });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.jobId)).toEqual([...ids].reverse().slice(0, 50));
		expect(result.items.every((item) => item.json.finished === true && item.json.status === 'Completed')).toBe(true);
		const [request] = sim.requestsTo('POST', '/Jobs');
		expect(request.valid).toBe(true);
		expect(request.body).toEqual({
			scope: 1,
			category: 0,
			pagingConfig: { offset: 0, limit: 50, sortField: 'jobStartTime', sortDirection: 1 },
			jobFilter: { completedJobLookupTime: 86_400, jobTypeList: [4] },
		});
	});

	it('the filters: app → clientList, statuses → statusList, backup only off, lookback hours → seconds', async () => {
		seedJobs(3, 1001);
		seedJobs(2, 1002);
		const running = sim.jobs.add({ clientId: 1001, runSeconds: Infinity });
		const restore = sim.jobs.add({ clientId: 1001, jobType: 'Restore', runSeconds: Infinity });
		const result = await runCommvault(sim, {
			parameters: job('getMany', { filters: { appId: 1001, statuses: ['Running'], backupOnly: false, lookbackHours: 2 } }),
		});
		expect(result.items.map((item) => item.json.jobId).sort()).toEqual([running.jobId, restore.jobId].sort());
		expect(sim.requestsTo('POST', '/Jobs')[0].body).toMatchObject({
			jobFilter: { completedJobLookupTime: 7200, statusList: ['Running'], clientList: [{ clientId: 1001 }] },
		});
		expect((sim.requestsTo('POST', '/Jobs')[0].body as { jobFilter: object }).jobFilter).not.toHaveProperty('jobTypeList');
	});

	it('Return All pages by pagingConfig: every job once, newest first, also when Commvault holds a page to fewer', async () => {
		const ids = seedJobs(230);
		sim.jobs.pageCap = 40;
		const result = await runCommvault(sim, { parameters: job('getMany', { returnAll: true, filters: { lookbackHours: 1000 } }) });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.jobId)).toEqual([...ids].reverse());
		const windows = sim.requestsTo('POST', '/Jobs').map((request) => (request.body as { pagingConfig: { offset: number; limit: number } }).pagingConfig);
		expect(windows[0]).toMatchObject({ offset: 0, limit: 100 });
		expect(windows.slice(1).map((window) => window.offset)).toEqual([40, 80, 120, 160, 200]);
		expect(sim.requestsTo('POST', '/Jobs').every((request) => request.valid)).toBe(true);
	});

	it('a word that is no job status fails naming the field and the word, sending nothing', async () => {
		const result = await runCommvault(sim, { parameters: job('getMany', { filters: { statuses: ['Failed', 'Broken'] } }), continueOnFail: true });
		expect(result.items[0].json.error).toBe('Filters > Statuses: "Broken" is not a Commvault job status (item 0)');
		expect(sim.requests).toEqual([]);
	});

	it('an answer that is not a JobList (an echo of the request) fails the item', async () => {
		sim.respondNext({ method: 'POST', path: '/Jobs' }, { status: 200, echo: (request) => request.body });
		const result = await runCommvault(sim, { parameters: job('getMany'), continueOnFail: true });
		expect(result.items[0].json.error).toMatch(/^Commvault's answer to POST \/Jobs \(HTTP 200\) is not a job list \(JobList, with totalRecordsWithoutPaging and jobs\): it is a JSON object with "scope"/);
	});
});
