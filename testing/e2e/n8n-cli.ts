/**
 * Real-n8n end-to-end harness: drives the real n8n CLI (pinned in testing/e2e/versions.json,
 * installed into a cache outside the repo by scripts/e2e/install-n8n.sh).
 *
 * Flow per test file:
 *   const n8n = await ensureN8n('n8n2');                   // install if missing (cached)
 *   const uf = await makeUserFolder(n8n, tarballPath);     // fresh N8N_USER_FOLDER with the package
 *   await importCredentials(uf, [{ id, name, type, data }]);
 *   await importWorkflow(uf, workflowJson);                // one object or an array
 *   const run = await executeWorkflow(uf, workflowJson.id);
 *   expect(run.error).toBeUndefined(); outputItems(run, 'Commvault') ...
 *   afterAll(cleanup)
 *
 * Every n8n process is async (so an HTTP simulator in the jest process keeps answering),
 * has a timeout that kills its whole process group, and every thrown error carries the
 * command line plus n8n's stdout/stderr.
 *
 * The community package is placed exactly as n8n's own community-package install does it
 * (CommunityPackagesService.downloadPackage in n8n 1.x and 2.x): the tarball extracted to
 * <userFolder>/.n8n/nodes/node_modules/<name>, devDependencies/peerDependencies/
 * optionalDependencies stripped from its package.json, then `npm install` inside it for its
 * own dependencies. So n8n-workflow is NOT installed a second time: the package resolves
 * n8n's own copy through the NODE_PATH that n8n sets at start.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import type { INodeExecutionData, IRun, IRunExecutionData, ITaskData } from 'n8n-workflow';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'e2e', 'install-n8n.sh');
export const VERSIONS_FILE = path.join(__dirname, 'versions.json');

/** A cold install of both versions took ~12 min on the 2-core machine (empty npm cache); leave room. */
const INSTALL_TIMEOUT_MS = Number(process.env.N8N_E2E_INSTALL_TIMEOUT_MS ?? 25 * 60_000);
const CLI_TIMEOUT_MS = Number(process.env.N8N_E2E_CLI_TIMEOUT_MS ?? 120_000);
const OUTPUT_LIMIT = 40_000;

export interface N8nTargetSpec {
	label: string;
	n8n: string;
	node: string;
	rebuild?: string[];
	overrides?: Record<string, string>;
}

export interface N8nInstall {
	label: string;
	n8nVersion: string;
	nodeVersion: string;
	/** node binary that runs this n8n */
	nodeBin: string;
	/** .../node_modules/n8n/bin/n8n (run as `nodeBin n8nBin ...`) */
	n8nBin: string;
	/** the cache folder of this install */
	dir: string;
}

export interface UserFolder {
	install: N8nInstall;
	/** N8N_USER_FOLDER (n8n keeps its state in <root>/.n8n) */
	root: string;
	/** <root>/.n8n */
	n8nDir: string;
	packageName: string;
	packageVersion: string;
	/** where the package sits: <root>/.n8n/nodes/node_modules/<name> */
	packageDir: string;
	/** environment every n8n command of this folder runs with */
	env: NodeJS.ProcessEnv;
}

export interface CliResult {
	command: string;
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
	timedOut: boolean;
}

export interface NodeRunError {
	message: string;
	description?: string;
	name?: string;
	httpCode?: string;
	/** the failing node as in the workflow (name, type, parameters, ...) */
	node?: { name: string; type: string; [key: string]: unknown };
	[key: string]: unknown;
}

/**
 * n8n's run types as `n8n execute` prints them and its database stores them: parsed JSON, so an
 * error is a plain object (NodeRunError), never the ExecutionError instance n8n's types promise.
 */
export interface TaskDataJson extends Omit<ITaskData, 'error'> {
	error?: NodeRunError;
}

export type RunExecutionDataJson = Omit<IRunExecutionData, 'resultData'> & {
	resultData: Omit<IRunExecutionData['resultData'], 'error' | 'runData'> & {
		error?: NodeRunError;
		runData: Record<string, TaskDataJson[]>;
	};
};

export interface RunJson extends Omit<IRun, 'data'> {
	data: RunExecutionDataJson;
}

export interface ExecuteResult extends CliResult {
	/** the whole IRun JSON that n8n printed (undefined only if n8n printed none) */
	execution?: RunJson;
	/** execution status: 'success' | 'error' | ... */
	status?: string;
	/** data.resultData.runData: node name -> task data per run */
	runData: Record<string, TaskDataJson[]>;
	/** data.resultData.error, the workflow's error if the run failed */
	error?: NodeRunError;
	lastNodeExecuted?: string;
}

