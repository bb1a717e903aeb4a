/**
 * Proves that an n8n install can run every n8n command the tiers and scripts use, before any test
 * trusts it: `--version`, `import:credentials`, `import:workflow`, `execute`, `start` (until n8n
 * says the editor is up and /healthz answers) and `worker` (in queue mode against a throwaway
 * Redis, until n8n says the worker is ready). `webhook` is used nowhere, so it is not proved. A
 * command that cannot load exits or never gets ready: this script then prints n8n's own output
 * (its real error) and exits 1, so the install fails instead of a later tier.
 *
 *   tsx scripts/e2e/prove-n8n.ts --node <bin/node> --n8n <.../n8n/bin/n8n> --version <x.y.z> --work <dir>
 *
 * n8n runs with the environment every tier gives it (n8nEnv). Everything it starts listens on
 * 127.0.0.1 only, and everything it starts it stops.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { answers200, freePort, killGroup, n8nEnv, type N8nInstall } from '../../testing/e2e/n8n-cli';

/** One n8n command may take this long to load and get ready on a busy 2-core machine. */
const READY_TIMEOUT_MS = Number(process.env.N8N_PROVE_TIMEOUT_MS ?? 180_000);

interface Proc {
	what: string;
	child: ChildProcess;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	output: () => string;
}

function option(name: string): string {
	const at = process.argv.indexOf(`--${name}`);
	const value = at >= 0 ? process.argv[at + 1] : undefined;
	if (!value) {
		console.error(`prove-n8n: --${name} is required`);
		process.exit(2);
	}
	return value;
}

const install: N8nInstall = {
	label: 'prove',
	n8nVersion: option('version'),
	nodeVersion: '',
	nodeBin: option('node'),
	n8nBin: option('n8n'),
	dir: '',
};
const work = path.resolve(option('work'));
/** Every process started and not yet gone, so that a failure or a signal stops them all. */
const running = new Set<Proc>();

function log(text: string): void {
	console.error(`[prove-n8n] ${text}`);
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Starts a command in a process group of its own (n8n starts task runners), its output kept. */
function launch(what: string, command: string, args: string[], env: NodeJS.ProcessEnv): Proc {
	const child = spawn(command, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let output = '';
	const keep = (chunk: Buffer): void => {
		output = (output + chunk.toString()).slice(-200_000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('close', (code, signal) => resolve({ code, signal })),
	);
	const proc: Proc = { what, child, exited, output: () => output };
	running.add(proc);
	void exited.then(() => running.delete(proc));
	return proc;
}

async function n8n(what: string, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Proc> {
	const env = n8nEnv(install, work, { N8N_RUNNERS_BROKER_PORT: String(await freePort()), N8N_ENCRYPTION_KEY: 'prove-n8n-install', ...extra });
	return launch(what, install.nodeBin, [install.n8nBin, ...args], env);
}

const gone = (proc: Proc): boolean => proc.child.exitCode !== null || proc.child.signalCode !== null;

async function stop(proc: Proc): Promise<void> {
	if (gone(proc)) return;
	killGroup(proc.child.pid, 'SIGTERM');
	const killer = setTimeout(() => killGroup(proc.child.pid, 'SIGKILL'), 15_000);
	await proc.exited;
	clearTimeout(killer);
}

function fail(what: string, proc: Proc | undefined, why: string): never {
	const tail = proc ? proc.output().split('\n').slice(-60).join('\n') : '';
	console.error(`${tail}\n[prove-n8n] FAILED: ${what}: ${why}`);
	throw new Error(`${what}: ${why}`);
}

/** A one-shot command: must exit 0 and print what proves it did its work. */
async function once(what: string, args: string[], proof?: RegExp): Promise<string> {
	const t0 = Date.now();
	const proc = await n8n(what, args);
	const timer = setTimeout(() => void stop(proc), READY_TIMEOUT_MS);
	const { code, signal } = await proc.exited;
	clearTimeout(timer);
	if (code !== 0) fail(what, proc, `exited with ${code ?? signal}`);
	if (proof && !proof.test(proc.output())) fail(what, proc, `its output lacks ${proof}`);
	log(`${what}: ok (${seconds(t0)})`);
	return proc.output();
}

/** A long-running command: must print `readyLine` and answer `healthUrl`; then it is stopped. */
async function untilReady(proc: Proc, readyLine: RegExp, healthUrl: string): Promise<void> {
	const t0 = Date.now();
	try {
		for (;;) {
			if (gone(proc)) fail(proc.what, proc, 'exited before it was ready');
			if (readyLine.test(proc.output()) && (await answers200(healthUrl))) break;
			if (Date.now() - t0 > READY_TIMEOUT_MS) fail(proc.what, proc, `not ready within ${READY_TIMEOUT_MS / 1000} s`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		log(`${proc.what}: ready (${seconds(t0)})`);
	} finally {
		await stop(proc);
	}
}

async function withRedis(use: (port: number) => Promise<void>): Promise<void> {
	const port = await freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work];
	const redis = launch('redis-server', process.env.REDIS_SERVER ?? 'redis-server', args, process.env);
	try {
		const t0 = Date.now();
		while (!/Ready to accept connections/i.test(redis.output())) {
			if (gone(redis)) fail('redis-server', redis, 'exited');
			if (Date.now() - t0 > 20_000) fail('redis-server', redis, 'not ready within 20 s');
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await use(port);
	} finally {
		await stop(redis);
	}
}

function writeJson(name: string, data: unknown): string {
	const file = path.join(work, name);
	fs.writeFileSync(file, JSON.stringify(data));
	return file;
}

const WORKFLOW = {
	id: 'proveWorkflow01',
	name: 'prove',
	active: false,
	settings: {},
	nodes: [
		{ id: 'a1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'a2', name: 'Proved', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
	],
	connections: { Start: { main: [[{ node: 'Proved', type: 'main', index: 0 }]] } },
};

async function main(): Promise<void> {
	const started = Date.now();
	const version = (await once('n8n --version', ['--version'])).trim().split('\n').pop();
	if (version !== install.n8nVersion) fail('n8n --version', undefined, `printed "${version}", expected ${install.n8nVersion}`);

	const credentials = writeJson('credentials.json', [{ id: 'proveCredential1', name: 'prove', type: 'httpHeaderAuth', data: { name: 'X-Prove', value: 'prove' } }]);
	await once('n8n import:credentials', ['import:credentials', `--input=${credentials}`], /Successfully imported 1 credential/);
	await once('n8n import:workflow', ['import:workflow', `--input=${writeJson('workflows.json', [WORKFLOW])}`], /Successfully imported 1 workflow/);
	await once('n8n execute', ['execute', `--id=${WORKFLOW.id}`, '--rawOutput'], /Proved/);

	const mainPort = await freePort();
	const main = await n8n('n8n start', ['start'], { N8N_PORT: String(mainPort), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: '127.0.0.1' });
	await untilReady(main, /Editor is now accessible via/, `http://127.0.0.1:${mainPort}/healthz`);

	await withRedis(async (redisPort) => {
		const healthPort = await freePort();
		const worker = await n8n('n8n worker', ['worker', '--concurrency=1'], {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		});
		await untilReady(worker, /n8n worker is now ready/, `http://127.0.0.1:${healthPort}/healthz`);
	});
	log(`every command loads: n8n ${install.n8nVersion} proved in ${seconds(started)}`);
}

async function stopAll(): Promise<void> {
	await Promise.all([...running].map(stop));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
main().then(
	async () => {
		await stopAll();
		fs.rmSync(work, { recursive: true, force: true });
	},
	async () => {
		await stopAll();
		process.exitCode = 1;
	},
);
