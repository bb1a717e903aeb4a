/**
 * What every Commvault e2e test file does the same way: the package packed once per file, and
 * assertions on a run that show all of n8n's output when they fail.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { RecordedRequest } from '../../testing/simulator';
import { cleanup, describeResult, packRepoPackage, type ExecuteResult } from '../../testing/e2e/n8n-cli';

/** A cold install of n8n happens in a beforeAll. */
export const HOOK_TIMEOUT = 30 * 60 * 1000;

/**
 * Packs the repository's package before the file's tests (`npm pack` into a temp folder named by
 * `prefix`) and, after them, stops what the harness started and removes the folder. Returns the
 * tarball's path, to call once the tests run.
 */
export function packedPackage(prefix: string): () => string {
	let tarball: string | undefined;
	let workDir: string | undefined;
	beforeAll(async () => {
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
		tarball = await packRepoPackage(workDir);
	}, HOOK_TIMEOUT);
	afterAll(async () => {
		await cleanup();
		if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
	});
	return () => {
		if (!tarball) throw new Error('the package is packed in beforeAll: ask for the tarball in a hook or a test');
		return tarball;
	};
}

/** Runs the assertions and, if one fails, adds all of n8n's output to its message. */
export function expectRun(run: ExecuteResult, assertions: () => void): void {
	try {
		assertions();
	} catch (error) {
		if (error instanceof Error) error.message = `${error.message}\n\n${describeResult(run)}`;
		throw error;
	}
}

/** Every request the simulator received matched Commvault's schema. */
export function expectSchemaValid(requests: RecordedRequest[]): void {
	expect(requests.filter((r) => !r.valid).map((r) => ({ call: `${r.method} ${r.path}`, errors: r.schemaErrors }))).toEqual([]);
}