export interface CredentialFixture {
	id: string;
	name: string;
	type: string;
	/** plain object: n8n encrypts it with the user folder's key on import */
	data: Record<string, unknown>;
}

export interface WorkflowFixture {
	id: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

// ---------------------------------------------------------------------------------------
// processes

const children = new Set<number>();
const userFolders = new Set<string>();

function truncate(s: string): string {
	return s.length <= OUTPUT_LIMIT ? s : `${s.slice(0, OUTPUT_LIMIT / 2)}\n[... ${s.length - OUTPUT_LIMIT} chars cut ...]\n${s.slice(-OUTPUT_LIMIT / 2)}`;
}

export function describeResult(r: CliResult): string {
	return [
		`command: ${r.command}`,
		`exit code: ${r.exitCode}${r.signal ? ` (signal ${r.signal})` : ''}${r.timedOut ? ' TIMED OUT' : ''} after ${r.durationMs} ms`,
		`--- stdout ---\n${truncate(r.stdout)}`,
		`--- stderr ---\n${truncate(r.stderr)}`,
	].join('\n');
}

export class N8nCliError extends Error {
	constructor(
		message: string,
		public readonly result: CliResult,
	) {
		super(`${message}\n${describeResult(result)}`);
		this.name = 'N8nCliError';
	}
}

interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** also copy stderr through to this process's stderr as it comes (install progress) */
	teeStderr?: boolean;
}

export function run(file: string, args: string[], opts: RunOptions = {}): Promise<CliResult> {
	const timeoutMs = opts.timeoutMs ?? CLI_TIMEOUT_MS;
	const command = [file, ...args].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ');
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(file, args, {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group: a timeout kills n8n and whatever it started
		});
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		if (child.pid) children.add(child.pid);
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => {
			stderr += d;
			if (opts.teeStderr) process.stderr.write(d);
		});
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid, 'SIGTERM');
			setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref();
		}, timeoutMs);
		child.on('error', (err) => {
			clearTimeout(timer);
			if (child.pid) children.delete(child.pid);
			reject(new Error(`cannot start ${command}: ${err.message}`));
		});
		child.on('close', (exitCode, signal) => {
			clearTimeout(timer);
			if (child.pid) children.delete(child.pid);
			resolve({ command, exitCode, signal, stdout, stderr, durationMs: Date.now() - started, timedOut });
		});
	});
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

// ---------------------------------------------------------------------------------------
// install

export function n8nTargets(): N8nTargetSpec[] {
	return JSON.parse(fs.readFileSync(VERSIONS_FILE, 'utf8')).targets;
}

/** Labels of the targets to test: all of versions.json, or those named in N8N_E2E_TARGETS=n8n1,n8n2. */
export function selectedTargets(): N8nTargetSpec[] {
	const all = n8nTargets();
	const wanted = process.env.N8N_E2E_TARGETS?.split(',').map((s) => s.trim()).filter(Boolean);
	if (!wanted?.length) return all;
	return all.filter((t) => wanted.includes(t.label) || wanted.includes(t.n8n));
}

const installs = new Map<string, Promise<N8nInstall>>();

/** Installs (if missing) the n8n of versions.json named by label ('n8n1') or version ('1.123.81'). */
export function ensureN8n(version: string): Promise<N8nInstall> {
	let p = installs.get(version);
	if (!p) {
		p = (async () => {
			const r = await run('bash', [INSTALL_SCRIPT, '--json', version], {
				cwd: REPO_ROOT,
				timeoutMs: INSTALL_TIMEOUT_MS,
				teeStderr: true,
			});
			if (r.exitCode !== 0) throw new N8nCliError(`installing n8n ${version} failed`, r);
			const line = r.stdout.trim().split('\n').pop();
			if (!line) throw new N8nCliError(`install script printed no install for ${version}`, r);
			return JSON.parse(line) as N8nInstall;
		})();
		p.catch(() => installs.delete(version));
		installs.set(version, p);
	}
	return p;
}

// ---------------------------------------------------------------------------------------
// user folder

/**
 * Environment for every n8n command. Dropped from the inherited one: N8N_* / DB_* / ...,
 * NODE_OPTIONS, NODE_PATH, JEST_*, and NODE_ENV (jest sets NODE_ENV=test, which makes n8n's
 * logger silent: no "Successfully imported", no error JSON).
 */
