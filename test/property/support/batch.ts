/**
 * One engine run per batch: the node in n8n's WorkflowExecute with Continue On Fail, every case
 * an item of its own, against the property file's one simulator (reset before each batch).
 */
import fc from 'fast-check';

import { WORKLOADS } from '../../../nodes/Commvault/actions/apps/workloads';
import type { RunNodeResult } from '../../../testing/engine/run';
import { runCommvault } from '../../../testing/engine/support/commvault';
import type { CommvaultSimulator, RecordedRequest } from '../../../testing/simulator';
import { BATCH, CASES, COMBOS, configFor, NUM_RUNS, parametersFor, simWorkloadOf, type BatchConfig } from './inputs';

export interface Batch<Case> {
	config: BatchConfig;
	cases: Case[];
}

/** One batch of `caseOf(config)` for every workload and operation of the workload table. */
export function batchesOf<Case>(caseOf: (config: BatchConfig) => fc.Arbitrary<Case>): fc.Arbitrary<Array<Batch<Case>>> {
	return fc.tuple(
		...COMBOS.map(({ resource, operation }) =>
			configFor(resource, operation).chain((config) =>
				fc.array(caseOf(config), { minLength: BATCH, maxLength: BATCH }).map((cases) => ({ config, cases })),
			),
		),
	);
}

/** For Add Content: an existing app of the batch's workload per item, whose IDs the items name. */
export function seedApps(sim: CommvaultSimulator, config: BatchConfig, count: number): number[] {
	if (config.operation !== 'addContent') return [];
	const workload = simWorkloadOf(WORKLOADS[config.resource]);
	return Array.from({ length: count }, (_, k) => sim.addApp({ name: `Existing ${workload} ${k}`, workload }).id);
}

export async function runBatch(sim: CommvaultSimulator, config: BatchConfig, items: Parameters<typeof runCommvault>[1]['items']): Promise<RunNodeResult> {
	return await runCommvault(sim, { parameters: parametersFor(config), items, continueOnFail: true });
}

/** The requests that would change something in Commvault: a create or a content step. */
export function changes(sim: CommvaultSimulator): RecordedRequest[] {
	return sim.requests.filter((request) => request.method === 'POST' ? request.path !== '/Login' : request.method === 'PUT');
}

/** JSON with every character outside printable ASCII spelt out, so that a failure shows the marks it is about. */
export function visible(value: unknown): string {
	return JSON.stringify(value).replace(/[^\x20-\x7e]/gu, (character) => `\\u{${(character.codePointAt(0) ?? 0).toString(16)}}`);
}

/**
 * Runs one case's checks; a failure names the batch, the item and its input. Property runs are
 * whole batches of engine runs, too costly to shrink, so the failure must say itself which case it is.
 */
export function forCase(config: BatchConfig, k: number, input: unknown, check: () => void): void {
	try {
		check();
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		throw new Error(`${config.resource} ${config.operation}, item ${k} of a batch ${visible(config)}\ninput: ${visible(input)}\n${message}`);
	}
}

/**
 * fast-check's settings for a property whose runs are batches: no shrinking (see forCase), and a
 * failure that says how to run the same cases again instead of printing every batch.
 */
export function propertyOptions(numRuns: number): fc.Parameters<unknown> {
	const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
	return {
		numRuns,
		endOnFailure: true,
		...(seed === undefined ? {} : { seed }),
		reporter(details) {
			if (!details.failed) return;
			const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
			throw new Error(`Property failed at run ${details.numRuns} of ${numRuns}; the same cases again: FUZZ_SEED=${details.seed}\n${cause}`);
		},
	};
}

/** The test's budget: generous, since a loaded 2-core machine runs the other files beside it. */
function timeoutFor(cases: number): number {
	return 60_000 + cases * 40;
}

/** A property as one jest test: at least CASES generated cases, in batches, each batch checked by `check`. */
export function propertyTest<Case>(
	title: string,
	caseOf: (config: BatchConfig) => fc.Arbitrary<Case>,
	check: (config: BatchConfig, cases: Case[]) => Promise<void>,
): void {
	it(
		`${title} (${CASES} cases)`,
		async () => {
			let checked = 0;
			await fc.assert(
				fc.asyncProperty(batchesOf(caseOf), async (batches) => {
					for (const { config, cases } of batches) {
						await check(config, cases);
						checked += cases.length;
					}
				}),
				propertyOptions(NUM_RUNS),
			);
			expect(checked).toBeGreaterThanOrEqual(CASES);
		},
		timeoutFor(CASES),
	);
}
