/**
 * `npm run bench [-- --quick] [-- --reps N]`: this package's node against n8n's own HTTP Request
 * node and raw axios loops, all in n8n-core's WorkflowExecute in this one process, against the
 * Commvault simulator on 127.0.0.1 with a set latency. Repetitions are interleaved (one run of
 * each contender, then the next round), so a slow moment of the machine hits all of them.
 * Prints medians and minima of the node time n8n records (runData executionTime), how long the
 * event loop was busy and idle in each run (what tells CPU cost from waiting), the ratios, and
 * memory scenarios. A script, not a test: it asserts nothing about time, but every run must have
 * done its work (every app created, or every app listed once) or the bench stops.
 */
import { spawn } from 'child_process';
import { join } from 'path';
import { performance } from 'perf_hooks';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { TestCredentialsHelper, runWorkflow, type NodeSpec, type NodeTypeInput } from '../../testing/engine';
import { toCredentialType } from '../../testing/engine/node-types';
import { ensureN8n } from '../../testing/e2e/n8n-cli';
import { builtNodeDescription, offersOperation, type Offer } from '../../testing/e2e/node-offers';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN, generateApps } from '../../testing/simulator';
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
import {
	PAGE_SIZE,
	commvaultGetMany,
	httpRequestGetMany,
	listShortfall,
	rawAxiosGetMany,
	splitOutClients,
	splitOutNode,
} from './list-contenders';
import { waitScenario } from './wait';
import { memoryAppName, type CertificateJob, type ListJob, type MemoryJob, type MemoryResult } from './memory';

interface Options {
	quick: boolean;
	reps: number;
	/** time: the time scenarios; memory: the memory scenarios; getMany: Get Many's time and memory only; wait: Back Up Now's wait only. */
	only?: 'time' | 'memory' | 'getMany' | 'wait';
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
		else throw new Error(`unknown argument ${arg}; usage: npm run bench -- [--quick] [--reps N] [--only time|memory|getMany|wait]`);
	}
	if (options.only !== undefined && !['time', 'memory', 'getMany', 'wait'].includes(options.only)) throw new Error('--only takes time, memory, getMany or wait');
	options.reps = reps ?? (options.quick ? 1 : 5);
	if (!Number.isInteger(options.reps) || options.reps < 1) throw new Error('--reps needs a whole number from 1');
	return options;
}