export function n8nEnv(install: N8nInstall, userFolder: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_PATH$|NODE_ENV$|NODE_FUNCTION_|JEST_)/.test(k)) continue;
		env[k] = v;
	}
	Object.assign(env, {
		// the node that runs n8n comes first (task runners and npm children use it)
		PATH: `${path.dirname(install.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		// 2.x defaults to 'vm' (isolated-vm; works here too, ~2-3 s slower per command)
		N8N_EXPRESSION_ENGINE: process.env.N8N_E2E_EXPRESSION_ENGINE || 'legacy',
		N8N_LOG_LEVEL: 'info', // the error run's JSON is printed by the logger at info level
		N8N_LOG_OUTPUT: 'console',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// binary data on disk (n8n 2.x's default; 1.x keeps it in memory unless told)
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NO_COLOR: '1',
		// n8n honours HTTP(S)_PROXY for node requests: keep loopback simulators direct
		NO_PROXY: ['127.0.0.1', 'localhost', '::1', process.env.NO_PROXY ?? process.env.no_proxy].filter(Boolean).join(','),
		no_proxy: ['127.0.0.1', 'localhost', '::1', process.env.NO_PROXY ?? process.env.no_proxy].filter(Boolean).join(','),
		...extra,
	});
	return env;
}

/**
 * How the package gets into `.n8n/nodes`:
 * - `n8n`: as n8n's own community-package install does it (the default);
 * - `readme`: the README's manual install command exactly as written, the tarball's path in place
 *   of the package name, run by the npm of the target's own node (Node 20 or 24);
 * - `linked`: `npm link` as a developer has it, the package folder with its own node_modules, so a
 *   second copy of n8n-workflow sits beside the package (`linkedFrom`: that folder).
 */
export type InstallMode = 'n8n' | 'readme' | 'linked';

export interface MakeUserFolderOptions {
	/** extra/overriding environment for every n8n command of this folder */
	env?: NodeJS.ProcessEnv;
	/** parent folder for the temp folder (default: os.tmpdir()) */
	parent?: string;
	installMode?: InstallMode;
	/** for `linked`: the package folder to link (default: the repo, built) */
	linkedFrom?: string;
}

/** The README's manual install command: the one `npm install … n8n-nodes-commvault` line of "Install in n8n". */
export function readmeInstallCommand(): string[] {
	const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
	const section = readme.split(/^## /m).find((part) => part.startsWith('Install in n8n'));
	const lines = (section ?? '').split('\n').filter((line) => /^npm install .*\bn8n-nodes-commvault$/.test(line.trim()));
	if (lines.length !== 1) throw new Error(`README "Install in n8n" must hold exactly one "npm install … n8n-nodes-commvault" line, found ${lines.length}`);
	return lines[0].trim().split(/\s+/);
}

/** npm's own entry script, so that the npm of the machine can run on a target's node. */
function npmCli(): string {
	const npmBin = fs.realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
	return path.join(path.dirname(npmBin), 'npm-cli.js');
}

/**
 * A fresh N8N_USER_FOLDER with the package tarball (from `npm pack`) installed as n8n's
 * community-package install does it. `n8nInstall`: from ensureN8n, or a label/version for it.
 */
export async function makeUserFolder(
	n8nInstall: N8nInstall | string,
	tarballPath: string,
	opts: MakeUserFolderOptions = {},
): Promise<UserFolder> {
	const install = typeof n8nInstall === 'string' ? await ensureN8n(n8nInstall) : n8nInstall;
	const tarball = path.resolve(tarballPath);
	if (!fs.existsSync(tarball)) throw new Error(`package tarball not found: ${tarball}`);
	const root = fs.mkdtempSync(path.join(opts.parent ?? os.tmpdir(), `n8n-e2e-${install.label}-`));
	userFolders.add(root);
	const n8nDir = path.join(root, '.n8n');
	const nodesDir = path.join(n8nDir, 'nodes');
	const staging = path.join(nodesDir, '.staging');
	fs.mkdirSync(staging, { recursive: true });

	// a fixed key written up front (0600): no "generating key" chatter, no permission warning
	fs.writeFileSync(
		path.join(n8nDir, 'config'),
		JSON.stringify({ encryptionKey: `e2e-${path.basename(root)}-key` }, null, '\t'),
		{ mode: 0o600 },
	);

	const mode = opts.installMode ?? 'n8n';
	if (mode !== 'n8n') {
		const packageDir = await installAsUserDoes(install, nodesDir, mode, tarball, opts.linkedFrom ?? REPO_ROOT);
		fs.rmSync(staging, { recursive: true, force: true });
		const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
		return { install, root, n8nDir, packageName: pkg.name, packageVersion: pkg.version, packageDir, env: n8nEnv(install, root, opts.env) };
	}

	const untar = await run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
	if (untar.exitCode !== 0) throw new N8nCliError(`cannot extract ${tarball}`, untar);
	const pkgJsonPath = path.join(staging, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
		fs.readFileSync(pkgJsonPath, 'utf8'),
	);
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	fs.writeFileSync(pkgJsonPath, JSON.stringify(pkg, null, 2));
	// what n8n would load must be in the tarball (a missing build shows up here, not as "Unrecognized node type")
	const listed: string[] = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	if (listed.length === 0) throw new Error(`${tarball}: package.json has no n8n.nodes / n8n.credentials`);
	const missing = listed.filter((f) => !fs.existsSync(path.join(staging, f)));
	if (missing.length) throw new Error(`${tarball} lacks files its package.json lists under "n8n": ${missing.join(', ')}`);
	if (!/^(@[^/]+\/)?n8n-nodes-/.test(pkg.name)) {
		throw new Error(`n8n only loads packages named n8n-nodes-* or @scope/n8n-nodes-*, not ${pkg.name}`);
	}
	const packageDir = path.join(nodesDir, 'node_modules', pkg.name);
	fs.mkdirSync(path.dirname(packageDir), { recursive: true });
	fs.renameSync(staging, packageDir);

	// the package's own runtime dependencies, with n8n's flags (no-op when it has none)
	if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
		const npm = await run(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: packageDir, timeoutMs: 5 * 60_000 },
		);
		if (npm.exitCode !== 0) throw new N8nCliError(`npm install of ${pkg.name}'s dependencies failed`, npm);
	}
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } }, null, 2),
	);

	return {
		install,
		root,
		n8nDir,
		packageName: pkg.name,
		packageVersion: pkg.version,
		packageDir,
		env: n8nEnv(install, root, opts.env),
	};
}

