import { randomUUID } from 'node:crypto';

import { Container } from '@n8n/di';
import { Logger as BackendLogger } from '@n8n/backend-common';
import { ActiveWorkflows, ErrorReporter, PollContext, WorkflowExecute } from 'n8n-core';
// Not re-exported by n8n-core's index: the scheduler's type, what ActiveWorkflows runs each poll
// through, and the Poll Times field n8n's loader gives every polling node.
import type { ScheduledTaskManager } from 'n8n-core/dist/execution-engine/scheduled-task-manager';
import { TriggersAndPollers } from 'n8n-core/dist/execution-engine/triggers-and-pollers';
import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import type {
	CronContext,
	ExecutionError,
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWorkflowBase,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { TestCredentialsHelper } from './credentials-helper';
import { withEngine } from './engine-context';
import { NodeTypeRegistry, latestVersion, toCredentialType, toNodeType, type CredentialTypeInput, type NodeTypeInput } from './node-types';
import { DEFAULT_PACKAGE_NAME } from './run';

export interface PollerOptions {
	nodeType: NodeTypeInput;
	parameters: INodeParameters;
	credentialTypes?: CredentialTypeInput[];
	/** Decrypted credential data keyed by type; the node gets every one of them. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The workflow's static data as n8n's database holds it before the first activation. */
	staticData?: IDataObject;
	echoLogs?: boolean;
}

/** What one poll did: the items it emitted (null: none, no execution), or the error n8n reported. */
export interface PollOutcome {
	items: INodeExecutionData[] | null;
	error?: Error;
}

/**
 * An active workflow holding one polling trigger, run by n8n-core's own ActiveWorkflows (its
 * `activatePolling`: the poll at activation, then one per cron tick) with n8n-core's PollContext
 * and TriggersAndPollers. Only the clock is the test's: the cron ticks are `tick()` calls.
 * Static data is kept as n8n's main process keeps it: the Workflow object's, saved to the
 * "database" (`saved`) after the activation and whenever a poll emits, as n8n's
 * ActiveWorkflowManager does; `restart()` loses what was not saved, and activates again from the
 * database with n8n's startup mode (`init`).
 */
export class ActivePoller {
	/** The static data as n8n's database holds it (a JSON copy). */
	saved: IDataObject;

	/** Every poll's emitted items, in order. */
	readonly emitted: INodeExecutionData[][] = [];

	readonly errors: Error[] = [];

	private ticks: Array<() => unknown> = [];

	private workflow?: Workflow;

	private readonly activeWorkflows: ActiveWorkflows;

	private readonly registry = new NodeTypeRegistry();

	private readonly node: INode;

	private readonly credentialsHelper: TestCredentialsHelper;

	constructor(options: PollerOptions) {
		this.saved = structuredClone(options.staticData ?? {});
		({ node: this.node, credentialsHelper: this.credentialsHelper } = triggerNode(options, this.registry));
		const scheduler: Pick<ScheduledTaskManager, 'registerCron' | 'deregisterCrons'> = {
			registerCron: (_ctx: CronContext, onTick: () => void) => this.ticks.push(onTick),
			deregisterCrons: () => {
				this.ticks = [];
			},
		};
		const logger = Container.get(BackendLogger);
		this.activeWorkflows = new ActiveWorkflows(logger, scheduler as ScheduledTaskManager, new TriggersAndPollers(), Container.get(ErrorReporter));
	}

	/** The static data of the activation under way (what the node reads and writes). */
	get staticData(): IDataObject {
		if (!this.workflow) throw new Error('testing/engine: the workflow is not active');
		return this.workflow.getStaticData('node', this.node);
	}

	/** Activates the workflow from the database: the first poll runs now, and a failing one fails the activation. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<PollOutcome> {
		const workflow = new Workflow({
			id: 'pollerWf',
			name: 'testing/engine poller',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: this.registry,
			staticData: structuredClone(this.saved),
			settings: { executionOrder: 'v1' },
		});
		this.workflow = workflow;
		const additionalData = buildAdditionalData({ credentialsHelper: this.credentialsHelper, executionId: `poll-${Date.now()}`, mode: 'trigger', workflowData: workflowDataOf(workflow) });
		const outcome = await this.observe(async () => {
			await this.activeWorkflows.add(
				workflow.id,
				workflow,
				additionalData,
				'trigger',
				activation,
				() => {
					throw new Error('testing/engine: the poller holds no trigger node');
				},
				(pollWorkflow, node, data, mode, activationMode) =>
					new PollContext(
						pollWorkflow,
						node,
						data,
						mode,
						activationMode,
						(items) => this.emit(pollWorkflow, items),
						(error) => this.errors.push(error),
					),
			);
		});
		this.save(workflow);
		return outcome;
	}

	/** One cron tick: one poll, as the scheduler would start it. */
	async tick(): Promise<PollOutcome> {
		if (this.ticks.length === 0) throw new Error('testing/engine: nothing is scheduled (activate first)');
		return await this.observe(async () => {
			for (const onTick of this.ticks) await onTick();
		});
	}

	/** The user turns the workflow off. */
	async deactivate(): Promise<void> {
		await this.activeWorkflows.remove('pollerWf');
		this.workflow = undefined;
	}

	/** n8n stops (what it did not save is lost) and starts again, activating the workflow as at startup. */
	async restart(): Promise<PollOutcome> {
		await this.deactivate();
		return await this.activate('init');
	}

	/** Every emitted item's json, in order. */
	get emittedJson(): IDataObject[] {
		return this.emitted.flatMap((items) => items.map((item) => item.json));
	}

	private emit(workflow: Workflow, items: INodeExecutionData[][]): void {
		this.save(workflow);
		this.emitted.push(items[0] ?? []);
	}

	/** As n8n's WorkflowStaticDataService.saveStaticData: only when the node changed it. */
	private save(workflow: Workflow): void {
		if (workflow.staticData.__dataChanged !== true) return;
		this.saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		workflow.staticData.__dataChanged = false;
	}

	private async observe(poll: () => Promise<void>): Promise<PollOutcome> {
		const emitted = this.emitted.length;
		const errors = this.errors.length;
		try {
			await poll();
		} catch (error) {
			return { items: null, error: error as Error };
		}
		return { items: this.emitted.length > emitted ? this.emitted[this.emitted.length - 1] : null, error: this.errors[errors] };
	}
}

/** Runs `body` with an active poller in a fresh n8n engine (one at a time, as every engine run). */
export async function withPoller<T>(options: PollerOptions, body: (poller: ActivePoller) => Promise<T>): Promise<T> {
	return await withEngine({ echoLogs: options.echoLogs }, async () => {
		const poller = new ActivePoller(options);
		try {
			return await body(poller);
		} finally {
			await poller.deactivate().catch(() => undefined);
		}
	});
}

export interface FetchTestEventResult {
	items: INodeExecutionData[];
	error?: ExecutionError;
}

/**
 * The editor's "Fetch Test Event": n8n's WorkflowExecute runs the workflow in manual mode from the
 * trigger, which calls its poll with a PollContext of mode `manual`.
 */
export async function fetchTestEvent(options: PollerOptions): Promise<FetchTestEventResult> {
	return await withEngine({ echoLogs: options.echoLogs }, async () => {
		const registry = new NodeTypeRegistry();
		const { node, credentialsHelper } = triggerNode(options, registry);
		const workflow = new Workflow({ id: 'fetchTestEventWf', nodes: [node], connections: {}, active: false, nodeTypes: registry, settings: { executionOrder: 'v1' } });
		const additionalData = buildAdditionalData({ credentialsHelper, executionId: `test-event-${Date.now()}`, mode: 'manual', workflowData: workflowDataOf(workflow) });
		const run = await new WorkflowExecute(additionalData, 'manual').run(workflow, node);
		const taskData = run.data.resultData.runData[node.name]?.[0];
		return { items: taskData?.data?.[NodeConnectionTypes.Main]?.[0] ?? [], error: taskData?.error ?? run.data.resultData.error };
	});
}

/** The trigger as a workflow holds it (its type registered as n8n loads it), and a credential store with the test's credentials. */
function triggerNode(options: PollerOptions, registry: NodeTypeRegistry): { node: INode; credentialsHelper: TestCredentialsHelper } {
	const type = loadedAsN8nLoadsIt(toNodeType(options.nodeType) as INodeType);
	const typeName = `${DEFAULT_PACKAGE_NAME}.${type.description.name}`;
	registry.register(typeName, type);
	const credentialData = options.credentials ?? {};
	const node: INode = {
		id: randomUUID(),
		name: type.description.defaults.name ?? type.description.displayName,
		type: typeName,
		typeVersion: latestVersion(type),
		position: [0, 0],
		parameters: structuredClone(options.parameters),
		credentials: Object.fromEntries(Object.keys(credentialData).map((credentialType) => [credentialType, { id: `cred-${credentialType}`, name: credentialType }])),
	};
	return { node, credentialsHelper: new TestCredentialsHelper((options.credentialTypes ?? []).map(toCredentialType), credentialData) };
}

/** The node type as n8n's loader hands it out (its applySpecialNodeParameters): a polling node gets n8n's Poll Times field first. */
function loadedAsN8nLoadsIt(type: INodeType): INodeType {
	const copy: INodeType = Object.create(type) as INodeType;
	const { properties, polling } = type.description;
	copy.description = { ...type.description, properties: polling ? [...commonPollingParameters, ...properties] : [...properties] };
	return copy;
}

function workflowDataOf(workflow: Workflow): IWorkflowBase {
	return {
		id: workflow.id,
		name: workflow.name ?? '',
		active: workflow.active,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		settings: workflow.settings,
	};
}
