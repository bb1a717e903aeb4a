/**
 * Commvault Trigger, Alert Triggered, run by n8n-core's ActiveWorkflows (the poll at activation,
 * then a poll per cron tick) against the simulator's `GET /V4/TriggeredAlerts`: each alert
 * detected after the activation emitted once, whatever the clocks, failures and restarts.
 */
import { withTrigger, fetchTriggerTestEvent } from '../../testing/engine/support/trigger';
import { useSimulator } from '../../testing/engine/support/commvault';
import { CommvaultErrors } from '../../testing/simulator';

const sim = useSimulator();
const alertsEvent = { event: 'alertTriggered' };
const idsOf = (items: Array<{ json: { id?: unknown } }> | null): unknown[] => (items ?? []).map((item) => item.json.id);
const alertPolls = (): number => sim.requestsTo('GET', '/V4/TriggeredAlerts').length;

describe('Alert Triggered', () => {
	it('emits nothing at activation, then each alert detected since the last poll once, in one request per poll', async () => {
		const before = [sim.raiseAlert(), sim.raiseAlert({ detectedTime: Math.floor(sim.jobs.clock.now()) - 3600 })];
		await withTrigger(sim, { parameters: alertsEvent }, async (poller) => {
			const first = await poller.activate();
			expect(first).toEqual({ items: null, error: undefined });
			expect(await poller.tick()).toEqual({ items: null, error: undefined });

			// many in one second
			const now = Math.floor(sim.jobs.clock.now());
			const burst = Array.from({ length: 300 }, () => sim.raiseAlert({ detectedTime: now }));
			const second = await poller.tick();
			expect(second.error).toBeUndefined();
			expect(idsOf(second.items)).toEqual(expect.arrayContaining(burst.map((alert) => alert.id)));
			expect(second.items).toHaveLength(300);
			expect(second.items?.[0].json).toMatchObject({ severity: 'CRITICAL', detectedCriterion: 'Job Failed', info: 'Backup job failed' });

			const late = sim.raiseAlert({ severity: 'MAJOR' });
			expect(idsOf((await poller.tick()).items)).toEqual([late.id]);
			expect((await poller.tick()).items).toBeNull();
			expect(poller.emittedJson.map((json) => json.id)).not.toEqual(expect.arrayContaining([before[0].id]));
			expect(alertPolls()).toBe(5);
		});
	});

	it('only the severities asked for; none asked: every severity', async () => {
		await withTrigger(sim, { parameters: { ...alertsEvent, severities: ['CRITICAL', 'MAJOR'] } }, async (poller) => {
			await poller.activate();
			const critical = sim.raiseAlert({ severity: 'CRITICAL' });
			sim.raiseAlert({ severity: 'INFORMATION' });
			const major = sim.raiseAlert({ severity: 'MAJOR' });
			expect(idsOf((await poller.tick()).items).sort()).toEqual([critical.id, major.id].sort());
		});
	});

	it.each([
		['5 minutes ahead', 300],
		['5 minutes behind', -300],
	])("Commvault's clock %s of n8n's: none lost, none twice", async (_label, skewSeconds) => {
		// reset() before the next test starts a new clock
		sim.jobs.clock.advance(skewSeconds);
		{
			sim.raiseAlert();
			await withTrigger(sim, { parameters: alertsEvent }, async (poller) => {
				await poller.activate();
				const raised = [];
				for (let round = 0; round < 5; round++) {
					raised.push(sim.raiseAlert(), sim.raiseAlert({ detectedTime: Math.floor(sim.jobs.clock.now()) - 30 }));
					await poller.tick();
				}
				expect(poller.emittedJson.map((json) => json.id).sort()).toEqual(raised.map((alert) => alert.id).sort());
			});
		}
	});

	it('a failing poll is reported and keeps the cursor: the next good poll emits what it missed, once', async () => {
		await withTrigger(sim, { parameters: alertsEvent }, async (poller) => {
			await poller.activate();
			const missed = sim.raiseAlert();
			sim.failNext({ method: 'GET', path: '/V4/TriggeredAlerts' }, CommvaultErrors.generic(503, 503, 'Service is restarting.'));
			const failed = await poller.tick();
			expect(failed.items).toBeNull();
			expect(failed.error?.message).toContain('Service is restarting.');
			const after = sim.raiseAlert();
			expect(idsOf((await poller.tick()).items)).toEqual([after.id, missed.id]);
			expect((await poller.tick()).items).toBeNull();
		});
	});

	it('a restart catches up from what n8n saved, also after polls that found nothing (their cursor was not saved)', async () => {
		await withTrigger(sim, { parameters: alertsEvent }, async (poller) => {
			await poller.activate();
			const first = sim.raiseAlert();
			expect(idsOf((await poller.tick()).items)).toEqual([first.id]);
			await poller.tick();
			await poller.tick();
			const whileDown = sim.raiseAlert();
			const restarted = await poller.restart();
			expect(idsOf(restarted.items)).toEqual([whileDown.id]);
			expect((await poller.tick()).items).toBeNull();
			expect(poller.emittedJson.map((json) => json.id)).toEqual([first.id, whileDown.id]);
		});
	});

	it('turned off and on again is a new activation: what happened meanwhile is not emitted', async () => {
		await withTrigger(sim, { parameters: alertsEvent }, async (poller) => {
			await poller.activate();
			await poller.deactivate();
			sim.raiseAlert();
			expect((await poller.activate('activate')).items).toBeNull();
			const next = sim.raiseAlert();
			expect(idsOf((await poller.tick()).items)).toEqual([next.id]);
		});
	});

	it('keeps ids and times only in the static data, never the token', async () => {
		await withTrigger(sim, { parameters: alertsEvent }, async (poller) => {
			await poller.activate();
			sim.raiseAlert();
			await poller.tick();
			const saved = JSON.stringify(poller.saved);
			expect(saved).not.toContain(String(sim.authtoken));
			const cursor = (poller.saved['node:Commvault Trigger'] as Record<string, unknown>).alertTriggered as Record<string, unknown>;
			expect(Object.keys(cursor).sort()).toEqual(['newest', 'polledAtMs', 'seen']);
			expect(Object.values(cursor.seen as object).every((time) => typeof time === 'number')).toBe(true);
		});
	});
});

