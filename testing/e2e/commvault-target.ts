/**
 * One n8n version under test, set up once for all Commvault cases: a user folder with the packed
 * package, a plain-HTTP and a self-signed-HTTPS simulator, all credentials and all workflows
 * imported (one n8n command each: every command starts n8n), and a record of everything n8n
 * printed and every login token the simulators issued, for the leak check at the end.
 */
import * as fs from 'fs';
import * as path from 'path';

import { secretsOf, type Canary } from '../engine/support/canaries';
import { AZURE_APP_PFX_PASSWORD, AZURE_APP_PFX_PATH } from '../fixtures';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN, DEFAULT_USER } from '../simulator';
import {
	APPLICATION_SECRET,
	EXAMPLE_SECRET,
	PFX_BYTES,
	REFRESH_TOKEN,
	WRONG_PASSWORD,
	allWorkflows,
	credentialFixtures,
	userDataNodesOf,
	type Workflow,
} from './commvault-workflows';
import { findLeaks, printedSurfaces, storedSurfaces, type Surface } from './leaks';
import {
	ensureN8n,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	makeUserFolder,
	storedExecutions,
	type ExecuteResult,
	type InstallMode,
	type N8nTargetSpec,
	type UserFolder,
} from './n8n-cli';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export class CommvaultTarget {
	readonly http = new CommvaultSimulator();
	readonly https = new CommvaultSimulator({ tls: true });
	/** Workflow id and status of every execute, in order. */
	readonly executions: Array<{ workflowId: string; status?: string }> = [];
	private folder?: UserFolder;
	private readonly printed: Surface[] = [];
	private readonly loginTokens = new Set<string>();
	private readonly timing = { started: 0, setupMs: 0, executeMs: 0 };

	constructor(
		readonly spec: N8nTargetSpec,
		readonly installMode: InstallMode = 'n8n',
	) {}

	get uf(): UserFolder {
		if (!this.folder) throw new Error(`${this.spec.label} is not set up`);
		return this.folder;
	}

	/** `more`: workflows imported besides the Commvault tests' own (one import for all). */
	async setup(tarball: string, more: Workflow[] = []): Promise<void> {
		this.timing.started = Date.now();
		const install = await ensureN8n(this.spec.label);
		if (install.n8nVersion !== this.spec.n8n) throw new Error(`${this.spec.label} installed n8n ${install.n8nVersion}, not ${this.spec.n8n}`);
		const setupStarted = Date.now();
		const [httpUrl, httpsUrl] = [await this.http.start(), await this.https.start()];
		const uf = await makeUserFolder(install, tarball, { installMode: this.installMode });
		this.folder = uf;
		// The certificate example reads its .pfx from <home>/.n8n-files, the one folder n8n 2.x lets
		// Read/Write Files from Disk use by default (N8N_RESTRICT_FILE_ACCESS_TO = ~/.n8n-files).
		// HOME is the user folder, so the example runs with n8n's default file access.
		uf.env.HOME = uf.root;
		const pfxPath = path.join(uf.root, '.n8n-files', 'azure-app.pfx');
		fs.mkdirSync(path.dirname(pfxPath));
		fs.copyFileSync(AZURE_APP_PFX_PATH, pfxPath);

		const credentials = await importCredentials(uf, credentialFixtures(httpUrl, httpsUrl));
		const workflows = await importWorkflow(uf, [...allWorkflows(pfxPath), ...more]);
		this.printed.push(...printedSurfaces('import:credentials', credentials), ...printedSurfaces('import:workflow', workflows));
		this.timing.setupMs = Date.now() - setupStarted;
	}

	resetSimulators(): void {
		this.http.reset();
		this.https.reset();
	}

	/** `n8n execute` of one workflow; keeps what n8n printed and the login tokens issued, for the leak check. */
	async execute(workflowId: string): Promise<ExecuteResult> {
		const run = await executeWorkflow(this.uf, workflowId);
		this.timing.executeMs += run.durationMs;
		this.executions.push({ workflowId, status: run.status });
		this.printed.push(...printedSurfaces(`execute ${workflowId} (${run.status})`, run, userDataNodesOf(workflowId)));
		for (const login of [...this.http.requestsTo('POST', '/Login'), ...this.https.requestsTo('POST', '/Login')]) {
			const token = (login.responseBody as { token?: unknown } | undefined)?.token;
			if (typeof token === 'string') this.loginTokens.add(token);
		}
		return run;
	}

	get loginTokenCount(): number {
		return this.loginTokens.size;
	}

	/** Every secret the workflows and credentials hold, and every login token issued, in every form a leak could take. */
	canaries(): Canary[] {
		const typed = secretsOf({
			authtoken: DEFAULT_AUTHTOKEN,
			password: DEFAULT_USER.password,
			applicationSecret: APPLICATION_SECRET,
			certificatePassword: AZURE_APP_PFX_PASSWORD,
			refreshToken: REFRESH_TOKEN,
			certificate: PFX_BYTES,
		});
		const wrong = secretsOf({ password: WRONG_PASSWORD }).map((c) => ({ ...c, label: `wrong ${c.label}` }));
		const example = secretsOf({ applicationSecret: EXAMPLE_SECRET }).map((c) => ({ ...c, label: `example's ${c.label}` }));
		const tokens = [...this.loginTokens].flatMap((token) => [
			...secretsOf({ loginToken: token }),
			...secretsOf({ loginToken: token.replace(/^QSDK /, '') }),
		]);
		return [...typed, ...wrong, ...example, ...tokens];
	}

	/** The leaks (kind of secret and place) in what n8n printed so far and in the executions it stored. */
	async leaks(): Promise<{ leaks: string[]; stored: Array<[string, string]> }> {
		const stored = await storedExecutions(this.uf);
		return {
			leaks: findLeaks([...this.printed, ...storedSurfaces(stored, userDataNodesOf)], this.canaries()),
			stored: stored.map((e) => [e.workflowId, e.status]),
		};
	}

	async teardown(): Promise<void> {
		await this.http.stop();
		await this.https.stop();
		if (!this.timing.started) return;
		const count = this.executions.length;
		process.stderr.write(
			`[commvault e2e ${this.spec.label}: n8n ${this.spec.n8n}, installed by ${this.installMode}] setup (user folder + 2 imports) ${seconds(this.timing.setupMs)}, ` +
				`${count} executes ${seconds(this.timing.executeMs)} (${seconds(this.timing.executeMs / Math.max(count, 1))} each), ` +
				`total ${seconds(Date.now() - this.timing.started)}\n`,
		);
	}
}
