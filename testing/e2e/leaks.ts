/**
 * Secret canaries in what real n8n prints and stores: the stdout/stderr of every n8n command and
 * the executions saved in its database. Each canary (from testing/engine/support/canaries: as typed,
 * base64, a slice of the certificate's base64) is searched as text; a leak is reported by the kind
 * of secret and where it was, never by its value.
 *
 * Two things are not searched, because they are the user's own workflow and data, not something
 * the node emitted:
 * - `executionData.nodeExecutionStack[].node.parameters`: when a node fails, n8n keeps that node
 *   as saved in the workflow (with whatever the user typed into it, password fields included) in
 *   the execution so it can be retried, and `n8n execute` prints it. The node cannot change that
 *   copy (n8n hands nodes only a deep copy of themselves); its own error's `node.parameters` IS
 *   searched, and there the router must have redacted secrets.
 * - the run data of nodes named in `userDataNodes` (e.g. a Set node that holds a certificate as
 *   base64 because the test made it that way, or the examples' "Edit me before the first run"
 *   with the secrets users type in), and where n8n keeps that output as the input of the node that
 *   failed after it (`nodeExecutionStack[].data`, again to retry).
 */
import type { Canary } from '../engine/support/canaries';
import { splitExecutionOutput, type CliResult, type RunExecutionDataJson, type StoredExecution } from './n8n-cli';

export interface Surface {
	place: string;
	text: string;
}

const N8N_COPY_OF_FAILED_NODE = '[not searched: n8n keeps the failed node as saved in the workflow]';

/**
 * The parts of the copy that get replaced, typed loosely: markers (strings) take their place, and
 * n8n versions other than the typings' may lack any of them.
 */
interface StackEntryCopy {
	node?: { parameters?: unknown };
	data?: unknown;
	source?: { main?: Array<{ previousNode?: string } | null> } | null;
}

interface RunExecutionDataCopy {
	executionData?: { nodeExecutionStack?: Array<StackEntryCopy | null> };
	resultData?: { runData?: Record<string, unknown> };
}

/** A copy of run execution data (IRunExecutionData) without the parts listed in the file comment. */
export function withoutUserData(
	runExecutionData: RunExecutionDataJson | undefined,
	userDataNodes: string[] = [],
): RunExecutionDataCopy {
	const copy = JSON.parse(JSON.stringify(runExecutionData ?? {})) as RunExecutionDataCopy;
	for (const entry of copy.executionData?.nodeExecutionStack ?? []) {
		if (entry?.node?.parameters) entry.node.parameters = N8N_COPY_OF_FAILED_NODE;
		const from = (entry?.source?.main ?? []).map((source) => source?.previousNode);
		if (entry?.data && from.some((name) => name !== undefined && userDataNodes.includes(name))) {
			entry.data = `[not searched: the output of ${from.join(', ')}, the test's own data, kept as the failed node's input]`;
		}
	}
	const runData = copy.resultData?.runData ?? {};
	for (const name of userDataNodes) {
		if (runData[name]) runData[name] = `[not searched: ${name} holds the test's own data]`;
	}
	return copy;
}

/** What an n8n command printed, as text to search; for `execute`, the run JSON without user data. */
export function printedSurfaces(label: string, result: CliResult, userDataNodes: string[] = []): Surface[] {
	const split = splitExecutionOutput(result.stdout);
	const surfaces: Surface[] = [{ place: `${label}: stderr`, text: result.stderr }];
	if (!split) return [...surfaces, { place: `${label}: stdout`, text: result.stdout }];
	const { data, ...envelope } = split.execution;
	return [
		...surfaces,
		{ place: `${label}: stdout outside the run JSON`, text: split.rest },
		{ place: `${label}: printed run JSON`, text: JSON.stringify({ ...envelope, data: withoutUserData(data, userDataNodes) }) },
	];
}

export function storedSurfaces(executions: StoredExecution[], userDataNodesOf: (workflowId: string) => string[]): Surface[] {
	return executions.map((execution) => ({
		place: `stored execution ${execution.id} of workflow ${execution.workflowId}`,
		text: JSON.stringify(withoutUserData(execution.data, userDataNodesOf(execution.workflowId))),
	}));
}

/** `"<kind of secret> in <place>"` for every canary found; empty when nothing leaked. */
export function findLeaks(surfaces: Surface[], canaries: Canary[]): string[] {
	if (canaries.length === 0) throw new Error('findLeaks: no canaries given, the check would prove nothing');
	return surfaces.flatMap(({ place, text }) =>
		canaries.filter((canary) => text.includes(canary.value)).map((canary) => `${canary.label} in ${place}`),
	);
}
