/**
 * `npm run bench [-- --quick] [-- --reps N]`: this package's node against n8n's own HTTP Request
 * node and raw axios loops, all in n8n-core's WorkflowExecute in this one process, against the
 * Commvault simulator on 127.0.0.1 with a set latency. Repetitions are interleaved (one run of
 * each contender, then the next round), so a slow moment of the machine hits all of them.
 * Prints medians and minima of the node time n8n records (runData executionTime), how long the
 * event loop was busy and idle in each run (what tells CPU cost from waiting), the ratios, and a
 * memory scenario. A script, not a test: it asserts nothing about time.
 */
import { spawn } from 'child_process';
import { join } from 'path';
import { performance } from 'perf_hooks';

import { TestCredentialsHelper, runWorkflow, type NodeSpec } from '../../test/engine';
import { toCredentialType } from '../../test/engine/node-types';
import { ensureN8n } from '../../test/e2e/n8n-cli';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN } from '../../test/simulator';
import { certificateOfSize, sizeOf } from './certificates';
import {
	HEADER_AUTH,
	builtPackage,
	commvaultCreate,
	httpRequestCreate,
	httpRequestNode,
	rawAxiosCreate,
	tenantItems,
} from './contenders';
import { memoryAppName, type MemoryJob, type MemoryResult } from './memory';

interface Options {
	quick: boolean;
	reps: number;
	only?: 'time' | 'memory';
}

function parseArgs(argv: string[]): Options {
	const options: Options = { quick: false, reps: 5 };
	let reps: number | undefined;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--quick') options.quick = true;
		else if (arg === '--reps') reps = Number(argv[++i]);
		else if (arg.startsWith('--reps=')) reps = Number(arg.slice('--reps='.length));
		else if (arg === '--only') options.only = argv[++i] as Options['only'];
		else if (arg.startsWith('--only=')) options.only = arg.slice('--only='.length) as Options['only'];
		else throw new Error(`unknown argument ${arg}; usage: npm run bench -- [--quick] [--reps N] [--only time|memory]`);
	}
	if (options.only !== undefined && !['time', 'memory'].includes(options.only)) throw new Error('--only takes time or memory');
	options.reps = reps ?? (options.quick ? 1 : 5);
	if (!Number.isInteger(options.reps) || options.reps < 1) throw new Error('--reps needs a whole number from 1');
	return options;
}

interface Contender {
	label: string;
	spec: NodeSpec;
	/** The package prefix of its type name; n8n gives only `n8n-nodes-base.httpRequest` access to any credential. */
	packageName?: string;
	/**
	 * Items per execution: the items go through in executions of this many, one after the other,
	 * as n8n's Loop Over Items runs a node, and the times add up. The HTTP Request node has no cap
	 * on what it sends at once; this is how a workflow caps it.
	 */
	itemsPerExecution?: number;
}

/** One measured run: the node time n8n records, and how the event loop spent the run. */
interface Timing {
	ms: number;
	busyMs: number;
	idleMs: number;
}

interface Scenario {
	title: string;
	items: number;
	latencyMs: number;
	contenders: Contender[];
	/** Whose time is divided by every contender's, one column each. */
	subjects: Contender[];
	/** The issue's targets, printed under the table: [numerator, denominator, at most]. */
	targets: Array<[Contender, Contender, number]>;
}

const median = (values: number[]): number => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** One run of one contender, after checking that every item really was created. */
async function runOnce(sim: CommvaultSimulator, scenario: Scenario, contender: Contender, tag: string): Promise<Timing> {
	sim.reset();
	const items = tenantItems(scenario.items, tag);
	const size = contender.itemsPerExecution ?? items.length;
	const timing: Timing = { ms: 0, busyMs: 0, idleMs: 0 };
	for (let first = 0; first < items.length; first += size) {
		const { executionTime, loop } = await executeOnce(contender, items.slice(first, first + size), sim, scenario.title);
		timing.ms += executionTime;
		timing.busyMs += loop.active;
		timing.idleMs += loop.idle;
	}
	const created = sim.requestsTo('POST', '/v4/Dynamics365');
	if (created.length !== scenario.items || created.some((r) => r.status !== 200 || !r.valid)) {
		const refused = created.filter((r) => r.status !== 200 || !r.valid).length;
		throw new Error(`${contender.label} in "${scenario.title}" did not do the work: Commvault got ${created.length} creates, ${refused} refused`);
	}
	return timing;
}

