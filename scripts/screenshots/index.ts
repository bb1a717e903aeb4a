/**
 * `npm run screenshots`: the README's pictures, taken from the real thing. The packed package is
 * installed into real n8n 1.x (the install the e2e tier caches; installed when missing), next to
 * the bundled Commvault simulator on 127.0.0.1; an owner is set up through n8n's REST API, the
 * one-step example workflow and its credential are imported, and Debian's Chromium, driven
 * headless by playwright-core, opens the node's Create panel, runs the workflow and opens the
 * output. The PNGs land in docs/. CI does not run this; rerun it after a UI change.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { chromium, type Page } from 'playwright-core';

import { CREDENTIALS, EXAMPLES, loadExample } from '../../testing/e2e/commvault-workflows';
import {
	cleanup,
	ensureN8n,
	freePort,
	importCredentials,
	importWorkflow,
	makeUserFolder,
	packRepoPackage,
	REPO_ROOT,
	type UserFolder,
} from '../../testing/e2e/n8n-cli';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN } from '../../testing/simulator';

const CHROMIUM = '/usr/bin/chromium';
const DOCS = join(REPO_ROOT, 'docs');
const CREATE_NODE = 'Create Dynamics 365 App';
const VIEWPORT = { width: 1440, height: 900 };
/** Only for this throwaway n8n, which listens on 127.0.0.1 and is deleted afterwards. */
const OWNER = { email: 'owner@example.com', firstName: 'Screenshot', lastName: 'Owner', password: 'Screenshot-0wner-pass' };

function say(message: string): void {
	process.stderr.write(`[screenshots] ${message}\n`);
}

/** Debian's Chromium, installed with apt when missing (the machine's only source of a browser). */
function ensureChromium(): void {
	if (existsSync(CHROMIUM)) return;
	say(`${CHROMIUM} is missing: installing Debian's chromium package with apt-get (a few minutes, about 300 MB)`);
	const root = process.getuid?.() === 0;
	const sudo = root ? [] : ['sudo'];
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']]) {
		const [command, ...rest] = [...sudo, ...args];
		const result = spawnSync(command, rest, { stdio: 'inherit', env });
		if (result.status !== 0) throw new Error(`${[command, ...rest].join(' ')} failed (exit ${result.status}); install chromium and rerun`);
	}
	if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is not there`);
	say('chromium installed');
}

async function waitForN8n(url: string, n8n: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 180_000;
	while (Date.now() < deadline) {
		if (n8n.exitCode !== null) throw new Error(`n8n start exited with ${n8n.exitCode}:\n${output()}`);
		try {
			const response = await fetch(`${url}/rest/settings`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not get ready at ${url} within 3 minutes:\n${output()}`);
}

function startN8n(uf: UserFolder, port: number, brokerPort: number): { process: ChildProcess; output: () => string } {
	let output = '';
	const child = spawn(uf.install.nodeBin, [uf.install.n8nBin, 'start'], {
		cwd: uf.root,
		env: {
			...uf.env,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_HIRING_BANNER_ENABLED: 'false',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true, // its own process group, ended as a whole below
	});
	child.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
	child.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
	return { process: child, output: () => output.slice(-20_000) };
}

function stopN8n(child: ChildProcess): void {
	if (child.pid === undefined || child.exitCode !== null) return;
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		// already gone
	}
}

/**
 * Sets up the owner account and returns its session cookie. n8n mounts its REST controllers one
 * by one after it starts answering, so a 404 here means "not yet".
 */
async function setUpOwner(url: string): Promise<string> {
	const deadline = Date.now() + 120_000;
	let response: Response;
	for (;;) {
		response = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (response.status !== 404 || Date.now() > deadline) break;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	if (!response.ok) throw new Error(`owner setup answered ${response.status}: ${await response.text()}`);
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('owner setup set no n8n-auth cookie');
	return cookie.slice('n8n-auth='.length).split(';')[0];
}

async function openNode(page: Page, name: string): Promise<void> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'visible' });
}

async function shoot(page: Page, file: string): Promise<void> {
	await page.waitForTimeout(800); // let the panel's transitions end
	await page.screenshot({ path: join(DOCS, file) });
	say(`wrote docs/${file}`);
}

/**
 * Nodes as the editor leaves them when the action is freshly added: no App ID, no hint filled in.
 * Imported beside the example; nothing runs it.
 */
const EDITOR_CHECKS = {
	id: 'cvEditorChecks01',
	name: 'Editor checks',
	active: false,
	settings: {},
	connections: {},
	nodes: [
		{ id: 'e1', name: 'Add Content', type: 'n8n-nodes-commvault.commvault', typeVersion: 1, position: [0, 0], parameters: { resource: 'exchangeApp', operation: 'addContent' } },
		{ id: 'e2', name: 'Create SharePoint', type: 'n8n-nodes-commvault.commvault', typeVersion: 1, position: [300, 0], parameters: { resource: 'sharePointApp', operation: 'create' } },
	],
};

