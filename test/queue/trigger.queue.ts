/**
 * Commvault Trigger in real n8n, queue mode: main polls (its cron, every minute), the workers run
 * the executions, PostgreSQL holds the static data. The workflow is the example users import,
 * `examples/backup-failed-message.json` (Commvault Trigger → Shape the ticket), active from n8n's
 * start. Over 3 minutes the simulator finishes backup jobs (failed, killed, with errors, and some
 * that completed, which are not watched); main is stopped and started again in the middle, while
 * jobs go on finishing. Every watched job that finished after the activation comes out in exactly
 * one execution, once; none of those that finished before it; every execution `success`.
 */
import { CommvaultSimulator } from '../../testing/simulator';
import { loadExample, type Workflow } from '../../testing/e2e/commvault-workflows';
import { cleanup, ensureN8n, freePort, importCredentials, importWorkflow, n8nOk, selectedTargets, type N8nInstall, type N8nTargetSpec } from '../../testing/e2e/n8n-cli';
import { QueueCluster, packedPackage, servicesWithDatabase, sleep, type Services } from './cluster';
import { countBy, queueExecutions, type QueueExecution } from './executions';
import { QUEUE_CREDENTIALS, queueCredentials } from './workflows';

const TARGETS = (process.env.N8N_QUEUE_TARGETS ?? 'n8n1').split(',').map((s) => s.trim());
const TRIGGER = 'Commvault Trigger';
const TICKET = 'Shape the ticket';
const CLIENT = 1001;
/** Jobs finish from 15 s to 3 minutes after n8n is up; main is down from 80 s to about 110 s. */
const SPREAD_SECONDS = 180;
const RESTART_AFTER_SECONDS = 80;
const WATCHED = ['Failed', 'Killed', 'Completed w/ one or more errors', 'Failed to Start'];

/** The example as users import it, its credential the tier's Authtoken one, an id of its own per n8n version. */
function triggerWorkflow(id: string): Workflow {
	const workflow = loadExample('backup-failed-message.json');
	return {
		...workflow,
		id,
		nodes: workflow.nodes.map((node) => (node.name === TRIGGER ? { ...node, credentials: { commvaultApi: { ...QUEUE_CREDENTIALS.authtoken } } } : node)),
	};
}

/** The job ids an execution's trigger output held, and its ticket titles. */
function jobsOf(execution: QueueExecution): { jobIds: number[]; titles: string[] } {
	const runData = execution.data.resultData.runData;
	const items = runData[TRIGGER]?.[0]?.data?.main?.[0] ?? [];
	const tickets = runData[TICKET]?.[0]?.data?.main?.[0] ?? [];
	return { jobIds: items.map((item) => Number(item.json.jobId)), titles: tickets.map((item) => String(item.json.title)) };
}

const targets = selectedTargets().filter((t) => TARGETS.includes(t.label) || TARGETS.includes(t.n8n));