/** One workflow execution; the event loop's use is measured around the whole of it (n8n's own set-up included). */
async function executeOnce(
	contender: Contender,
	items: ReturnType<typeof tenantItems>,
	sim: CommvaultSimulator,
	title: string,
): Promise<{ executionTime: number; loop: { active: number; idle: number } }> {
	const before = performance.eventLoopUtilization();
	const result = await runWorkflow({
		chain: [contender.spec],
		packageName: contender.packageName,
		items,
		// the node's credential reference; the data is the store's
		credentials: { commvaultApi: {}, httpHeaderAuth: {} },
		credentialsHelper: credentialStore(sim),
	});
	const loop = performance.eventLoopUtilization(before);
	const name = result.nodeNames[0];
	const node = result.nodes[name];
	const problem =
		result.error?.message ??
		node?.error?.message ??
		(node?.items.length !== items.length ? `${node?.items.length ?? 0} items out of ${items.length}` : undefined);
	if (problem) throw new Error(`${contender.label} in "${title}" did not do the work: ${problem}`);
	const executionTime = result.runData[name]?.[0]?.executionTime;
	if (executionTime === undefined) throw new Error(`${contender.label}: n8n recorded no execution time`);
	return { executionTime, loop };
}

let http: ReturnType<typeof httpRequestNode> | undefined;

let store: TestCredentialsHelper | undefined;

/**
 * The credentials as n8n's database keeps them between executions: the Authtoken check this
 * node makes on a credential's first use is stored with it (as n8n stores it), so it happens
 * once, in the warm-up round, and not in every measured run.
 */
function credentialStore(sim: CommvaultSimulator): TestCredentialsHelper {
	const { CommvaultApi } = builtPackage();
	store ??= new TestCredentialsHelper([CommvaultApi, ...(http ? [http.HttpHeaderAuth] : [])].map(toCredentialType), {
		commvaultApi: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN },
		httpHeaderAuth: HEADER_AUTH,
	});
	return store;
}

async function timeScenario(sim: CommvaultSimulator, scenario: Scenario, reps: number): Promise<void> {
	sim.latencyMs = scenario.latencyMs;
	const runs = new Map<string, Timing[]>(scenario.contenders.map((c) => [c.label, []]));
	// one unmeasured round: module loading and JIT warm-up would otherwise land on the first contender
	for (const contender of scenario.contenders) await runOnce(sim, { ...scenario, items: Math.min(scenario.items, 5) }, contender, 'warm-up');
	for (let rep = 0; rep < reps; rep++) {
		for (const contender of scenario.contenders) {
			runs.get(contender.label)?.push(await runOnce(sim, scenario, contender, `r${rep}`));
		}
	}
	const medianOf = (label: string, field: keyof Timing): number => median((runs.get(label) ?? []).map((run) => run[field]));
	console.log(`\n### ${scenario.title} (${reps} interleaved repetition${reps === 1 ? '' : 's'})\n`);
	const subjects = scenario.subjects.map((s) => s.label);
	console.log(`| contender | median | min | event loop busy / idle (medians) | ${subjects.map((s) => `${s} ÷ it (medians)`).join(' | ')} |`);
	console.log(`|---|---|---|---|${subjects.map(() => '---|').join('')}`);
	for (const [label, values] of runs) {
		const ratios = subjects.map((s) => (s === label ? '' : `${(medianOf(s, 'ms') / medianOf(label, 'ms')).toFixed(2)}×`));
		const loop = `${seconds(medianOf(label, 'busyMs'))} / ${seconds(medianOf(label, 'idleMs'))}`;
		console.log(`| ${label} | ${seconds(medianOf(label, 'ms'))} | ${seconds(Math.min(...values.map((run) => run.ms)))} | ${loop} | ${ratios.join(' | ')} |`);
	}
	console.log('');
	for (const [a, b, target] of scenario.targets) {
		const value = medianOf(a.label, 'ms') / medianOf(b.label, 'ms');
		console.log(`- target: ${a.label} ÷ ${b.label} ≤ ${target.toFixed(1)}×: **${value.toFixed(2)}×**, ${value <= target ? 'met' : 'not met'}`);
	}
}

function runMemoryJob(job: MemoryJob): Promise<MemoryResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'memory.ts'), JSON.stringify(job)], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => {
			const line = stdout.trim().split('\n').pop();
			if (code !== 0 || !line) reject(new Error(`memory job ${JSON.stringify(job)} failed (exit ${code}):\n${stderr}`));
			else resolve(JSON.parse(line) as MemoryResult);
		});
	});
}