/** The `readme` and `linked` install modes (see InstallMode); returns the package's folder in node_modules. */
async function installAsUserDoes(install: N8nInstall, nodesDir: string, mode: InstallMode, tarball: string, linkedFrom: string): Promise<string> {
	const packageDir = path.join(nodesDir, 'node_modules', 'n8n-nodes-commvault');
	if (mode === 'linked') {
		if (!fs.existsSync(path.join(linkedFrom, 'node_modules', 'n8n-workflow'))) {
			throw new Error(`${linkedFrom} has no node_modules/n8n-workflow: run npm ci there first`);
		}
		fs.mkdirSync(path.dirname(packageDir), { recursive: true });
		fs.symlinkSync(linkedFrom, packageDir, 'dir');
		fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
		return packageDir;
	}
	const [npm, ...args] = readmeInstallCommand();
	if (npm !== 'npm') throw new Error(`the README's install command does not start with npm: ${npm}`);
	const withTarball = args.map((arg) => (arg === 'n8n-nodes-commvault' ? tarball : arg));
	const result = await run(install.nodeBin, [npmCli(), ...withTarball], {
		cwd: nodesDir,
		timeoutMs: 5 * 60_000,
		env: { ...process.env, PATH: `${path.dirname(install.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}` },
	});
	if (result.exitCode !== 0) throw new N8nCliError(`the README's install command failed on node ${install.nodeVersion}`, result);
	return packageDir;
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
/** Whether a health URL answers 200 within 2 s (n8n's /healthz once it is ready). */
export async function answers200(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await response.body?.cancel();
		return response.status === 200;
	} catch {
		return false;
	}
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

/**
 * Runs `n8n <args>` for this user folder; never throws on a non-zero exit (see n8nOk).
 * n8n 2.x starts its task-runner broker in every `execute` (1.x only when runners are
 * enabled), on 127.0.0.1:5679 by default: each command gets a free port instead, so two
 * n8n processes (or a developer's own n8n) never collide.
 */
export async function n8n(uf: UserFolder, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
	const env: NodeJS.ProcessEnv = { ...uf.env, ...opts.env };
	if (!opts.env?.N8N_RUNNERS_BROKER_PORT) env.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	return await run(uf.install.nodeBin, [uf.install.n8nBin, ...args], {
		cwd: uf.root,
		env,
		timeoutMs: opts.timeoutMs ?? CLI_TIMEOUT_MS,
	});
}

/** Runs `n8n <args>` and throws (with n8n's output) unless it exits 0. */
export async function n8nOk(uf: UserFolder, args: string[], opts: { timeoutMs?: number } = {}) {
	const r = await n8n(uf, args, opts);
	if (r.exitCode !== 0 || r.timedOut) throw new N8nCliError(`n8n ${args[0]} failed`, r);
	return r;
}

let fileCounter = 0;
function writeImportFile(uf: UserFolder, kind: string, data: unknown): string {
	const dir = path.join(uf.root, 'import');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${kind}-${++fileCounter}.json`);
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

/** `n8n import:credentials`; data is given in plain text, n8n encrypts it. */
export async function importCredentials(
	uf: UserFolder,
	credentials: CredentialFixture | CredentialFixture[],
): Promise<CliResult> {
	const list = Array.isArray(credentials) ? credentials : [credentials];
	const r = await n8nOk(uf, ['import:credentials', `--input=${writeImportFile(uf, 'credentials', list)}`]);
	if (!/Successfully imported \d+ credential/.test(r.stdout)) {
		throw new N8nCliError('import:credentials did not report success', r);
	}
	return r;
}

/** `n8n import:workflow`; give workflows with fixed `id`s, credentials referenced by id and name. */
export async function importWorkflow(uf: UserFolder, workflows: WorkflowFixture | WorkflowFixture[]): Promise<CliResult> {
	const list = (Array.isArray(workflows) ? workflows : [workflows]).map((w) => ({
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		...w,
	}));
	for (const w of list) if (!w.id) throw new Error(`workflow "${w.name}" needs an id to be executed by id`);
	const r = await n8nOk(uf, ['import:workflow', `--input=${writeImportFile(uf, 'workflows', list)}`]);
	if (!/Successfully imported \d+ workflow/.test(r.stdout)) {
		throw new N8nCliError('import:workflow did not report success', r);
	}
	return r;
}

/**
 * Finds n8n's IRun JSON in `n8n execute` output. On success with --rawOutput stdout is
 * exactly that JSON; on a failed run it comes between logger lines ("Execution was NOT
 * successful..." before, "Execution error: ..." and the stack after). The JSON is printed
 * with 2-space indentation, so it starts at a line "{" and ends at a line "}".
 * `rest` is everything else n8n printed (its log lines), for checks that read them as text.
 */
export function splitExecutionOutput(stdout: string): { execution: RunJson; rest: string } | undefined {
	const lines = stdout.split(/\r?\n/);
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end] !== '}') continue;
			try {
				const parsed: unknown = JSON.parse(lines.slice(start, end + 1).join('\n'));
				if (isRunJson(parsed)) {
					return { execution: parsed, rest: [...lines.slice(0, start), ...lines.slice(end + 1)].join('\n') };
				}
			} catch {
				// not the end yet
			}
		}
	}
	return undefined;
}

/** What tells n8n's run JSON apart from other JSON n8n may print: an object with data.resultData. */
function isRunJson(value: unknown): value is RunJson {
	if (typeof value !== 'object' || value === null || !('data' in value)) return false;
	const { data } = value;
	return typeof data === 'object' && data !== null && 'resultData' in data && Boolean(data.resultData);
}

export function parseExecutionOutput(stdout: string): RunJson | undefined {
	return splitExecutionOutput(stdout)?.execution;
}

/**
 * `n8n execute --id <id> --rawOutput`. Resolves with the parsed run for a successful AND for a
 * failed workflow (exit code 1, `error` set); throws only when n8n printed no run at all
 * (crash, unknown workflow, timeout) — with all of n8n's output in the message.
 */
export async function executeWorkflow(
	uf: UserFolder,
	workflowId: string,
	opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ExecuteResult> {
	const r = await n8n(uf, ['execute', `--id=${workflowId}`, '--rawOutput'], opts);
	const execution = r.timedOut ? undefined : parseExecutionOutput(r.stdout);
	if (!execution) throw new N8nCliError(`n8n execute --id=${workflowId} printed no execution`, r);
	const resultData = execution.data.resultData;
	const result: ExecuteResult = {
		...r,
		execution,
		status: execution.status,
		runData: resultData.runData ?? {},
		error: resultData.error,
		lastNodeExecuted: resultData.lastNodeExecuted,
	};
	if ((result.error === undefined) !== (r.exitCode === 0)) {
		throw new N8nCliError(
			`n8n execute exit code ${r.exitCode} does not match the run's error (${result.error?.message ?? 'none'})`,
			r,
		);
	}
	return result;
}

