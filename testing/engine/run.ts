import { randomUUID } from 'node:crypto';

import type { BinaryDataService } from 'n8n-core';
import { WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	IWorkflowBase,
	OnError,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { TestCredentialsHelper, type PreAuthenticationCall } from './credentials-helper';
import { withEngine, type BinaryMode, type EngineContext } from './engine-context';
import {
	NodeTypeRegistry,
	latestVersion,
	toCredentialType,
	toNodeType,
	type CredentialTypeInput,
	type NodeTypeInput,
} from './node-types';

/** Package prefix n8n gives community node types when it loads them. */
export const DEFAULT_PACKAGE_NAME = 'n8n-nodes-commvault';

export const INPUT_NODE_NAME = 'Input Items';
const INPUT_NODE_TYPE = 'n8n-nodes-engine-harness.inputItems';

/** Binary content for an input item; `data` is base64 text or raw bytes. */
export interface InputBinary {
	data: string | Buffer;
	mimeType?: string;
	fileName?: string;
}

export interface InputItem {
	json: IDataObject;
	binary?: Record<string, InputBinary>;
}

/** One node of the chain that runs after the input node. */
export interface NodeSpec {
	nodeType: NodeTypeInput;
	parameters: INodeParameters;
	/** Defaults to the type's default node name (made unique along the chain). */
	name?: string;
	/** Defaults to the version the editor would pick for a new node. */
	typeVersion?: number;
	/** The node setting "On Error → Continue"; stored as `onError: 'continueRegularOutput'` like the editor does. */
	continueOnFail?: boolean;
	/** Explicit "On Error" setting; wins over `continueOnFail`. */
	onError?: OnError;
	/** Extra node settings (retryOnFail, alwaysOutputData, ...). */
	settings?: Partial<Pick<INode, 'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'alwaysOutputData' | 'executeOnce'>>;
}

export interface RunWorkflowOptions {
	/** Nodes run in this order: Input Items → chain[0] → chain[1] → … */
	chain: NodeSpec[];
	items: InputItem[];
	credentialTypes?: CredentialTypeInput[];
	/** Decrypted credential data keyed by credential type name; every chain node gets all of them. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** 'filesystem' keeps binary bytes in n8n's file store instead of inside the item. */
	binaryMode?: BinaryMode;
	/** Execution mode; 'manual' is the editor's "Execute workflow". */
	mode?: WorkflowExecuteMode;
	/** Package prefix for node type names; defaults to this project's package. */
	packageName?: string;
	/** Also print captured log lines to stderr (debugging aid). */
	echoLogs?: boolean;
	/**
	 * Shares one credential store between runs, as executions of one n8n process share the
	 * database: what one run's sign-in stores, the other reads. Default: a store of this run's own.
	 */
	credentialsHelper?: TestCredentialsHelper;
	/**
	 * The id of the credential each node uses, by type (default `cred-<type>`): one saved in
	 * `credentialsHelper` under that id (see TestCredentialsHelper.save).
	 */
	credentialIds?: Record<string, string>;
	/** Cancels the execution this long after it started, as the editor's "Stop" button does. */
	cancelAfterMs?: number;
}

export interface NodeRunResult {
	name: string;
	/** Main output 0 as n8n recorded it (items carry `pairedItem`). */
	items: INodeExecutionData[];
	/** All main outputs. */
	outputs: INodeExecutionData[][];
	/**
	 * The node's error as n8n stores it in runData. NOTE: n8n stores a spread
	 * copy (`{...error, message, stack}`), so this is a plain object carrying
	 * the error's fields (name, httpCode, description, context, …), not an
	 * instance of NodeApiError/NodeOperationError.
	 */
	error?: ExecutionError;
	/** Bytes of every output binary property, read back before the run's temp store is deleted. */
	binary: Array<Record<string, Buffer>>;
}

export interface WorkflowRunResult {
	run: IRun;
	status: IRun['status'];
	runData: IRunData;
	/** Names the chain nodes got, in chain order. */
	nodeNames: string[];
	/** Per chain node, keyed by node name; nodes that never ran are absent. */
	nodes: Record<string, NodeRunResult>;
	/** The execution-level error (the failing node's error when it did not continue). */
	error?: ExecutionError;
	/** Every line logged through n8n's loggers during the run, metadata included. */
	logs: string[];
	preAuthenticationCalls: PreAuthenticationCall[];
	/** Credential data as "saved" at the end of the run (e.g. with a refreshed token). */
	storedCredentials: Record<string, ICredentialDataDecryptedObject>;
	/** The run's temporary n8n user folder (binary store etc.); already deleted when you see it. */
	userFolder: string;
}

export interface RunNodeOptions extends Omit<RunWorkflowOptions, 'chain'>, NodeSpec {}

export interface RunNodeResult extends NodeRunResult, Omit<WorkflowRunResult, 'nodes' | 'nodeNames'> {}

/**
 * Run one node end to end inside n8n-core's WorkflowExecute, fed by an
 * input node that emits `items`.
 */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	return nodeResultOf(await runWorkflow(asWorkflow(options)));
}