async function memoryScenario(sim: CommvaultSimulator, sizes: number[]): Promise<void> {
	sim.latencyMs = 0;
	console.log('\n### Memory: one Create with a certificate (peak RSS above what the process held before)\n');
	console.log('| certificate | contender | peak rise | × certificate size |');
	console.log('|---|---|---|---|');
	const shares: number[] = [];
	const warmUpCertificate = certificateOfSize(10_000);
	for (const size of sizes) {
		const certificate = certificateOfSize(size);
		const bytes = sizeOf(certificate);
		const jobs: Array<[string, MemoryJob]> = [
			['this node, binary data in memory (default)', { contender: 'node', binaryMode: 'default', certificate, warmUpCertificate, baseUrl: sim.baseUrl }],
			['this node, binary data on disk (filesystem)', { contender: 'node', binaryMode: 'filesystem', certificate, warmUpCertificate, baseUrl: sim.baseUrl }],
			['raw: readFile + base64 + JSON + axios.post', { contender: 'raw', binaryMode: 'default', certificate, warmUpCertificate, baseUrl: sim.baseUrl }],
		];
		// Peak RSS is per process, so small cases measure side by side (each job's app has its own
		// name); large ones one after the other, as the simulator (one event loop, opening each
		// certificate with OpenSSL) would keep three 27 MB uploads waiting until their sockets break.
		sim.reset();
		const results: MemoryResult[] = [];
		if (size <= 2_000_000) results.push(...(await Promise.all(jobs.map(async ([, job]) => await runMemoryJob(job)))));
		else for (const [, job] of jobs) results.push(await runMemoryJob(job));
		for (const [index, [label, job]] of jobs.entries()) {
			const { baselineBytes, peakBytes } = results[index];
			const rise = Math.max(0, peakBytes - baselineBytes);
			if (job.contender === 'node' && size === Math.max(...sizes)) shares.push(rise / bytes);
			const app = sim.app(memoryAppName(job));
			if (!app?.decoded.certificate || app.decoded.certificate.length !== bytes) {
				throw new Error(`${label}: Commvault holds no app ${memoryAppName(job)} with the ${bytes}-byte certificate`);
			}
			console.log(`| ${(bytes / 1e6).toFixed(1)} MB | ${label} | ${(rise / 1e6).toFixed(1)} MB | ${(rise / bytes).toFixed(1)}× |`);
		}
	}
	const worst = Math.max(...shares);
	console.log(`\n- target: this node's share ≤ 4.0× the certificate; at ${(Math.max(...sizes) / 1e6).toFixed(0)} MB, worse binary mode: **${worst.toFixed(1)}×**, ${worst <= 4 ? 'met' : 'not met'}`);
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const install = await ensureN8n('n8n1');
	http = httpRequestNode(install.dir);
	const { Commvault } = builtPackage();
	console.log(
		`## npm run bench${options.quick ? ' -- --quick' : ''}: n8n-core's WorkflowExecute, Node ${process.version}, ` +
			`HTTP Request node ${http.version} from n8n ${install.n8nVersion}, simulator on 127.0.0.1`,
	);
	const sim = new CommvaultSimulator({ maxBodyBytes: 64 * 1024 * 1024 });
	await sim.start();
	try {
		if (options.only !== 'memory') {
			const baseUrl = sim.baseUrl;
			const httpNode: Contender = { label: `HTTP Request node ${http.version}`, spec: httpRequestCreate(http.HttpRequest, http.version, baseUrl),
				packageName: 'n8n-nodes-base',
			};
			const httpIn50s: Contender = { ...httpNode, label: `HTTP Request node ${http.version}, 50 items per execution`, itemsPerExecution: 50 };
			const rawSequential: Contender = { label: 'raw axios, sequential', spec: rawAxiosCreate(baseUrl, 1) };
			const raw10: Contender = { label: 'raw axios, 10 in flight', spec: rawAxiosCreate(baseUrl, 10) };
			const latencyItems = options.quick ? 20 : 200;
			const node10: Contender = { label: 'this node, concurrency 10', spec: commvaultCreate(Commvault, 10) };
			const node50: Contender = { label: 'this node, concurrency 50', spec: commvaultCreate(Commvault, 50) };
			await timeScenario(
				sim,
				{
					title: `${latencyItems} items, 50 ms latency`,
					items: latencyItems,
					latencyMs: 50,
					contenders: [node10, node50, httpNode, httpIn50s, rawSequential, raw10],
					subjects: [node10, node50],
					targets: [
						[node10, raw10, 1.2],
						[node50, httpNode, 1.0],
					],
				},
				options.reps,
			);
			const fastItems = options.quick ? 100 : 1000;
			const node: Contender = { label: 'this node (default options)', spec: commvaultCreate(Commvault) };
			await timeScenario(
				sim,
				{
					title: `${fastItems.toLocaleString('en')} items, no latency`,
					items: fastItems,
					latencyMs: 0,
					contenders: [node, httpNode, rawSequential, raw10],
					subjects: [node],
					targets: [[node, httpNode, 1.0]],
				},
				options.reps,
			);
		}
		if (options.only !== 'time') await memoryScenario(sim, options.quick ? [1_000_000] : [1_000_000, 20_000_000]);
	} finally {
		await sim.stop();
	}
	console.log(`\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.stack ?? error.message : error);
	process.exit(1);
});
