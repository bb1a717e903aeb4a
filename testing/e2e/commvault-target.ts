/**
 * One n8n version under test, set up once for all Commvault cases: a user folder with the packed
 * package (example-folder.ts), a plain-HTTP and a self-signed-HTTPS simulator, all credentials and
 * all workflows imported (one n8n command each: every command starts n8n), and a record of
 * everything n8n printed and every login token the simulators issued, for the leak check at the end.
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
import { ExampleFolder } from './example-folder';
import { ensureN8n, type ExecuteResult, type InstallMode, type N8nTargetSpec, type UserFolder } from './n8n-cli';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The login tokens a simulator has issued so far (its `POST /Login` answers). */
export function loginTokensIssued(sim: CommvaultSimulator): string[] {
	return sim.requestsTo('POST', '/Login').flatMap((login) => {
		const token = (login.responseBody as { token?: unknown } | undefined)?.token;
		return typeof token === 'string' ? [token] : [];
	});
}

/** Login tokens as leak canaries, with and without Commvault's `QSDK ` prefix. */
export function loginTokenCanaries(tokens: Iterable<string>): Canary[] {
	return [...tokens].flatMap((token) => [...secretsOf({ loginToken: token }), ...secretsOf({ loginToken: token.replace(/^QSDK /, '') })]);
}

export class CommvaultTarget {
	readonly http = new CommvaultSimulator();
	readonly https = new CommvaultSimulator({ tls: true });
	/** Workflow id and status of every execute, in order. */
	readonly executions: Array<{ workflowId: string; status?: string }> = [];
	private readonly folder = new ExampleFolder();
	private readonly loginTokens = new Set<string>();
	private readonly timing = { started: 0, setupMs: 0, executeMs: 0 };

	constructor(
		readonly spec: N8nTargetSpec,
		readonly installMode: InstallMode = 'n8n',
	) {}

	get uf(): UserFolder {
		return this.folder.uf;
	}

	/** `more`: workflows imported besides the Commvault tests' own (one import for all). */
	async setup(tarball: string, more: Workflow[] = []): Promise<void> {
		this.timing.started = Date.now();
		const install = await ensureN8n(this.spec.label);
		if (install.n8nVersion !== this.spec.n8n) throw new Error(`${this.spec.label} installed n8n ${install.n8nVersion}, not ${this.spec.n8n}`);
		const setupStarted = Date.now();
		const [httpUrl, httpsUrl] = [await this.http.start(), await this.https.start()];
		const uf = await this.folder.open(this.spec.label, tarball, { installMode: this.installMode });
		// The certificate example reads its .pfx from <home>/.n8n-files, the one folder n8n 2.x lets
		// Read/Write Files from Disk use by default (N8N_RESTRICT_FILE_ACCESS_TO = ~/.n8n-files).
		// HOME is the user folder, so the example runs with n8n's default file access.
		uf.env.HOME = uf.root;
		const pfxPath = path.join(uf.root, '.n8n-files', 'azure-app.pfx');
		fs.mkdirSync(path.dirname(pfxPath));
		fs.copyFileSync(AZURE_APP_PFX_PATH, pfxPath);

		await this.folder.import(credentialFixtures(httpUrl, httpsUrl), [...allWorkflows(pfxPath), ...more]);
		this.timing.setupMs = Date.now() - setupStarted;
	}

	resetSimulators(): void {
		this.http.reset();
		this.https.reset();
	}

	/** `n8n execute` of one workflow; keeps what n8n printed and the login tokens issued, for the leak check. */
	async execute(workflowId: string): Promise<ExecuteResult> {
		const run = await this.folder.execute(workflowId, userDataNodesOf(workflowId));
		this.timing.executeMs += run.durationMs;
		this.executions.push({ workflowId, status: run.status });
		for (const token of [...loginTokensIssued(this.http), ...loginTokensIssued(this.https)]) this.loginTokens.add(token);
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
		return [...typed, ...wrong, ...example, ...loginTokenCanaries(this.loginTokens)];
	}

	/** The leaks (kind of secret and place) in what n8n printed so far and in the executions it stored. */
	async leaks(): Promise<{ leaks: string[]; stored: Array<[string, string]> }> {
		const { leaks, stored } = await this.folder.leaks(this.canaries(), userDataNodesOf);
		return { leaks, stored: stored.map((e) => [e.workflowId, e.status]) };
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
