/**
 * Commvault Trigger, Job Finished, run by n8n-core's ActiveWorkflows (the poll at activation,
 * then one per cron tick) against the simulator's `POST /Jobs`, with its static data kept
 * between polls and across restarts as n8n keeps it. Time is faked for both sides at once (n8n's
 * Date and the simulator's clock read the same system time), so a minute between polls takes
 * no time; Commvault's clock can be set off n8n's. Every job that finishes after the activation
 * with a watched status is emitted once, none twice, none that finished before.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ActivePoller } from '../../testing/engine/poll';
import { useSimulator } from '../../testing/engine/support/commvault';
import { fetchTriggerTestEvent, withTrigger } from '../../testing/engine/support/trigger';
import { CommvaultErrors } from '../../testing/simulator';
import type { RecordedRequest } from '../../testing/simulator/types';

const sim = useSimulator();
const jobsEvent = { event: 'jobFinished' };
const CLIENT = 1001;

beforeEach(() => {
	// Only Date: the sockets, timeouts and n8n's own waits keep real timers.
	jest.useFakeTimers({ doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
	jest.setSystemTime(Date.UTC(2026, 11, 3, 9, 0, 0));
});

afterEach(() => {
	sim.latencyMs = 0;
	jest.useRealTimers();
});

const pass = (seconds: number): void => jest.setSystemTime(Date.now() + seconds * 1000);
const nowOnCommvault = (): number => Math.floor(sim.jobs.clock.now());

/** A job that ends `inSeconds` from now on Commvault's clock with `status`. */
function jobEnding(inSeconds: number, status = 'Failed', seed: { clientId?: number; jobType?: 'Backup' | 'Restore' } = {}): number {
	const runSeconds = 120;
	return sim.jobs.add({ clientId: seed.clientId ?? CLIENT, jobType: seed.jobType, startTime: nowOnCommvault() + inSeconds - runSeconds, runSeconds, finalStatus: status }).jobId;
}

const jobsRequests = (): RecordedRequest[] => sim.requestsTo('POST', '/Jobs');
const emittedIds = (poller: ActivePoller): number[] => poller.emittedJson.map((json) => json.jobId as number);

