/**
 * The simulator's jobs (testing/simulator/jobs.ts): `GET /Job/{jobId}` and `POST /Jobs` strict
 * against jobs-api.yaml, jobs that move from Running to a final status on a clock the test
 * controls, and unknown ids answered as Commvault does (an empty list).
 */
import { loadSpec } from '../../testing/simulator';
import type { CallResult } from '../../testing/simulator/http-client';
import { useSimulator } from '../../testing/simulator/use-simulator';

interface Listed {
	totalRecordsWithoutPaging: number;
	jobs: Array<{ jobSummary: { jobId: number; status: string; jobEndTime: number; percentComplete: number; subclient: { clientId: number } } }>;
}

const listed = (res: CallResult): Listed => res.json as Listed;
const idsOf = (res: CallResult): number[] => listed(res).jobs.map((job) => job.jobSummary.jobId);
const statusOf = (res: CallResult): string => listed(res).jobs[0].jobSummary.status;

describe('the vendored jobs-api.json', () => {
	it('its operations are loaded beside the OpenAPI subset', () => {
		const { operations, registry } = loadSpec();
		expect(operations.get('GetJobSummary')).toMatchObject({ method: 'GET', path: '/Job/{jobId}', responseSchema: 'JobList' });
		expect(operations.get('GetJobs')).toMatchObject({ method: 'POST', path: '/Jobs', bodySchema: 'JobsRequest', responseSchema: 'JobList' });
		expect(operations.get('CreateD365Client')).toBeDefined();
		expect(registry.validate('JobsRequest', { scope: 1, extra: true })).toEqual([expect.objectContaining({ path: '/extra' })]);
	});
});

describe('GET /Job/{jobId}', () => {
	const { sim, req } = useSimulator();

	it('a job runs until its simulated time is up, then has its final status', async () => {
		const job = sim().jobs.add({ clientId: 1001, runSeconds: 120, finalStatus: 'Completed w/ one or more errors' });
		const running = await req('GET', `/Job/${job.jobId}`);
		expect(running.status).toBe(200);
		expect(listed(running).totalRecordsWithoutPaging).toBe(1);
		expect(listed(running).jobs[0].jobSummary).toMatchObject({ jobId: job.jobId, status: 'Running', jobEndTime: 0, subclient: { clientId: 1001 } });

		sim().jobs.clock.advance(60);
		const halfway = await req('GET', `/Job/${job.jobId}`);
		expect(statusOf(halfway)).toBe('Running');
		expect(listed(halfway).jobs[0].jobSummary.percentComplete).toBeGreaterThanOrEqual(49);

		sim().jobs.clock.advance(60);
		const done = await req('GET', `/Job/${job.jobId}`);
		expect(listed(done).jobs[0].jobSummary).toMatchObject({ status: 'Completed w/ one or more errors', jobEndTime: job.startTime + 120, percentComplete: 100 });
		expect(job.polls).toBe(3);
	});

	it('the clock can run faster than real time', async () => {
		sim().jobs.clock.speed = 10_000;
		const job = sim().jobs.add({ clientId: 1001, runSeconds: 120 });
		await new Promise((resolve) => setTimeout(resolve, 30));
		expect(statusOf(await req('GET', `/Job/${job.jobId}`))).toBe('Completed');
	});

	it('a job can end after a number of polls, or when a test ends it', async () => {
		const byPolls = sim().jobs.add({ clientId: 1001, runSeconds: Infinity, finishAfterPolls: 2, finalStatus: 'Failed' });
		expect(statusOf(await req('GET', `/Job/${byPolls.jobId}`))).toBe('Running');
		expect(statusOf(await req('GET', `/Job/${byPolls.jobId}`))).toBe('Failed');
		const byHand = sim().jobs.add({ clientId: 1001, runSeconds: Infinity, activeStatus: 'Pending' });
		expect(statusOf(await req('GET', `/Job/${byHand.jobId}`))).toBe('Pending');
		sim().jobs.finish(byHand.jobId, 'Killed');
		expect(statusOf(await req('GET', `/Job/${byHand.jobId}`))).toBe('Killed');
	});

	it('an unknown job id answers an empty list, as Commvault does', async () => {
		const res = await req('GET', '/Job/424242');
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ totalRecordsWithoutPaging: 0, jobs: [] });
	});

	it('strict: a job id that is not a number, or any query parameter, is a 400', async () => {
		expect((await req('GET', '/Job/abc')).status).toBe(400);
		const query = await req('GET', '/Job/5001?jobId=5001');
		expect(query.status).toBe(400);
		expect(query.text).toContain('unknown query parameter');
	});
});

