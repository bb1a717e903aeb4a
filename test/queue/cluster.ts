/**
 * n8n in queue mode on loopback: one main process (takes the webhooks, puts executions on the
 * Redis queue) and worker processes (run them), all on one PostgreSQL database. PostgreSQL and
 * Redis are started before jest by scripts/queue/run.sh, which passes their addresses in the file
 * named by N8N_QUEUE_SERVICES_ENV and kills, on any exit, every process listed in
 * N8N_QUEUE_PIDS_FILE: each long-running n8n process is written there the moment it starts.
 *
 * Every process gets its own user folder with the packed package installed the way n8n's
 * community-package install does it (makeUserFolder of the e2e tier), as a user must do on each
 * worker, and one shared N8N_ENCRYPTION_KEY (queue mode requires the same key everywhere).
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {
	answers200,
	freePort,
	killGroup,
	makeUserFolder,
	packRepoPackage,
	type CliResult,
	type N8nInstall,
	type UserFolder,
} from '../../testing/e2e/n8n-cli';
import { psql } from './executions';

export interface Services {
	pg: { host: string; port: number; user: string; password: string; database: string };
	redis: { host: string; port: number; password: string };
}

/** The services run.sh started, read from its services.env (KEY=value lines). */
export function servicesFromEnvFile(file = process.env.N8N_QUEUE_SERVICES_ENV): Services {
	if (!file || !fs.existsSync(file)) {
		throw new Error('N8N_QUEUE_SERVICES_ENV names no services.env: run this tier with `npm run test:queue` (scripts/queue/run.sh)');
	}
	const values = new Map<string, string>();
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
		if (match) values.set(match[1], match[2]);
	}
	const get = (key: string): string => {
		const value = values.get(key);
		if (value === undefined) throw new Error(`${file} has no ${key}`);
		return value;
	};
	return {
		pg: { host: get('PG_HOST'), port: Number(get('PG_PORT')), user: get('PG_USER'), password: get('PG_PASSWORD'), database: get('PG_DATABASE') },
		redis: { host: get('REDIS_HOST'), port: Number(get('REDIS_PORT')), password: get('REDIS_PASSWORD') },
	};
}

/**
 * The tier's services with a database of this name, created now: each n8n version (and each test
 * file) migrates a schema of its own.
 */
export async function servicesWithDatabase(database: string): Promise<Services> {
	const shared = servicesFromEnvFile();
	await psql(shared, `CREATE DATABASE ${database}`);
	return { ...shared, pg: { ...shared.pg, database } };
}

/** The package packed as npm publishes it, in a temp folder of its own. */
export async function packedPackage(): Promise<string> {
	return await packRepoPackage(fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pack-')));
}

/** What queue mode needs in every process (main, workers, and the CLI commands that touch the database). */
function queueEnv(services: Services, encryptionKey: string, queuePrefix: string): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_PREFIX: queuePrefix,
		N8N_ENCRYPTION_KEY: encryptionKey,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: services.pg.host,
		DB_POSTGRESDB_PORT: String(services.pg.port),
		DB_POSTGRESDB_DATABASE: services.pg.database,
		DB_POSTGRESDB_USER: services.pg.user,
		DB_POSTGRESDB_PASSWORD: services.pg.password,
		QUEUE_BULL_REDIS_HOST: services.redis.host,
		QUEUE_BULL_REDIS_PORT: String(services.redis.port),
		QUEUE_BULL_REDIS_PASSWORD: services.redis.password,
		// A killed worker's jobs count as stalled once their lock lapses: seconds, not n8n's 60 s,
		// so the crash case sees what Bull and n8n do with them within the tier's time.
		QUEUE_WORKER_LOCK_DURATION: '5000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
	};
}

export type Role = 'main' | `worker${number}`;

/** One long-running n8n process; its stdout and stderr go to one log file. */
export class N8nProcess {
	exited?: { code: number | null; signal: NodeJS.Signals | null };
	private readonly exitPromise: Promise<void>;

	constructor(
		readonly role: Role,
		readonly uf: UserFolder,
		readonly child: ChildProcess,
		readonly logFile: string,
		/** where it answers /healthz */
		readonly healthUrl: string,
	) {
		this.exitPromise = new Promise((resolve) =>
			child.once('exit', (code, signal) => {
				this.exited = { code, signal };
				resolve();
			}),
		);
	}

	get pid(): number {
		if (this.child.pid === undefined) throw new Error(`${this.role} has no pid`);
		return this.child.pid;
	}

	log(): string {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}

	/** Ids of the executions this worker logged as started / finished (n8n's JobProcessor, info level). */
	executionIds(kind: 'started' | 'finished'): Set<string> {
		const pattern = new RegExp(`Worker ${kind} execution (\\d+) \\(job`, 'g');
		return new Set([...this.log().matchAll(pattern)].map((m) => m[1]));
	}

	/** SIGKILL to this process alone, as a crash: n8n gets no chance to shut down. */
	async crash(): Promise<void> {
		process.kill(this.pid, 'SIGKILL');
		await this.exitPromise;
	}