interface Contender {
	label: string;
	/** The nodes of its workflow after the input; the time is theirs together. */
	chain: NodeSpec[];
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

/** What every run of a scenario is given and must have done. */
interface Work {
	sim: CommvaultSimulator;
	/** The input items of one run; the warm-up round's may be fewer. */
	input(tag: string, warmUp: boolean): Array<{ json: IDataObject }>;
	/** Why a run did not do all of its work (undefined when it did); `outputs` are its last node's items. */
	shortfall(outputs: INodeExecutionData[], input: number): string | undefined;
}

interface Scenario {
	title: string;
	work: Work;
	latencyMs: number;
	contenders: Contender[];
	/** Whose time is divided by every contender's, one column each. */
	subjects: Contender[];
	/** The issue's targets, printed under the table: [numerator, denominator, at most]. */
	targets: Array<[Contender, Contender, number]>;
	/** Contenders left out, and why (printed, with the targets they would have had). */
	skipped?: Array<{ label: string; why: string; targets: string[] }>;
}

const median = (values: number[]): number => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Creating one Dynamics 365 app per item: every item's Create must reach Commvault and succeed. */
function createWork(sim: CommvaultSimulator, items: number): Work {
	return {
		sim,
		input(tag, warmUp) {
			sim.reset();
			return tenantItems(warmUp ? Math.min(items, 5) : items, tag);
		},
		shortfall(outputs, input) {
			const created = sim.requestsTo('POST', '/v4/Dynamics365');
			const refused = created.filter((r) => r.status !== 200 || !r.valid).length;
			if (outputs.length !== input) return `${outputs.length} items out of ${input}`;
			return created.length !== input || refused > 0 ? `Commvault got ${created.length} creates, ${refused} refused` : undefined;
		},
	};
}

/** Listing every Exchange app of a simulator seeded with `apps` of them: each must come out once. */
function listWork(sim: CommvaultSimulator, apps: number): Work {
	return {
		sim,
		input() {
			sim.clearRequests();
			return [{ json: {} }];
		},
		shortfall: (outputs) => listShortfall(sim, outputs, apps),
	};
}

/** One run of one contender, after checking that it did all of its work. */
async function runOnce(scenario: Scenario, contender: Contender, tag: string, warmUp = false): Promise<Timing> {
	const items = scenario.work.input(tag, warmUp);
	const size = contender.itemsPerExecution ?? items.length;
	const timing: Timing = { ms: 0, busyMs: 0, idleMs: 0 };
	const outputs: INodeExecutionData[] = [];
	for (let first = 0; first < items.length; first += size) {
		const run = await executeOnce(contender, items.slice(first, first + size), scenario.work.sim, scenario.title);
		timing.ms += run.executionTime;
		timing.busyMs += run.loop.active;
		timing.idleMs += run.loop.idle;
		outputs.push(...run.outputs);
	}
	const shortfall = scenario.work.shortfall(outputs, items.length);
	if (shortfall) throw new Error(`${contender.label} in "${scenario.title}" did not do the work: ${shortfall}`);
	return timing;
}

/** One workflow execution; the event loop's use is measured around the whole of it (n8n's own set-up included). */
async function executeOnce(
	contender: Contender,
	items: Array<{ json: IDataObject }>,
	sim: CommvaultSimulator,
	title: string,
): Promise<{ executionTime: number; loop: { active: number; idle: number }; outputs: INodeExecutionData[] }> {
	const before = performance.eventLoopUtilization();
	const result = await runWorkflow({
		chain: contender.chain,
		packageName: contender.packageName,
		items,
		// the node's credential reference; the data is the store's
		credentials: { commvaultApi: {}, httpHeaderAuth: {} },
		credentialsHelper: credentialStore(sim),
	});
	const loop = performance.eventLoopUtilization(before);
	const nodes = result.nodeNames.map((name) => result.nodes[name]);
	const problem = result.error?.message ?? nodes.find((node) => node?.error)?.error?.message;
	if (problem) throw new Error(`${contender.label} in "${title}" did not do the work: ${problem}`);
	const times = result.nodeNames.map((name) => result.runData[name]?.[0]?.executionTime);
	if (times.some((t) => t === undefined)) throw new Error(`${contender.label}: n8n recorded no execution time`);
	const last = nodes[nodes.length - 1];
	return { executionTime: times.reduce((sum: number, t) => sum + (t ?? 0), 0), loop, outputs: last?.items ?? [] };
}

type HttpNode = ReturnType<typeof httpRequestNode>;

let http: HttpNode | undefined;

const stores = new Map<string, TestCredentialsHelper>();

/**
 * The credentials as n8n's database keeps them between executions: the Authtoken check this
 * node makes on a credential's first use is stored with it (as n8n stores it), so it happens
 * once, in the warm-up round, and not in every measured run. One store per simulator.
 */
function credentialStore(sim: CommvaultSimulator): TestCredentialsHelper {
	const { CommvaultApi } = builtPackage();
	let store = stores.get(sim.baseUrl);
	if (!store) {
		store = new TestCredentialsHelper([CommvaultApi, ...(http ? [http.HttpHeaderAuth] : [])].map(toCredentialType), {
			commvaultApi: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN },
			httpHeaderAuth: HEADER_AUTH,
		});
		stores.set(sim.baseUrl, store);
	}
	return store;
}