describe('POST /Jobs', () => {
	const { sim, req } = useSimulator();

	const seed = (): void => {
		const { jobs } = sim();
		const start = Math.floor(jobs.clock.now()) - 10 * 3600;
		jobs.add({ jobId: 1, clientId: 1001, startTime: start, runSeconds: 60 });
		jobs.add({ jobId: 2, clientId: 1002, startTime: start + 3600, runSeconds: 60, finalStatus: 'Failed' });
		jobs.add({ jobId: 3, clientId: 1001, startTime: start + 7200, runSeconds: 60, jobType: 'Restore' });
		jobs.add({ jobId: 4, clientId: 1001, startTime: start + 9 * 3600, runSeconds: Infinity });
	};

	it('newest first by default; the filters narrow the list', async () => {
		seed();
		const all = await req('POST', '/Jobs', { body: { scope: 1, category: 0 } });
		expect(all.status).toBe(200);
		expect(idsOf(all)).toEqual([4, 3, 2, 1]);
		expect(listed(all).totalRecordsWithoutPaging).toBe(4);

		const filtered = async (jobFilter: object): Promise<number[]> => idsOf(await req('POST', '/Jobs', { body: { jobFilter } }));
		expect(await filtered({ clientList: [{ clientId: 1001 }] })).toEqual([4, 3, 1]);
		expect(await filtered({ jobTypeList: [4] })).toEqual([4, 2, 1]);
		expect(await filtered({ statusList: ['Failed', 'Running'] })).toEqual([4, 2]);
		// Finished within the last 9.5 hours: jobs 2 and 3 (job 1 ended almost 10 hours ago); the running job 4 always.
		expect(await filtered({ completedJobLookupTime: 9.5 * 3600 })).toEqual([4, 3, 2]);
		expect(idsOf(await req('POST', '/Jobs', { body: { category: 1 } }))).toEqual([4]);
		expect(idsOf(await req('POST', '/Jobs', { body: { category: 2 } }))).toEqual([3, 2, 1]);
	});

	it('pages by pagingConfig offset and limit, and keeps counting every match', async () => {
		seed();
		const page = await req('POST', '/Jobs', { body: { pagingConfig: { offset: 1, limit: 2, sortField: 'jobStartTime', sortDirection: 1 } } });
		expect(idsOf(page)).toEqual([3, 2]);
		expect(listed(page).totalRecordsWithoutPaging).toBe(4);
		const ascending = await req('POST', '/Jobs', { body: { pagingConfig: { offset: 0, limit: 10, sortField: 'jobId', sortDirection: 0 } } });
		expect(idsOf(ascending)).toEqual([1, 2, 3, 4]);
		sim().jobs.pageCap = 1;
		expect(idsOf(await req('POST', '/Jobs', { body: { pagingConfig: { offset: 0, limit: 3 } } }))).toEqual([4]);
		expect(idsOf(await req('POST', '/Jobs', { body: { pagingConfig: { offset: 9, limit: 3 } } }))).toEqual([]);
	});

	it.each([
		['an unknown field', { scope: 1, filter: {} }, '/filter'],
		['a category outside 0, 1, 2', { category: 3 }, '/category'],
		['a limit of 0', { pagingConfig: { offset: 0, limit: 0 } }, '/pagingConfig/limit'],
		['a client without clientId', { jobFilter: { clientList: [{ id: 1 }] } }, '/jobFilter/clientList/0'],
		['a lookback that is not a whole number', { jobFilter: { completedJobLookupTime: 1.5 } }, '/jobFilter/completedJobLookupTime'],
	])('strict against JobsRequest: %s is a 400', async (_, body, path) => {
		const res = await req('POST', '/Jobs', { body });
		expect(res.status).toBe(400);
		expect(res.text).toContain(path);
	});
});