export interface StoredExecution {
	id: number;
	workflowId: string;
	status: string;
	/** the run data as n8n stored it (IRunExecutionData, un-flatted) */
	data: RunExecutionDataJson;
}

/**
 * The executions n8n saved in the user folder's SQLite database, read with the sqlite3 and
 * flatted modules of that n8n install, run by its own node. Call it while no n8n command of
 * this folder is running.
 */
export async function storedExecutions(uf: UserFolder): Promise<StoredExecution[]> {
	const script = `
		const sqlite3 = require('sqlite3');
		const { parse } = require('flatted');
		const db = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READONLY, (openError) => {
			if (openError) throw openError;
			db.all(
				'SELECT e.id AS id, e.workflowId AS workflowId, e.status AS status, d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id ORDER BY e.id',
				(error, rows) => {
					if (error) throw error;
					process.stdout.write(JSON.stringify(rows.map((row) => ({ ...row, data: parse(row.data) }))));
					db.close();
				},
			);
		});`;
	const r = await run(uf.install.nodeBin, ['-e', script, path.join(uf.n8nDir, 'database.sqlite')], {
		cwd: uf.install.dir,
		timeoutMs: 60_000,
	});
	if (r.exitCode !== 0) throw new N8nCliError('reading the executions from n8n\'s database failed', r);
	return JSON.parse(r.stdout) as StoredExecution[];
}