/** Fails the script when the real editor shows what issue 18 found: App ID 0, a hint with its placeholder eaten. */
async function checkEditor(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/workflow/${EDITOR_CHECKS.id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: 60_000 });
	await openNode(page, 'Add Content');
	const appId = await page.locator('[data-test-id="parameter-input-appId"] input').first().inputValue();
	if (appId !== '') throw new Error(`Add Content's App ID shows "${appId}" in the editor; it must start empty`);
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
	await openNode(page, 'Create SharePoint');
	const panel = (await page.locator('[data-test-id="ndv"]').innerText()).replace(/\s+/g, ' ');
	if (!panel.includes('https://<tenant>-admin.sharepoint.com')) {
		throw new Error(`the SharePoint panel does not show https://<tenant>-admin.sharepoint.com; it reads: ${panel.slice(0, 2000)}`);
	}
	say('editor: App ID starts empty; the Tenant Admin Site URL hint shows https://<tenant>-admin.sharepoint.com');
}

async function main(): Promise<void> {
	ensureChromium();
	const work = mkdtempSync(join(tmpdir(), 'commvault-screenshots-'));
	const sim = new CommvaultSimulator();
	let n8n: { process: ChildProcess; output: () => string } | undefined;
	try {
		const tarball = await packRepoPackage(work);
		const install = await ensureN8n('n8n1');
		const baseUrl = await sim.start();
		const uf = await makeUserFolder(install, tarball, { parent: work });
		await importCredentials(uf, {
			...CREDENTIALS.authtoken,
			type: 'commvaultApi',
			data: { baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN, ignoreSslIssues: false },
		});
		const workflow = loadExample(EXAMPLES.oneStep);
		await importWorkflow(uf, [workflow, EDITOR_CHECKS]);

		const port = await freePort();
		const url = `http://127.0.0.1:${port}`;
		say(`starting n8n ${install.n8nVersion} at ${url} with the packed package and the simulator at ${baseUrl}`);
		n8n = startN8n(uf, port, await freePort());
		await waitForN8n(url, n8n.process, n8n.output);
		const session = await setUpOwner(url);

		const profile = mkdtempSync(join(work, 'chromium-profile-'));
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
			viewport: VIEWPORT,
			deviceScaleFactor: 1,
		});
		const failureShot = join(work, '..', 'commvault-screenshots-failure.png');
		try {
			await context.addCookies([{ name: 'n8n-auth', value: session, domain: '127.0.0.1', path: '/' }]);
			const page = context.pages()[0] ?? (await context.newPage());
			mkdirSync(DOCS, { recursive: true });

			// 1. the Create panel, as a user opens it in the example
			await page.goto(`${url}/workflow/${workflow.id}`);
			await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: 60_000 });
			await openNode(page, CREATE_NODE);
			await shoot(page, 'create-panel.png');
			await page.keyboard.press('Escape');
			await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });

			// 2. a run: Execute workflow, then the Create node's output
			await page.locator('[data-test-id="execute-workflow-button"]').click();
			const deadline = Date.now() + 60_000;
			while (!sim.apps.some((app) => app.content.length > 0)) {
				if (Date.now() > deadline) throw new Error(`the run did not create an app; requests: ${sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`);
				await page.waitForTimeout(250);
			}
			await page.locator(`[data-test-id="canvas-node"][data-node-name="${CREATE_NODE}"] [data-test-id="canvas-node-status-success"]`).waitFor({ timeout: 30_000 });
			await openNode(page, CREATE_NODE);
			// the app id Commvault answered appears only in the output, not in the input
			const appId = String(sim.apps[0]?.id);
			await page.locator('[data-test-id="ndv"]').getByText(appId, { exact: true }).first().waitFor({ timeout: 30_000 });
			await shoot(page, 'run-output.png');
			say(`Commvault (simulated) received: ${sim.requests.map((r) => `${r.method} ${r.path} -> ${r.status}`).join(', ')}`);
			await page.keyboard.press('Escape');

			// 3. what a newcomer met in the editor (issue 18), read off the real editor
			await checkEditor(page, url);
		} catch (error) {
			// what the browser showed when it went wrong, for whoever reruns this after a UI change
			await context.pages()[0]?.screenshot({ path: failureShot }).catch(() => undefined);
			say(`failed; the browser's last view is in ${failureShot}`);
			throw error;
		} finally {
			await context.close();
		}
	} finally {
		if (n8n) stopN8n(n8n.process);
		await sim.stop();
		await cleanup();
		rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.stack ?? error.message : error);
	process.exit(1);
});
