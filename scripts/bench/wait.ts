/**
 * Back Up Now's Wait for Completion (issue 22): 50 items, each starting a backup whose job runs 2
 * minutes of simulated time, in one execution (Options > Concurrency 50, so all 50 wait at once).
 * Simulated time: the node's wait clock (its test hook, jobs/waiting.ts `waitClock`, no node
 * parameter) and the simulator's job clock both run 100× faster, so the polls come as often per
 * job as they would in real time (3, 9, 21, 45, 75, 105, 135 s) in 1/100 of the time. Printed:
 * the requests (a job is asked for at most once per poll interval), the process's CPU time (user
 * + system) and the event loop's busy time against the wall time: waiting costs nothing but the
 * polls.
 */
import { join } from 'path';
import { performance } from 'perf_hooks';
import type { IDataObject } from 'n8n-workflow';

import { TestCredentialsHelper, runWorkflow, type NodeTypeInput } from '../../testing/engine';
import { toCredentialType } from '../../testing/engine/node-types';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN, generateApps } from '../../testing/simulator';
import { REPO_ROOT, builtPackage } from './contenders';

const ITEMS = 50;
const JOB_SECONDS = 120;
/** Real milliseconds per simulated second: 100× faster than real time. */
const MS_PER_SECOND = 10;

/** The wait's clock in the built node (dist/), the module n8n would load. */
function builtWaitClock(): { msPerSecond: number } {
	const { waitClock } = require(join(REPO_ROOT, 'dist', 'nodes', 'Commvault', 'jobs', 'index.js')) as { waitClock?: { msPerSecond: number } };
	if (!waitClock) throw new Error('the built node (dist/) has no jobs/waiting waitClock: run npm run build');
	return waitClock;
}

/** The polls a job running `seconds` gets, by the node's schedule (3 s, then twice as long each time, at most 30 s). */
function expectedPolls(seconds: number): number {
	let at = 0;
	let interval = 0;
	let polls = 0;
	while (at < seconds) {
		interval = interval === 0 ? 3 : Math.min(interval * 2, 30);
		at += interval;
		polls++;
	}
	return polls;
}

export async function waitScenario(Commvault: NodeTypeInput = builtPackage().Commvault): Promise<void> {
	const sim = new CommvaultSimulator({ apps: generateApps(ITEMS, { workload: 'Exchange', prefix: 'Wait' }) });
	await sim.start();
	const clock = builtWaitClock();
	const { CommvaultApi } = builtPackage();
	try {
		clock.msPerSecond = MS_PER_SECOND;
		sim.jobs.clock.speed = 1000 / MS_PER_SECOND;
		sim.jobs.backups = { runSeconds: JOB_SECONDS };
		const apps = sim.apps;
		const store = new TestCredentialsHelper([toCredentialType(CommvaultApi)], {
			commvaultApi: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN },
		});
		const items: Array<{ json: IDataObject }> = apps.map((app) => ({ json: { appId: app.id } }));
		const cpu = process.cpuUsage();
		const loop = performance.eventLoopUtilization();
		const started = performance.now();
		const result = await runWorkflow({
			chain: [
				{
					nodeType: Commvault,
					name: 'Back Up Now',
					parameters: {
						resource: 'exchangeApp',
						operation: 'backup',
						appId: '={{ $json.appId }}',
						options: { waitForCompletion: true, maxWaitMinutes: 10, concurrency: ITEMS },
					},
				},
			],
			items,
			credentials: { commvaultApi: {} },
			credentialsHelper: store,
		});
		const wallMs = performance.now() - started;
		const used = process.cpuUsage(cpu);
		const busy = performance.eventLoopUtilization(loop);
		const out = result.nodes['Back Up Now']?.items ?? [];
		const problem = result.error?.message ?? result.nodes['Back Up Now']?.error?.message;
		if (problem) throw new Error(`Back Up Now did not do the work: ${problem}`);
		if (out.length !== ITEMS || !out.every((item) => item.json.finished === true)) {
			throw new Error(`Back Up Now did not do the work: ${out.filter((item) => item.json.finished === true).length} of ${ITEMS} items finished`);
		}
		const backups = sim.requestsTo('POST', /\/Backup$/).length;
		const polls = sim.requestsTo('GET', /^\/Job\//);
		const perJob = new Map<string, number>();
		for (const poll of polls) perJob.set(poll.path, (perJob.get(poll.path) ?? 0) + 1);
		const most = Math.max(...perJob.values());
		const bound = expectedPolls(JOB_SECONDS);
		const simulatedSeconds = wallMs / MS_PER_SECOND;
		console.log(`\n### Back Up Now, Wait for Completion: ${ITEMS} items, each a ${JOB_SECONDS / 60}-minute job, one execution (simulated time, 100× real)\n`);
		console.log('| measure | value |');
		console.log('|---|---|');
		console.log(`| executions | 1 (${ITEMS} items, concurrency ${ITEMS}) |`);
		console.log(`| backups started | ${backups} |`);
		console.log(`| job requests (GET /Job/{jobId}) | ${polls.length} for ${perJob.size} jobs: at most ${most} a job, the schedule allows ${bound} (3, 9, 21, 45, 75, 105, 135 s) |`);
		console.log(`| simulated wait | ${simulatedSeconds.toFixed(0)} s (wall ${(wallMs / 1000).toFixed(2)} s) |`);
		console.log(`| process CPU (user + system, node and simulator) | ${((used.user + used.system) / 1e6).toFixed(2)} s |`);
		console.log(`| event loop busy / idle | ${(busy.active / 1000).toFixed(2)} s / ${(busy.idle / 1000).toFixed(2)} s |`);
		console.log(`| CPU per job request | ${((used.user + used.system) / 1000 / Math.max(1, polls.length + backups)).toFixed(2)} ms |`);
		console.log('');
		const met = most <= bound && backups === ITEMS;
		console.log(`- target: at most one job request per job per poll interval: **${most} ≤ ${bound}**, ${met ? 'met' : 'not met'}`);
		if (!met) process.exitCode = 1;
	} finally {
		clock.msPerSecond = 1000;
		await sim.stop();
	}
}