/** Several single-node runs at the same time in one engine (see runWorkflowsAtOnce). */
export async function runNodesAtOnce(runs: RunNodeOptions[]): Promise<RunNodeResult[]> {
	return (await runWorkflowsAtOnce(runs.map(asWorkflow))).map(nodeResultOf);
}

function asWorkflow(options: RunNodeOptions): RunWorkflowOptions {
	const { nodeType, parameters, name, typeVersion, continueOnFail, onError, settings, ...rest } = options;
	return { ...rest, chain: [{ nodeType, parameters, name, typeVersion, continueOnFail, onError, settings }] };
}

function nodeResultOf(result: WorkflowRunResult): RunNodeResult {
	const { nodes, nodeNames, ...workflowResult } = result;
	const nodeResult = nodes[nodeNames[0]] ?? emptyNodeResult(nodeNames[0]);
	return { ...workflowResult, ...nodeResult, error: nodeResult.error ?? workflowResult.error };
}

/** Run a chain of nodes end to end inside n8n-core's WorkflowExecute. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	return await withEngine(options, async (engine) => await runIn(engine, options));
}

/**
 * Several workflows executing at the same time in one engine, as one n8n process (a queue-mode
 * worker) runs them: pass one `credentialsHelper` to make them share the stored credential.
 */
export async function runWorkflowsAtOnce(runs: RunWorkflowOptions[]): Promise<WorkflowRunResult[]> {
	if (runs.length === 0) return [];
	return await withEngine(runs[0], async (engine) => await Promise.all(runs.map(async (options) => await runIn(engine, options))));
}

async function runIn(engine: EngineContext, options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	if (options.chain.length === 0) throw new Error('testing/engine: chain must contain a node');
	const mode = options.mode ?? 'manual';
	const packageName = options.packageName ?? DEFAULT_PACKAGE_NAME;
	const credentialData = options.credentials ?? {};

	const credentialsHelper =
		options.credentialsHelper ?? new TestCredentialsHelper((options.credentialTypes ?? []).map(toCredentialType), credentialData);

	const registry = new NodeTypeRegistry();
	registry.register(INPUT_NODE_TYPE, inputItemsNodeType(options.items));
	const inputNode: INode = {
		id: randomUUID(),
		name: INPUT_NODE_NAME,
		type: INPUT_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};

	const credentialIds = options.credentialIds ?? {};
	const nodeCredentials = Object.fromEntries(
		[...new Set([...Object.keys(credentialData), ...Object.keys(credentialIds)])].map((type) => {
			const id = credentialIds[type];
			return [type, id === undefined ? { id: `cred-${type}`, name: `${type} (test)` } : { id, name: `${type} ${id}` }];
		}),
	);
	const chainNodes = buildChainNodes(options.chain, registry, packageName, nodeCredentials);
	const nodes = [inputNode, ...chainNodes];
	const connections = linearConnections(nodes);

	const workflowData: IWorkflowBase = {
		id: 'engineHarnessWf',
		name: 'testing/engine workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
	// The Workflow constructor fills parameter defaults into each node, as
	// n8n does when it loads a saved workflow.
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes,
		connections,
		active: false,
		nodeTypes: registry,
		settings: workflowData.settings,
	});

	const executionId = String(Date.now());
	const additionalData = buildAdditionalData({
		credentialsHelper,
		executionId,
		mode,
		workflowData,
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode);
	// run() would only say "workflow has issues"; report which ones.
	const issues = workflowExecute.checkReadyForExecution(workflow, { startNode: inputNode.name });
	if (issues !== null) {
		throw new Error(`testing/engine: workflow has issues: ${JSON.stringify(issues)}`);
	}

	const running = workflowExecute.run(workflow, inputNode);
	const cancelAfterMs = options.cancelAfterMs;
	const cancelling = cancelAfterMs === undefined ? undefined : setTimeout(() => running.cancel(), cancelAfterMs);
	const run = await running.finally(() => clearTimeout(cancelling));
	const runData = run.data.resultData.runData;

	const nodeResults: Record<string, NodeRunResult> = {};
	for (const node of chainNodes) {
		const taskData = runData[node.name]?.[0];
		if (taskData === undefined) continue;
		const outputs = (taskData.data?.[NodeConnectionTypes.Main] ?? []).map((output) => output ?? []);
		nodeResults[node.name] = {
			name: node.name,
			items: outputs[0] ?? [],
			outputs,
			error: taskData.error,
			binary: await readOutputBinary(engine.binaryDataService, outputs[0] ?? []),
		};
	}

	const storedCredentials: Record<string, ICredentialDataDecryptedObject> = {};
	for (const type of Object.keys(nodeCredentials)) {
		const stored = credentialsHelper.storedData(credentialIds[type] ?? type);
		if (stored !== undefined) storedCredentials[type] = stored;
	}

	return {
		run,
		status: run.status,
		runData,
		nodeNames: chainNodes.map((node) => node.name),
		nodes: nodeResults,
		error: run.data.resultData.error,
		logs: [...engine.logger.lines],
		preAuthenticationCalls: [...credentialsHelper.preAuthenticationCalls],
		storedCredentials,
		userFolder: engine.userFolder,
	};
}