describe.each(targets)('Commvault Trigger in queue mode: $label (n8n $n8n), main polling, 2 workers', (spec: N8nTargetSpec) => {
	const sim = new CommvaultSimulator();
	const workflowId = `cvQueueTrigger${spec.label.replace(/\W/g, '')}`.slice(0, 16).padEnd(16, '0');
	const summary: string[] = [];
	let services: Services;
	let install: N8nInstall;
	let cluster: QueueCluster;
	let before: number[] = [];
	const watched: number[] = [];
	const unwatched: number[] = [];
	let executions: QueueExecution[] = [];

	beforeAll(async () => {
		services = await servicesWithDatabase(`n8n_trigger_${spec.label.replace(/\W/g, '_')}`);
		install = await ensureN8n(spec.label);
		const tarball = await packedPackage();
		const baseUrl = await sim.start();
		cluster = new QueueCluster({ install, tarball, services, workers: 2, concurrency: 5, queuePrefix: `bull-trigger-${spec.label}` });
		const admin = await cluster.admin();
		cluster.commands.push(await importCredentials(admin, queueCredentials(baseUrl)));
		cluster.commands.push(await importWorkflow(admin, triggerWorkflow(workflowId)));
		const activate = install.n8nVersion.startsWith('1.') ? ['update:workflow', `--id=${workflowId}`, '--active=true'] : ['publish:workflow', `--id=${workflowId}`];
		cluster.commands.push(await n8nOk(admin, activate, { timeoutMs: 120_000 }));

		// Jobs that failed before n8n started: the activation must not report them.
		const now = Math.floor(sim.jobs.clock.now());
		before = [60, 300, 3600].map((ago) => sim.jobs.add({ clientId: CLIENT, startTime: now - ago - 120, runSeconds: 120, finalStatus: 'Failed' }).jobId);

		const port = await freePort();
		await cluster.start(port);
		const upAt = Math.floor(sim.jobs.clock.now());
		const deadline = Date.now() + (SPREAD_SECONDS + 150) * 1000;
		// Jobs finishing over the next 3 minutes on Commvault's clock, several in the same second.
		for (let n = 0; n < 36; n++) {
			const endsAt = upAt + 15 + Math.floor((n * (SPREAD_SECONDS - 15)) / 36);
			const status = n % 6 === 5 ? 'Completed' : WATCHED[n % WATCHED.length];
			const job = sim.jobs.add({ clientId: CLIENT, clientName: 'Contoso Exchange', startTime: endsAt - 600, runSeconds: 600, finalStatus: status });
			(status === 'Completed' ? unwatched : watched).push(job.jobId);
			if (n % 9 === 0) watched.push(sim.jobs.add({ clientId: CLIENT, startTime: endsAt - 30, runSeconds: 30, finalStatus: 'Failed' }).jobId);
		}

		await sleep(RESTART_AFTER_SECONDS * 1000);
		const stopped = Date.now();
		await cluster.main?.stop();
		await sleep(10_000);
		const main = await cluster.startMain(port);
		await main.waitReady(/Editor is now accessible via/);
		summary.push(`main down for ${((Date.now() - stopped) / 1000).toFixed(0)} s`);

		// The last job ends at 3 minutes; the poll after it comes within a minute (deadline); its execution runs on a worker.
		const done = (): boolean => {
			const emitted = new Set(executions.flatMap((e) => jobsOf(e).jobIds));
			return watched.every((id) => emitted.has(id)) && executions.every((e) => !['new', 'running', 'waiting'].includes(e.status));
		};
		do {
			await sleep(5_000);
			executions = await queueExecutions(services, install, [workflowId]);
		} while (!done() && Date.now() < deadline);
		// one more minute: a poll that would repeat a job has its chance
		await sleep(65_000);
		executions = await queueExecutions(services, install, [workflowId]);
		summary.push(
			`${executions.length} executions ${JSON.stringify(countBy(executions, (e) => e.status))}, jobs per execution ${JSON.stringify(executions.map((e) => jobsOf(e).jobIds.length))}; ` +
				`POST /Jobs ${sim.requestsTo('POST', '/Jobs').length}`,
		);
	}, 20 * 60_000);

	afterAll(async () => {
		await cluster?.stop();
		await sim.stop();
		await cleanup();
		process.stderr.write([`[queue trigger ${spec.label}: n8n ${spec.n8n}]`, ...summary.map((line) => `  ${line}`)].join('\n') + '\n');
	}, 120_000);

	it('emits every watched job that finished after the activation exactly once, across the restart of main', () => {
		const emitted = executions.flatMap((e) => jobsOf(e).jobIds);
		const twice = Object.entries(countBy(emitted, String)).filter(([, count]) => count > 1);
		expect(twice).toEqual([]);
		expect([...emitted].sort((a, b) => a - b)).toEqual([...watched].sort((a, b) => a - b));
	});

	it('reports none of the jobs that finished before the activation, and none that completed', () => {
		const emitted = new Set(executions.flatMap((e) => jobsOf(e).jobIds));
		expect([...before, ...unwatched].filter((id) => emitted.has(id))).toEqual([]);
	});

	it('every execution is a trigger execution that a worker finished "success", each with its tickets', () => {
		expect(executions.length).toBeGreaterThan(1);
		expect(executions.filter((e) => e.status !== 'success' || e.mode !== 'trigger').map((e) => `${e.id} ${e.mode} ${e.status}`)).toEqual([]);
		for (const execution of executions) {
			const { jobIds, titles } = jobsOf(execution);
			expect(titles).toHaveLength(jobIds.length);
			expect(titles.filter((title, index) => !title.endsWith(`(job ${jobIds[index]})`))).toEqual([]);
		}
		const ranOnWorkers = new Set(cluster.processes.filter((p) => p.role !== 'main').flatMap((p) => [...p.executionIds('started')]));
		expect(executions.filter((e) => !ranOnWorkers.has(String(e.id))).map((e) => e.id)).toEqual([]);
	});
});
