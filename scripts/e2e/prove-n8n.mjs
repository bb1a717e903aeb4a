#!/usr/bin/env node
// Proves that an n8n install can run every n8n command the tiers and scripts use, before any
// test trusts it: `--version`, `import:credentials`, `import:workflow`, `execute`, `start` (until
// n8n says the editor is up and /healthz answers) and `worker` (in queue mode against a throwaway
// Redis, until n8n says the worker is ready). `webhook` is not used anywhere, so it is not proved.
// A command that cannot load exits or never gets ready: this script then prints n8n's own output
// (its real error) and exits 1, so the install fails instead of a later tier.
//
//   node scripts/e2e/prove-n8n.mjs --node <bin/node> --n8n <.../n8n/bin/n8n> --version <x.y.z> --work <dir>
//
// Everything it starts listens on 127.0.0.1 only, and everything it starts it stops.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const args = Object.fromEntries(
	process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
for (const need of ['node', 'n8n', 'version', 'work']) {
	if (!args[need]) {
		console.error(`prove-n8n: --${need} is required`);
		process.exit(2);
	}
}
/** One n8n command may take this long to load and get ready on a busy 2-core machine. */
const READY_TIMEOUT_MS = Number(process.env.N8N_PROVE_TIMEOUT_MS ?? 180_000);
const started = Date.now();
const work = path.resolve(args.work);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
/** Every process started and not yet gone, so that a failure or a signal stops them all. */
const running = new Set();

function log(text) {
	console.error(`[prove-n8n] ${text}`);
}

async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function n8nEnv(extra) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!/^(N8N_|DB_|EXECUTIONS_|QUEUE_|NODE_OPTIONS$|NODE_PATH$|NODE_ENV$)/.test(key)) env[key] = value;
	}
	return {
		...env,
		PATH: `${path.dirname(args.node)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: work,
		N8N_ENCRYPTION_KEY: 'prove-n8n-install',
		DB_TYPE: 'sqlite',
		// as every tier runs n8n (test/e2e/n8n-cli.ts n8nEnv): 1.x's isolated-vm 6 needs Node 22
		N8N_EXPRESSION_ENGINE: process.env.N8N_E2E_EXPRESSION_ENGINE || 'legacy',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		GENERIC_TIMEZONE: 'UTC',
		NO_COLOR: '1',
		NO_PROXY: '127.0.0.1,localhost,::1',
		no_proxy: '127.0.0.1,localhost,::1',
		...extra,
	};
}

/**
 * Starts a command in a process group of its own (n8n starts task runners), its output kept.
 * `readyWhen`, if given, is awaited: a line n8n prints and a URL that answers 200.
 */
function launch(label, command, commandArgs, env) {
	const child = spawn(command, commandArgs, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let output = '';
	const keep = (chunk) => {
		output = (output + chunk.toString()).slice(-200_000);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
	const proc = { label, child, exited, output: () => output };
	running.add(proc);
	exited.then(() => running.delete(proc));
	return proc;
}

async function stop(proc) {
	if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
	try {
		process.kill(-proc.child.pid, 'SIGTERM');
	} catch {
		return;
	}
	const killer = setTimeout(() => {
		try {
			process.kill(-proc.child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}, 15_000);
	await proc.exited;
	clearTimeout(killer);
}

function fail(what, proc, why) {
	const tail = proc ? proc.output().split('\n').slice(-60).join('\n') : '';
	console.error(`${tail}\n[prove-n8n] FAILED: ${what}: ${why}`);
	throw new Error(`${what}: ${why}`);
}

/** A one-shot command: must exit 0 and print what proves it did its work. */
async function once(what, commandArgs, proof) {
	const t0 = Date.now();
	const proc = launch(what, args.node, [args.n8n, ...commandArgs], n8nEnv({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) }));
	const timer = setTimeout(() => void stop(proc), READY_TIMEOUT_MS);
	const { code, signal } = await proc.exited;
	clearTimeout(timer);
	if (code !== 0) fail(what, proc, `exited with ${code ?? signal}`);
	if (proof && !proof.test(proc.output())) fail(what, proc, `its output lacks ${proof}`);
	log(`${what}: ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
	return proc.output();
}

async function answers200(url) {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await response.body?.cancel();
		return response.status === 200;
	} catch {
		return false;
	}
}

/** A long-running command: must print `readyLine` and answer `healthUrl`, then it is stopped. */
async function untilReady(what, proc, readyLine, healthUrl) {
	const t0 = Date.now();
	try {
		for (;;) {
			if (proc.child.exitCode !== null || proc.child.signalCode !== null) fail(what, proc, 'exited before it was ready');
			if (readyLine.test(proc.output()) && (await answers200(healthUrl))) break;
			if (Date.now() - t0 > READY_TIMEOUT_MS) fail(what, proc, `not ready within ${READY_TIMEOUT_MS / 1000} s`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		log(`${what}: ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
	} finally {
		await stop(proc);
	}
}

async function withRedis(use) {
	const port = await freePort();
	const redis = launch('redis', process.env.REDIS_SERVER ?? 'redis-server', [
		'--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work,
	], process.env);
	try {
		const t0 = Date.now();
		while (!/Ready to accept connections/i.test(redis.output())) {
			if (redis.child.exitCode !== null || redis.child.signalCode !== null) fail('redis-server', redis, 'exited');
			if (Date.now() - t0 > 20_000) fail('redis-server', redis, 'not ready within 20 s');
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		return await use(port);
	} finally {
		await stop(redis);
	}
}

async function main() {
	const version = (await once('n8n --version', ['--version'])).trim().split('\n').pop();
	if (version !== args.version) fail('n8n --version', undefined, `printed "${version}", expected ${args.version}`);

	const credentialFile = path.join(work, 'credentials.json');
	fs.writeFileSync(credentialFile, JSON.stringify([{ id: 'proveCredential1', name: 'prove', type: 'httpHeaderAuth', data: { name: 'X-Prove', value: 'prove' } }]));
	await once('n8n import:credentials', ['import:credentials', `--input=${credentialFile}`], /Successfully imported 1 credential/);

	const workflowFile = path.join(work, 'workflows.json');
	fs.writeFileSync(
		workflowFile,
		JSON.stringify([
			{
				id: 'proveWorkflow01',
				name: 'prove',
				active: false,
				settings: {},
				nodes: [
					{ id: 'a1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{ id: 'a2', name: 'Proved', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
				],
				connections: { Start: { main: [[{ node: 'Proved', type: 'main', index: 0 }]] } },
			},
		]),
	);
	await once('n8n import:workflow', ['import:workflow', `--input=${workflowFile}`], /Successfully imported 1 workflow/);
	await once('n8n execute', ['execute', '--id=proveWorkflow01', '--rawOutput'], /Proved/);

	const mainPort = await freePort();
	const main = launch('start', args.node, [args.n8n, 'start'], n8nEnv({ N8N_PORT: String(mainPort), N8N_RUNNERS_BROKER_PORT: String(await freePort()) }));
	await untilReady('n8n start', main, /Editor is now accessible via/, `http://127.0.0.1:${mainPort}/healthz`);

	await withRedis(async (redisPort) => {
		const healthPort = await freePort();
		const worker = launch(
			'worker',
			args.node,
			[args.n8n, 'worker', '--concurrency=1'],
			n8nEnv({
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redisPort),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			}),
		);
		await untilReady('n8n worker', worker, /n8n worker is now ready/, `http://127.0.0.1:${healthPort}/healthz`);
	});
	log(`every command loads: n8n ${args.version} proved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function stopAll() {
	await Promise.all([...running].map(stop));
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}

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
