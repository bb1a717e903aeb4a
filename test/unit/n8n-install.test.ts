/**
 * The n8n installs of the real-n8n tiers (issue 18): each target installs from its committed
 * lockfile, a cached folder that differs from it is not trusted, and an install is proved by
 * running every n8n command the tiers use. One day `npm install n8n@1.123.81` resolved a tree whose
 * `start` died with `Command "start" not found` while `import:*` and `execute` worked, and nothing
 * noticed until the queue tier. The prover is run here against a stand-in `n8n` (a real process
 * that behaves as the broken or a sound n8n does), so this tier needs no n8n install.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const PROVE = path.join(REPO, 'scripts', 'e2e', 'prove-n8n.ts');
const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');
const LOCKFILE = path.join(REPO, 'scripts', 'e2e', 'lockfile.mjs');
const INSTALLS = path.join(REPO, 'testing', 'e2e', 'installs');
const VERSIONS = JSON.parse(fs.readFileSync(path.join(REPO, 'testing', 'e2e', 'versions.json'), 'utf8')) as {
	targets: Array<{ label: string; n8n: string; overrides?: Record<string, string> }>;
};

/**
 * A stand-in n8n CLI: prints what n8n prints for each command the prover runs, and for `start` and
 * `worker` listens on the port n8n would, then says it is ready. BROKEN names one command that
 * dies the way n8n 1.123.81's `start` did on the bad tree.
 */
const FAKE_N8N = `
const http = require('node:http');
const [command] = process.argv.slice(2);
if (process.env.BROKEN === command) {
	console.error('Error: Command "' + command + '" not found');
	process.exit(1);
}
const serve = (port, line) => {
	http.createServer((req, res) => res.end('{"status":"ok"}')).listen(Number(port), '127.0.0.1', () => console.log(line));
	process.on('SIGTERM', () => process.exit(0));
};
switch (command) {
	case '--version': console.log('9.9.9'); break;
	case 'import:credentials': console.log('Successfully imported 1 credential.'); break;
	case 'import:workflow': console.log('Successfully imported 1 workflow.'); break;
	case 'execute': console.log('[{"json":{},"node":"Proved"}]'); break;
	case 'start': serve(process.env.N8N_PORT, 'Editor is now accessible via: http://127.0.0.1'); break;
	case 'worker': serve(process.env.QUEUE_HEALTH_CHECK_PORT, 'n8n worker is now ready'); break;
	default: console.error('unknown command ' + command); process.exit(1);
}
`;

function hasRedis(): boolean {
	return spawnSync('redis-server', ['--version']).status === 0;
}

describe('prove-n8n: an install runs every command the tiers use', () => {
	let dir: string;
	/** A stand-in redis-server where the machine has none (the unit tier runs before any install). */
	let redis: NodeJS.ProcessEnv = {};
	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prove-n8n-test-'));
		fs.writeFileSync(path.join(dir, 'n8n.js'), FAKE_N8N);
		if (!hasRedis()) {
			const fake = path.join(dir, 'redis-server');
			fs.writeFileSync(fake, '#!/bin/sh\necho "Ready to accept connections"\nexec sleep 60\n', { mode: 0o755 });
			redis = { REDIS_SERVER: fake };
		}
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	function prove(env: NodeJS.ProcessEnv = {}, version = '9.9.9'): { status: number | null; stderr: string } {
		const result = spawnSync(
			TSX,
			[PROVE, '--node', process.execPath, '--n8n', path.join(dir, 'n8n.js'), '--version', version, '--work', path.join(dir, 'work')],
			{ env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
		);
		return { status: result.status, stderr: result.stderr };
	}

	it('passes a sound install, having run each command', () => {
		const { status, stderr } = prove(redis);
		expect(status).toBe(0);
		for (const command of ['--version', 'import:credentials', 'import:workflow', 'execute']) expect(stderr).toContain(`n8n ${command}: ok`);
		expect(stderr).toContain('n8n start: ready');
		expect(stderr).toContain('n8n worker: ready');
	});

	it.each(['start', 'worker', 'execute', 'import:workflow'])('fails an install whose `%s` does not load, with n8n\'s own error', (command) => {
		const { status, stderr } = prove({ ...redis, BROKEN: command });
		expect(status).toBe(1);
		expect(stderr).toContain(`Error: Command "${command}" not found`);
		expect(stderr).toContain(`FAILED: n8n ${command}`);
	});

	it('fails an install of another n8n version than pinned', () => {
		const { status, stderr } = prove(redis, '1.2.3');
		expect(status).toBe(1);
		expect(stderr).toContain('printed "9.9.9", expected 1.2.3');
	});
});

describe('lockfile: every target installs from a committed lockfile', () => {
	it.each(VERSIONS.targets.map((t) => [t.label, t.n8n] as const))('%s has a lockfile for n8n %s', (label, version) => {
		const result = spawnSync(process.execPath, [LOCKFILE, 'check', path.join(INSTALLS, label), version], { encoding: 'utf8' });
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	it.each(VERSIONS.targets.map((t) => [t.label, t] as const))('%s lockfile carries versions.json\'s overrides', (label, target) => {
		const manifest = JSON.parse(fs.readFileSync(path.join(INSTALLS, label, 'package.json'), 'utf8'));
		expect(manifest.overrides).toEqual(target.overrides ?? {});
	});

	it('refuses a lockfile made for another n8n version', () => {
		const result = spawnSync(process.execPath, [LOCKFILE, 'check', path.join(INSTALLS, VERSIONS.targets[0].label), '0.0.1'], { encoding: 'utf8' });
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('not 0.0.1');
	});

	describe('verify: a cached install is trusted only as npm ci left it', () => {
		let dir: string;
		beforeEach(() => {
			dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockfile-verify-'));
			const lock = {
				lockfileVersion: 3,
				packages: {
					'': { dependencies: { a: '1.0.0' } },
					'node_modules/a': { version: '1.0.0' },
					'node_modules/a/node_modules/b': { version: '2.0.0' },
					'node_modules/other-platform': { version: '3.0.0', optional: true },
				},
			};
			fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
			for (const [where, version] of [['node_modules/a', '1.0.0'], ['node_modules/a/node_modules/b', '2.0.0']]) {
				fs.mkdirSync(path.join(dir, where), { recursive: true });
				fs.writeFileSync(path.join(dir, where, 'package.json'), JSON.stringify({ version }));
			}
		});
		afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
		const verify = () => spawnSync(process.execPath, [LOCKFILE, 'verify', dir], { encoding: 'utf8' });

		it('accepts the tree the lockfile describes (an absent optional package included)', () => {
			expect(verify().status).toBe(0);
		});

		it('does not ask for what the lockfile marks extraneous (npm ci prunes it)', () => {
			const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
			lock.packages['node_modules/unreached'] = { version: '4.0.0', extraneous: true };
			fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
			expect(verify().status).toBe(0);
		});

		it('refuses a package at another version', () => {
			fs.writeFileSync(path.join(dir, 'node_modules/a/node_modules/b/package.json'), JSON.stringify({ version: '2.1.0' }));
			const result = verify();
			expect(result.status).toBe(1);
			expect(result.stderr).toContain('node_modules/a/node_modules/b: 2.1.0, locked 2.0.0');
		});

		it('refuses a missing package', () => {
			fs.rmSync(path.join(dir, 'node_modules/a/node_modules/b'), { recursive: true });
			const result = verify();
			expect(result.status).toBe(1);
			expect(result.stderr).toContain('node_modules/a/node_modules/b: missing');
		});
	});
});