function expectEachOnce(poller: ActivePoller, expected: number[]): void {
	const emitted = emittedIds(poller);
	expect(emitted.length).toBe(new Set(emitted).size);
	expect([...emitted].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
}

describe('Job Finished', () => {
	it('emits nothing at activation; then each failed job once, as Job › Get outputs it, in one request per poll', async () => {
		jobEnding(-60);
		jobEnding(-3600);
		await withTrigger(sim, { parameters: jobsEvent }, async (poller) => {
			expect(await poller.activate()).toEqual({ items: null, error: undefined });
			const failed = jobEnding(30);
			const killed = jobEnding(40, 'Killed');
			jobEnding(45, 'Completed');
			jobEnding(50, 'Completed w/ one or more warnings');
			const withErrors = jobEnding(55, 'Completed w/ one or more errors');
			const notStarted = jobEnding(58, 'Failed to Start');
			pass(60);
			const first = await poller.tick();
			expect(first.error).toBeUndefined();
			expectEachOnce(poller, [failed, killed, withErrors, notStarted]);
			expect(first.items?.find((item) => item.json.jobId === failed)?.json).toMatchObject({
				jobId: failed,
				status: 'Failed',
				finished: true,
				subclient: { clientId: CLIENT },
			});
			pass(60);
			expect((await poller.tick()).items).toBeNull();
			expect(jobsRequests()).toHaveLength(3);
		});
	});

	it('asks Commvault for finished backup jobs of the watched statuses since the last poll, plus a margin', async () => {
		await withTrigger(sim, { parameters: { ...jobsEvent, filters: { appId: ' 1001 ' } } }, async (poller) => {
			await poller.activate();
			pass(60);
			await poller.tick();
			const [atActivation, afterAMinute] = jobsRequests().map((request) => request.body as IDataObject);
			expect(jobsRequests().every((request) => request.valid)).toBe(true);
			expect(atActivation.jobFilter).toEqual({
				completedJobLookupTime: 15 * 60,
				statusList: ['Failed', 'Completed w/ one or more errors', 'Killed', 'Failed to Start'],
				jobTypeList: [4],
				clientList: [{ clientId: 1001 }],
			});
			expect((afterAMinute.jobFilter as IDataObject).completedJobLookupTime).toBe(60 + 15 * 60);
		});
	});

	it('no status chosen: every job that finished, never a running one; restores too when Backup Jobs Only is off', async () => {
		await withTrigger(sim, { parameters: { ...jobsEvent, statuses: [], filters: { backupOnly: false } } }, async (poller) => {
			await poller.activate();
			const done = jobEnding(10, 'Completed');
			const restore = jobEnding(20, 'Failed', { jobType: 'Restore' });
			sim.jobs.add({ clientId: CLIENT, runSeconds: Number.POSITIVE_INFINITY });
			pass(60);
			await poller.tick();
			expectEachOnce(poller, [done, restore]);
		});
	});

	it.each([
		['5 minutes ahead of', 300],
		['5 minutes behind', -300],
	])("Commvault's clock %s n8n's: jobs finishing between, during and at the edge of polls, each once", async (_label, skew) => {
		sim.jobs.clock.advance(skew);
		jobEnding(-1);
		const expected: number[] = [];
		// A job ends on Commvault while the poll's request is on its way: it is in this answer or the next.
		let finishDuringRequest = false;
		sim.latencyMs = (request) => {
			if (finishDuringRequest && request.path === '/Jobs') {
				finishDuringRequest = false;
				expected.push(jobEnding(0));
				pass(1);
			}
			return 0;
		};
		await withTrigger(sim, { parameters: jobsEvent }, async (poller) => {
			await poller.activate();
			for (let minute = 0; minute < 10; minute++) {
				expected.push(jobEnding(10), jobEnding(59));
				// ends exactly when the next poll looks
				expected.push(jobEnding(60));
				// Commvault lists a job as finished a little after the end time it gives it (it
				// writes the job's catalogue first): this one ended 20 s before the poll, unlisted then.
				const listedLate = sim.jobs.add({ clientId: CLIENT, runSeconds: Number.POSITIVE_INFINITY, finalStatus: 'Failed' });
				finishDuringRequest = minute % 2 === 0;
				pass(60);
				const pollAt = nowOnCommvault();
				const outcome = await poller.tick();
				expect(outcome.error).toBeUndefined();
				sim.jobs.finish(listedLate.jobId).endedAt = pollAt - 20;
				expected.push(listedLate.jobId);
			}
			pass(60);
			await poller.tick();
			expectEachOnce(poller, expected);
		});
	});

	it('a failing poll (at its first page or in the middle of its pages) is reported and keeps the cursor; the next good poll catches up, each job once', async () => {
		await withTrigger(sim, { parameters: jobsEvent }, async (poller) => {
			await poller.activate();
			const first = Array.from({ length: 250 }, (_, n) => jobEnding(1 + (n % 50)));
			sim.failNext({ method: 'POST', path: '/Jobs' }, CommvaultErrors.generic(503, 503, 'The CommServe is busy.'));
			pass(60);
			const failed = await poller.tick();
			expect(failed.items).toBeNull();
			expect(failed.error?.message).toContain('The CommServe is busy.');

			const second = Array.from({ length: 50 }, () => jobEnding(30));
			// page 1 of 3 fails: nothing of the poll counts
			sim.failNext({ method: 'POST', path: '/Jobs', when: (request) => ((request.body as IDataObject).pagingConfig as IDataObject).offset === 100 }, CommvaultErrors.generic(500, 500, 'Database timeout.'));
			pass(60);
			const cut = await poller.tick();
			expect(cut.items).toBeNull();
			expect(cut.error?.message).toContain('Database timeout.');

			pass(60);
			const caughtUp = await poller.tick();
			expect(caughtUp.error).toBeUndefined();
			expectEachOnce(poller, [...first, ...second]);
			pass(60);
			expect((await poller.tick()).items).toBeNull();
		});
	});

	it('2,000 jobs finishing in one interval: each emitted once, one request per page', async () => {
		await withTrigger(sim, { parameters: jobsEvent }, async (poller) => {
			await poller.activate();
			// many share one second
			const jobs = Array.from({ length: 2000 }, (_, n) => jobEnding(1 + (n % 7)));
			pass(60);
			sim.clearRequests();
			const outcome = await poller.tick();
			expect(outcome.error).toBeUndefined();
			expect(outcome.items).toHaveLength(2000);
			expectEachOnce(poller, jobs);
			const offsets = jobsRequests().map((request) => ((request.body as IDataObject).pagingConfig as IDataObject).offset);
			expect(offsets).toHaveLength(20);
			expect(new Set(offsets).size).toBe(20);
			pass(60);
			expect((await poller.tick()).items).toBeNull();
		});
	});

	it('n8n restarted in the middle: what finished while it was down is emitted once after the start, also after polls whose cursor n8n had not saved', async () => {
		await withTrigger(sim, { parameters: jobsEvent }, async (poller) => {
			await poller.activate();
			const before = [jobEnding(20)];
			pass(60);
			await poller.tick();
			// polls that find nothing: n8n saves no static data for them
			for (let minute = 0; minute < 3; minute++) {
				pass(60);
				expect((await poller.tick()).items).toBeNull();
			}
			const whileDown = [jobEnding(30), jobEnding(200)];
			pass(5 * 60);
			const restarted = await poller.restart();
			expect(restarted.error).toBeUndefined();
			const after = [jobEnding(10)];
			pass(60);
			await poller.tick();
			pass(60);
			await poller.tick();
			expectEachOnce(poller, [...before, ...whileDown, ...after]);
		});
	});

	it('many polls with everything at once: skew, a burst in one second, a failing poll, two restarts', async () => {
		sim.jobs.clock.advance(-300);
		const expected: number[] = [];
		await withTrigger(sim, { parameters: jobsEvent }, async (poller) => {
			await poller.activate();
			for (let minute = 1; minute <= 30; minute++) {
				const count = minute === 12 ? 400 : minute % 5;
				for (let n = 0; n < count; n++) expected.push(jobEnding(minute === 12 ? 30 : 1 + ((n * 13) % 60)));
				jobEnding(15, 'Completed');
				if (minute === 7) sim.failNext({ method: 'POST', path: '/Jobs' }, CommvaultErrors.generic(502, 502, 'Bad gateway.'));
				pass(60);
				if (minute === 10 || minute === 20) await poller.restart();
				else await poller.tick();
			}
			pass(60);
			await poller.tick();
			expect(poller.errors).toHaveLength(1);
			expectEachOnce(poller, expected);
		});
	});

	it('turned off and on again is a new activation: jobs that finished meanwhile are not emitted', async () => {
		await withTrigger(sim, { parameters: jobsEvent }, async (poller) => {
			await poller.activate();
			await poller.deactivate();
			jobEnding(30);
			pass(60);
			expect((await poller.activate('activate')).items).toBeNull();
			const next = jobEnding(30);
			pass(60);
			await poller.tick();
			expectEachOnce(poller, [next]);
		});
	});

	it('refuses a status Commvault does not have, naming the field, before anything is sent', async () => {
		await withTrigger(sim, { parameters: { ...jobsEvent, statuses: ['Failed', 'Broken'] } }, async (poller) => {
			const outcome = await poller.activate();
			expect(outcome.error?.message).toContain('Statuses: "Broken" is not a Commvault job status');
			expect(jobsRequests()).toHaveLength(0);
		});
	});
});

describe('Fetch Test Event', () => {
	it('returns the newest job of the last 7 days that finished with a watched status', async () => {
		jobEnding(-3 * 24 * 3600);
		const newest = jobEnding(-60, 'Killed');
		jobEnding(-30, 'Completed');
		const result = await fetchTriggerTestEvent(sim, { parameters: jobsEvent });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.jobId)).toEqual([newest]);
		expect(result.items[0].json).toMatchObject({ status: 'Killed', finished: true });
		expect((jobsRequests()[0].body as IDataObject).jobFilter).toMatchObject({ completedJobLookupTime: 7 * 24 * 3600 });
	});

	it('says there is none', async () => {
		jobEnding(-8 * 24 * 3600);
		const result = await fetchTriggerTestEvent(sim, { parameters: jobsEvent });
		expect(result.error?.message).toBe('No job that finished matching the filters in the last 7 days');
	});
});