describe('secrets', () => {
	const token = 'QSDK trigger-canary-3f1e9a7c';
	const canarySim = useSimulator({ authtoken: 'trigger-canary-3f1e9a7c' });

	it('an error or an alert quoting the Authtoken reaches n8n without it', async () => {
		await withTrigger(canarySim, { parameters: alertsEvent, credentials: { authtoken: token } }, async (poller) => {
			canarySim.respondNext({ method: 'GET', path: '/V4/TriggeredAlerts' }, { status: 500, echo: (request) => ({ errorCode: 5, errorMessage: `Token ${request.headers.authtoken} is not allowed here.` }) });
			const failed = await poller.activate();
			expect(failed.error?.message).toContain('is not allowed here.');
			expect(JSON.stringify({ message: failed.error?.message, description: (failed.error as { description?: string }).description, stack: failed.error?.stack })).not.toContain('trigger-canary-3f1e9a7c');

			await poller.activate();
			canarySim.raiseAlert({ info: `Login with ${token} failed` });
			const emitted = await poller.tick();
			expect(emitted.items).toHaveLength(1);
			expect(JSON.stringify(emitted.items)).not.toContain('trigger-canary-3f1e9a7c');
			expect(JSON.stringify(poller.saved)).not.toContain('trigger-canary-3f1e9a7c');
		});
	});
});

describe('Fetch Test Event', () => {
	it('returns the newest matching alert of the last 7 days, and moves no cursor', async () => {
		sim.raiseAlert({ severity: 'MAJOR', detectedTime: Math.floor(sim.jobs.clock.now()) - 3600 });
		const newest = sim.raiseAlert({ severity: 'MAJOR', detectedTime: Math.floor(sim.jobs.clock.now()) - 60 });
		sim.raiseAlert({ severity: 'INFORMATION' });
		const result = await fetchTriggerTestEvent(sim, { parameters: { ...alertsEvent, severities: ['MAJOR'] } });
		expect(result.error).toBeUndefined();
		expect(idsOf(result.items)).toEqual([newest.id]);
	});

	it('says there is none when nothing matches in the last 7 days', async () => {
		sim.raiseAlert({ detectedTime: Math.floor(sim.jobs.clock.now()) - 8 * 24 * 3600 });
		const result = await fetchTriggerTestEvent(sim, { parameters: alertsEvent });
		expect(result.items).toEqual([]);
		expect(result.error?.message).toBe('No alert matching the filters in the last 7 days');
	});
});