/** Throws with the node's error and n8n's output unless the run succeeded. */
export function assertSuccess(run: ExecuteResult): ExecuteResult {
	if (run.error || run.exitCode !== 0) {
		throw new N8nCliError(
			`workflow failed in node "${run.error?.node?.name ?? run.lastNodeExecuted}": ${run.error?.message} ${run.error?.description ?? ''}`,
			run,
		);
	}
	return run;
}

/** Items a node emitted on one output in one run (default: first run, first output). */
export function outputItems(run: ExecuteResult, nodeName: string, opts: { runIndex?: number; outputIndex?: number } = {}): INodeExecutionData[] {
	const runs = run.runData[nodeName];
	if (!runs) {
		throw new N8nCliError(`node "${nodeName}" did not run (ran: ${Object.keys(run.runData).join(', ')})`, run);
	}
	const task = runs[opts.runIndex ?? 0];
	if (!task) throw new N8nCliError(`node "${nodeName}" has no run ${opts.runIndex ?? 0}`, run);
	return task.data?.main?.[opts.outputIndex ?? 0] ?? [];
}

/** The error a node ended with (undefined if it succeeded or did not run). */
export function nodeError(run: ExecuteResult, nodeName: string, runIndex = 0): NodeRunError | undefined {
	return run.runData[nodeName]?.[runIndex]?.error;
}

// ---------------------------------------------------------------------------------------
// package + cleanup

/** `npm pack` of a package folder into destDir; returns the tarball path. */
export async function packPackage(packageDir: string, destDir: string): Promise<string> {
	fs.mkdirSync(destDir, { recursive: true });
	const r = await run('npm', ['pack', '--json', '--ignore-scripts', `--pack-destination=${destDir}`], {
		cwd: packageDir,
		timeoutMs: 120_000,
	});
	if (r.exitCode !== 0) throw new N8nCliError(`npm pack in ${packageDir} failed`, r);
	const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
	return path.join(destDir, info.filename);
}

/**
 * `npm pack` of this repository (the package as it would be published) into destDir.
 * Needs a build first (`npm run build`): throws if the files listed under "n8n" are missing.
 */
export async function packRepoPackage(destDir: string): Promise<string> {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	const listed: string[] = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = listed.filter((f) => !fs.existsSync(path.join(REPO_ROOT, f)));
	if (missing.length) throw new Error(`run "npm run build" first; missing: ${missing.join(', ')}`);
	return await packPackage(REPO_ROOT, destDir);
}

/** Kills n8n processes still running and removes the user folders (kept with N8N_E2E_KEEP=1). */
export async function cleanup(): Promise<void> {
	for (const pid of children) killGroup(pid, 'SIGKILL');
	children.clear();
	if (process.env.N8N_E2E_KEEP === '1') {
		for (const f of userFolders) process.stderr.write(`[n8n-e2e] kept ${f}\n`);
	} else {
		for (const f of userFolders) fs.rmSync(f, { recursive: true, force: true });
	}
	userFolders.clear();
}