async function timeScenario(scenario: Scenario, reps: number): Promise<void> {
	const { sim } = scenario.work;
	const runs = new Map<string, Timing[]>(scenario.contenders.map((c) => [c.label, []]));
	// one unmeasured round, without latency: module loading and JIT warm-up would otherwise land on the first contender
	sim.latencyMs = 0;
	for (const contender of scenario.contenders) await runOnce(scenario, contender, 'warm-up', true);
	sim.latencyMs = scenario.latencyMs;
	for (let rep = 0; rep < reps; rep++) {
		for (const contender of scenario.contenders) {
			runs.get(contender.label)?.push(await runOnce(scenario, contender, `r${rep}`));
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
	for (const { label, why, targets } of scenario.skipped ?? []) {
		console.log(`- skipped: ${label}: ${why}`);
		for (const target of targets) console.log(`- target: ${target}: not measured (${label} skipped)`);
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
		const common = { kind: 'certificate', certificate, warmUpCertificate, baseUrl: sim.baseUrl } as const;
		const jobs: Array<[string, CertificateJob]> = [
			['this node, binary data in memory (default)', { ...common, contender: 'node', binaryMode: 'default' }],
			['this node, binary data on disk (filesystem)', { ...common, contender: 'node', binaryMode: 'filesystem' }],
			['raw: readFile + base64 + JSON + axios.post', { ...common, contender: 'raw', binaryMode: 'default' }],
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

/** Processes per case of the Get Many memory scenario: one peak varies by ±1.5 MB with when V8 collects. */
const LIST_MEMORY_RUNS = 5;

/**
 * Peak memory of one listing of every app, per process, against the size of the JSON each
 * contender outputs; the median of LIST_MEMORY_RUNS processes per case. n8n's floor is what the
 * engine adds for that many output items (a node that outputs the same apps, held before the peak
 * was reset); this node's own share is its rise above that floor.
 */
async function listMemoryScenario(sim: CommvaultSimulator, apps: number, offer: Offer, n8nInstallDir: string): Promise<void> {
	sim.latencyMs = 0;
	console.log(`\n### Memory: Get Many of ${apps.toLocaleString('en')} apps (peak RSS above what the process held before; median of ${LIST_MEMORY_RUNS} processes)\n`);
	const common = { kind: 'list', baseUrl: sim.baseUrl, n8nInstallDir } as const;
	const node = 'this node, Get Many, Return All';
	const floor = `n8n's floor: a node that outputs the same ${apps.toLocaleString('en')} apps, already in memory, one item each`;
	const jobs: Array<[string, ListJob]> = [
		[floor, { ...common, contender: 'floor' }],
		...(offer.offered ? [[node, { ...common, contender: 'node' }] as [string, ListJob]] : []),
		['HTTP Request node, pagination (one item per page)', { ...common, contender: 'httpRequest' }],
		['raw: axios, page after page, into one array', { ...common, contender: 'raw' }],
	];
	const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
	console.log('| contender | output JSON | peak rise (min–max) | × output JSON | rise above n8n\'s floor | above the floor × output JSON |');
	console.log('|---|---|---|---|---|---|');
	let floorBytes = 0;
	let share: { raw: number; own: number } | undefined;
	// one after the other: each holds the whole list at its peak
	for (const [label, job] of jobs) {
		const rises: number[] = [];
		let outputJsonBytes = 0;
		for (let run = 0; run < LIST_MEMORY_RUNS; run++) {
			const result = await runMemoryJob(job);
			if (result.apps !== apps) throw new Error(`${label} did not do the work: ${result.apps ?? 0} apps out of ${apps}`);
			rises.push(Math.max(0, result.peakBytes - result.baselineBytes));
			outputJsonBytes = result.outputJsonBytes ?? 0;
		}
		const rise = median(rises);
		const range = `${mb(rise)} (${(Math.min(...rises) / 1e6).toFixed(1)}–${(Math.max(...rises) / 1e6).toFixed(1)})`;
		let above = ['', ''];
		if (job.contender === 'floor') floorBytes = rise;
		// n8n's floor is for one item per app: the node's; the HTTP Request node outputs 100 items, raw none.
		if (job.contender === 'node') {
			const own = Math.max(0, rise - floorBytes);
			share = { raw: rise / outputJsonBytes, own: own / outputJsonBytes };
			above = [mb(own), `${share.own.toFixed(1)}×`];
		}
		console.log(`| ${label} | ${mb(outputJsonBytes)} | ${range} | ${(rise / outputJsonBytes).toFixed(1)}× | ${above.join(' | ')} |`);
	}
	const target = "target: this node's own share of peak memory (its rise above n8n's floor) ≤ 2.0× the JSON it outputs";
	console.log(
		share === undefined
			? `\n- skipped: ${node}: ${offer.says}\n- ${target}: not measured (${node} skipped)`
			: `\n- ${target}: **${share.own.toFixed(1)}×**, ${share.own <= 2 ? 'met' : 'not met'} (the whole rise: ${share.raw.toFixed(1)}×)`,
	);
}

async function createScenarios(sim: CommvaultSimulator, Commvault: NodeTypeInput, http: HttpNode, options: Options): Promise<void> {
	const baseUrl = sim.baseUrl;
	const httpNode: Contender = { label: `HTTP Request node ${http.version}`, chain: [httpRequestCreate(http.HttpRequest, http.version, baseUrl)],
		packageName: 'n8n-nodes-base',
	};
	const httpIn50s: Contender = { ...httpNode, label: `HTTP Request node ${http.version}, 50 items per execution`, itemsPerExecution: 50 };
	const rawSequential: Contender = { label: 'raw axios, sequential', chain: [rawAxiosCreate(baseUrl, 1)] };
	const raw10: Contender = { label: 'raw axios, 10 in flight', chain: [rawAxiosCreate(baseUrl, 10)] };
	const latencyItems = options.quick ? 20 : 200;
	const node10: Contender = { label: 'this node, concurrency 10', chain: [commvaultCreate(Commvault, 10)] };
	const node50: Contender = { label: 'this node, concurrency 50', chain: [commvaultCreate(Commvault, 50)] };
	await timeScenario(
		{
			title: `${latencyItems} items, 50 ms latency`,
			work: createWork(sim, latencyItems),
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
	const node: Contender = { label: 'this node (default options)', chain: [commvaultCreate(Commvault)] };
	await timeScenario(
		{
			title: `${fastItems.toLocaleString('en')} items, no latency`,
			work: createWork(sim, fastItems),
			latencyMs: 0,
			contenders: [node, httpNode, rawSequential, raw10],
			subjects: [node],
			targets: [[node, httpNode, 1.0]],
		},
		options.reps,
	);
}

/**
 * Get Many: a Commvault with `apps` Exchange apps (a simulator of its own, seeded once), pages of
 * 100, 50 ms latency; then the memory of one listing per process. This node's contender runs only
 * when the built node offers Get Many (node-contract.md); else the bench says so and goes on.
 */
/** Apps listed by the Get Many memory scenario, --quick or not. */
const MEMORY_APPS = 10_000;

async function getManyScenarios(Commvault: NodeTypeInput, http: HttpNode, n8nInstallDir: string, options: Options): Promise<void> {
	const apps = options.quick ? 1_000 : 10_000;
	const sim = new CommvaultSimulator({ apps: generateApps(apps, { workload: 'Exchange', prefix: 'Bench' }) });
	const baseUrl = await sim.start();
	const offer = offersOperation(builtNodeDescription(), 'exchangeApp', 'getMany');
	try {
		const node: Contender = { label: 'this node, Get Many, Return All', chain: [commvaultGetMany(Commvault)] };
		const httpNode: Contender = { label: `HTTP Request node ${http.version}, pagination`, chain: [httpRequestGetMany(http.HttpRequest, http.version, baseUrl)],
			packageName: 'n8n-nodes-base',
		};
		const httpSplit: Contender = { ...httpNode, label: `HTTP Request node ${http.version}, pagination, then Split Out`,
			chain: [...httpNode.chain, splitOutClients(splitOutNode(n8nInstallDir))],
		};
		const rawSequential: Contender = { label: 'raw axios, page after page', chain: [rawAxiosGetMany(baseUrl, 1)] };
		const raw10: Contender = { label: 'raw axios, 10 pages in flight', chain: [rawAxiosGetMany(baseUrl, 10)] };
		const others = [httpNode, httpSplit, rawSequential, raw10];
		const target = `${node.label} ÷ ${httpNode.label} ≤ 0.3×`;
		if (options.only !== 'memory') {
			await timeScenario(
				{
					title: `Get Many: ${apps.toLocaleString('en')} Exchange apps, pages of ${PAGE_SIZE}, 50 ms latency`,
					work: listWork(sim, apps),
					latencyMs: 50,
					...(offer.offered
						? { contenders: [node, ...others], subjects: [node, httpNode], targets: [[node, httpNode, 0.3]] }
						: { contenders: others, subjects: [httpNode], targets: [], skipped: [{ label: node.label, why: offer.says, targets: [target] }] }),
				},
				options.reps,
			);
		}
		if (options.only !== 'time') {
			// --quick lists fewer apps against the clock, but memory needs the full list to rise above the noise (without latency it is quick)
			if (apps < MEMORY_APPS) sim.addApps(generateApps(MEMORY_APPS - apps, { workload: 'Exchange', prefix: 'More' }));
			await listMemoryScenario(sim, MEMORY_APPS, offer, n8nInstallDir);
		}
	} finally {
		await sim.stop();
	}
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
	if (options.only === 'wait') {
		await waitScenario(Commvault);
		return;
	}
	const sim = new CommvaultSimulator({ maxBodyBytes: 64 * 1024 * 1024 });
	await sim.start();
	try {
		if (options.only === undefined || options.only === 'time') await createScenarios(sim, Commvault, http, options);
		if (options.only === undefined || options.only === 'memory') await memoryScenario(sim, options.quick ? [1_000_000] : [1_000_000, 20_000_000]);
	} finally {
		await sim.stop();
	}
	if (options.only === undefined || options.only === 'time') await waitScenario(Commvault);
	await getManyScenarios(Commvault, http, install.dir, options);
	console.log(`\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.stack ?? error.message : error);
	process.exit(1);
});
