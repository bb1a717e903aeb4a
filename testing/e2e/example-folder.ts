/**
 * An n8n user folder for examples: the package installed, credentials and workflows imported (one
 * n8n command each: every command starts n8n), `n8n execute` runs, and everything n8n printed kept
 * for the leak check at the end. CommvaultTarget builds on it; a test that brings its own
 * credentials (and servers) uses it directly:
 *
 * ```ts
 * const folder = new ExampleFolder();
 * beforeAll(() => folder.setup(spec.label, tarball(), credentials(url), [loadExample(FILE)]), HOOK_TIMEOUT);
 * const run = await folder.execute(WORKFLOW_ID);
 * const { leaks, stored } = await folder.leaks(canaries);
 * ```
 */
import type { Canary } from '../engine/support/canaries';
import { findLeaks, printedSurfaces, storedSurfaces, type Surface } from './leaks';
import {
	ensureN8n,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	makeUserFolder,
	storedExecutions,
	type CredentialFixture,
	type ExecuteResult,
	type MakeUserFolderOptions,
	type StoredExecution,
	type UserFolder,
	type WorkflowFixture,
} from './n8n-cli';

/** Nodes whose run data is the user's own (leaks.ts does not search it), by workflow. */
type UserDataNodesOf = (workflowId: string) => string[];

export class ExampleFolder {
	private folder?: UserFolder;

	private readonly printed: Surface[] = [];

	get uf(): UserFolder {
		if (!this.folder) throw new Error('the n8n user folder is not set up');
		return this.folder;
	}

	/** The user folder with the package, nothing imported yet (the n8n of versions.json named by `label`). */
	async open(label: string, tarball: string, options: MakeUserFolderOptions = {}): Promise<UserFolder> {
		this.folder = await makeUserFolder(await ensureN8n(label), tarball, options);
		return this.folder;
	}

	async import(credentials: CredentialFixture[], workflows: WorkflowFixture[]): Promise<void> {
		this.printed.push(...printedSurfaces('import:credentials', await importCredentials(this.uf, credentials)));
		this.printed.push(...printedSurfaces('import:workflow', await importWorkflow(this.uf, workflows)));
	}

	async setup(label: string, tarball: string, credentials: CredentialFixture[], workflows: WorkflowFixture[]): Promise<void> {
		await this.open(label, tarball);
		await this.import(credentials, workflows);
	}

	async execute(workflowId: string, userDataNodes: string[] = []): Promise<ExecuteResult> {
		const run = await executeWorkflow(this.uf, workflowId);
		this.printed.push(...printedSurfaces(`execute ${workflowId} (${run.status})`, run, userDataNodes));
		return run;
	}

	/** The executions n8n stored, and where any of `canaries` is in them or in what n8n printed so far. */
	async leaks(canaries: Canary[], userDataNodesOf: UserDataNodesOf = () => []): Promise<{ leaks: string[]; stored: StoredExecution[] }> {
		const stored = await storedExecutions(this.uf);
		return { leaks: findLeaks([...this.printed, ...storedSurfaces(stored, userDataNodesOf)], canaries), stored };
	}
}