function buildChainNodes(
	chain: NodeSpec[],
	registry: NodeTypeRegistry,
	packageName: string,
	credentials: INode['credentials'],
): INode[] {
	const usedNames = new Set<string>([INPUT_NODE_NAME]);
	return chain.map((spec, index) => {
		const type = toNodeType(spec.nodeType);
		const typeName = `${packageName}.${type.description.name}`;
		registry.register(typeName, type);

		let name = spec.name ?? defaultNodeName(type);
		for (let suffix = 1; usedNames.has(name); suffix++) name = `${spec.name ?? defaultNodeName(type)}${suffix}`;
		usedNames.add(name);

		const onError = spec.onError ?? (spec.continueOnFail ? 'continueRegularOutput' : undefined);
		return {
			id: randomUUID(),
			name,
			type: typeName,
			typeVersion: spec.typeVersion ?? latestVersion(type),
			position: [250 * (index + 1), 0],
			parameters: structuredClone(spec.parameters),
			credentials: structuredClone(credentials),
			...(onError === undefined ? {} : { onError }),
			...spec.settings,
		};
	});
}

function defaultNodeName(type: ReturnType<typeof toNodeType>): string {
	const { description } = type;
	const defaults = 'defaults' in description ? description.defaults : undefined;
	return defaults?.name ?? description.displayName;
}

function linearConnections(nodes: INode[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = {
			[NodeConnectionTypes.Main]: [[{ node: nodes[i + 1].name, type: NodeConnectionTypes.Main, index: 0 }]],
		};
	}
	return connections;
}

/**
 * The harness's own source node. Binary goes through prepareBinaryData so
 * that, in filesystem mode, the bytes really live in n8n's binary store and
 * the node under test can only reach them through the binary helpers.
 */
function inputItemsNodeType(items: InputItem[]): INodeType {
	return {
		description: {
			displayName: 'Input Items',
			name: 'inputItems',
			group: ['input'],
			version: 1,
			description: 'Emits the items a test provides',
			defaults: { name: INPUT_NODE_NAME },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const output: INodeExecutionData[] = [];
			for (const item of items) {
				const entry: INodeExecutionData = { json: structuredClone(item.json) };
				if (item.binary !== undefined) {
					entry.binary = {};
					for (const [property, binary] of Object.entries(item.binary)) {
						const bytes = typeof binary.data === 'string' ? Buffer.from(binary.data, 'base64') : binary.data;
						entry.binary[property] = await this.helpers.prepareBinaryData(
							bytes,
							binary.fileName,
							binary.mimeType,
						);
					}
				}
				output.push(entry);
			}
			return [output];
		},
	};
}

/**
 * Items without binary data cost nothing here: the bench reads its memory peak after a run, and
 * 10,000 output items must not add 10,000 promises and objects to it.
 */
async function readOutputBinary(
	binaryDataService: BinaryDataService,
	items: INodeExecutionData[],
): Promise<Array<Record<string, Buffer>>> {
	const none = Object.freeze({}) as Record<string, Buffer>;
	const read: Array<Record<string, Buffer>> = new Array<Record<string, Buffer>>(items.length).fill(none);
	for (let index = 0; index < items.length; index++) {
		const item = items[index];
		if (!item.binary) continue;
		const buffers: Record<string, Buffer> = {};
		for (const [property, binary] of Object.entries(item.binary)) {
			buffers[property] = await binaryDataService.getAsBuffer(binary);
		}
		read[index] = buffers;
	}
	return read;
}

function emptyNodeResult(name: string): NodeRunResult {
	return { name, items: [], outputs: [], binary: [] };
}