	/** SIGTERM to the process group (n8n and whatever it started), SIGKILL after `graceMs`. */
	async stop(graceMs = 10_000): Promise<void> {
		if (!this.exited) killGroup(this.pid, 'SIGTERM');
		const timer = setTimeout(() => killGroup(this.pid, 'SIGKILL'), graceMs);
		await this.exitPromise;
		clearTimeout(timer);
		// a crashed leader leaves its children (task runner) in the group
		killGroup(this.pid, 'SIGKILL');
	}

	/** Resolves when /healthz answers 200 and the log holds `ready`; throws with the log if the process dies first. */
	async waitReady(ready: RegExp, timeoutMs = 180_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exited) throw new Error(`${this.role} exited (${JSON.stringify(this.exited)}) before it was ready:\n${tail(this.log())}`);
			if (ready.test(this.log()) && (await answers200(this.healthUrl))) return;
			await sleep(500);
		}
		throw new Error(`${this.role} not ready after ${timeoutMs} ms:\n${tail(this.log())}`);
	}
}

export function tail(text: string, lines = 60): string {
	return text.split('\n').slice(-lines).join('\n');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));


export interface ClusterOptions {
	install: N8nInstall;
	tarball: string;
	services: Services;
	workers: number;
	/** executions each worker runs at once (`n8n worker --concurrency`) */
	concurrency: number;
	/** Bull's key prefix in Redis, one per n8n version tested */
	queuePrefix: string;
}

export class QueueCluster {
	main?: N8nProcess;
	/** The workers in service. */
	readonly workers: N8nProcess[] = [];
	/** Workers taken out of service (killed), kept for their logs. */
	readonly retired: N8nProcess[] = [];
	private adminFolder?: UserFolder;
	/** What the CLI commands printed (for the leak check). */
	readonly commands: CliResult[] = [];
	private readonly encryptionKey = `queue-tier-${process.pid}-${Date.now()}`;
	private readonly pidsFile = process.env.N8N_QUEUE_PIDS_FILE;

	constructor(readonly options: ClusterOptions) {}

	get processes(): N8nProcess[] {
		return [...(this.main ? [this.main] : []), ...this.workers, ...this.retired];
	}

	/** A user folder with the package, the shared key and the queue-mode environment. */
	async userFolder(extraEnv: NodeJS.ProcessEnv = {}): Promise<UserFolder> {
		const env = { ...queueEnv(this.options.services, this.encryptionKey, this.options.queuePrefix), ...extraEnv };
		const uf = await makeUserFolder(this.options.install, this.options.tarball, { env });
		// n8n refuses to start when the key in its settings file differs from N8N_ENCRYPTION_KEY
		fs.writeFileSync(path.join(uf.n8nDir, 'config'), JSON.stringify({ encryptionKey: this.encryptionKey }), { mode: 0o600 });
		return uf;
	}

	/** main's user folder, also where the CLI commands against the shared database run (imports, activation). */
	async admin(): Promise<UserFolder> {
		this.adminFolder ??= await this.userFolder();
		return this.adminFolder;
	}

	async startMain(port: number): Promise<N8nProcess> {
		const uf = await this.admin();
		uf.env = {
			...uf.env,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		};
		this.main = this.spawn('main', uf, ['start'], `http://127.0.0.1:${port}/healthz`);
		return this.main;
	}

	async startWorker(index: number): Promise<N8nProcess> {
		const port = await freePort();
		const uf = await this.userFolder({
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		});
		const worker = this.spawn(`worker${index}`, uf, ['worker', `--concurrency=${this.options.concurrency}`], `http://127.0.0.1:${port}/healthz`);
		this.workers.push(worker);
		return worker;
	}

	/** A dead worker out of service, a new one (`worker<n>`, a user folder of its own) in its place, ready. */
	async replaceWorker(dead: N8nProcess): Promise<N8nProcess> {
		const index = this.workers.indexOf(dead);
		if (index < 0) throw new Error(`${dead.role} is not in service`);
		this.workers.splice(index, 1);
		this.retired.push(dead);
		const worker = await this.startWorker(this.workers.length + this.retired.length + 1);
		await worker.waitReady(/n8n worker is now ready/);
		return worker;
	}

	/** Main first (it migrates the database and activates the workflows), then the workers together. */
	async start(mainPort: number): Promise<void> {
		const main = await this.startMain(mainPort);
		await main.waitReady(/Editor is now accessible via/);
		const workers: N8nProcess[] = [];
		for (let i = 1; i <= this.options.workers; i++) workers.push(await this.startWorker(i));
		await Promise.all(workers.map((w) => w.waitReady(/n8n worker is now ready/)));
	}

	async stop(): Promise<void> {
		await Promise.all(this.processes.map((p) => p.stop()));
	}

	private spawn(role: Role, uf: UserFolder, args: string[], healthUrl: string): N8nProcess {
		const logFile = path.join(uf.root, `${role}.log`);
		const fd = fs.openSync(logFile, 'a');
		const child = spawn(uf.install.nodeBin, [uf.install.n8nBin, ...args], {
			cwd: uf.root,
			env: uf.env,
			stdio: ['ignore', fd, fd],
			detached: true, // its own process group, so stop() also ends what n8n starts
		});
		fs.closeSync(fd);
		if (child.pid === undefined) throw new Error(`cannot start n8n ${args.join(' ')}`);
		if (this.pidsFile) fs.appendFileSync(this.pidsFile, `${child.pid}\n`);
		return new N8nProcess(role, uf, child, logFile, healthUrl);
	}
}
