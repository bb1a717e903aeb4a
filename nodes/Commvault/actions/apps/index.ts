/**
 * Every Commvault app resource, built from the workload table: the Resource list, each
 * resource's Operation list and fields, the canvas subtitle, and the operation the router runs.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { CommvaultOperation } from '../types';
import { addContentOperation } from './addContent.operation';
import { createOperation } from './create.operation';
import { WORKLOAD_NAMES, WORKLOADS, workloadOf, type Workload, type WorkloadName } from './workloads';

/** The operations of every app, in the order people use them: create first, then add content. */
const OPERATIONS = {
	create: {
		name: 'Create',
		build: createOperation,
		action: (w: Workload) => `Create ${w.product} app`,
		description: (w: Workload) => `Create a ${w.product} app in Commvault from an Azure app registration`,
	},
	addContent: {
		name: 'Add Content',
		build: addContentOperation,
		action: (w: Workload) => `Add content to ${w.product} app`,
		description: (w: Workload) => `Add the ${w.protects} of an app to a plan, so they get backed up`,
	},
} as const;

type OperationName = keyof typeof OPERATIONS;
const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];

const operations = Object.fromEntries(
	WORKLOAD_NAMES.map((resource) => [
		resource,
		Object.fromEntries(OPERATION_NAMES.map((operation) => [operation, OPERATIONS[operation].build(resource)])),
	]),
) as Record<WorkloadName, Record<OperationName, CommvaultOperation>>;

/** What the router runs for a resource and operation, or undefined for a pair the node does not have. */
export function operationFor(resource: string, operation: string): CommvaultOperation | undefined {
	if (!workloadOf(resource)) return undefined;
	const ofResource: Record<string, CommvaultOperation> = operations[resource as WorkloadName];
	return Object.prototype.hasOwnProperty.call(ofResource, operation) ? ofResource[operation] : undefined;
}

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: WORKLOAD_NAMES.map((resource) => ({ name: WORKLOADS[resource].resourceName, value: resource })),
	default: 'dynamics365App',
};

function operationProperty(resource: WorkloadName): INodeProperties {
	const workload = WORKLOADS[resource];
	const options: INodePropertyOptions[] = OPERATION_NAMES.map((operation) => ({
		name: OPERATIONS[operation].name,
		value: operation,
		description: OPERATIONS[operation].description(workload),
		action: OPERATIONS[operation].action(workload),
	}));
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: 'create',
	};
}

export const description: INodeProperties[] = [
	...WORKLOAD_NAMES.map(operationProperty),
	...WORKLOAD_NAMES.flatMap((resource) => OPERATION_NAMES.flatMap((operation) => operations[resource][operation].description)),
];

/** `cases` as nested ternaries over a parameter: plain comparisons, which every n8n expression engine renders. */
function choose(parameter: string, cases: Array<[string, string]>, otherwise: string): string {
	return cases.reduceRight(
		(rest, [value, text]) => `($parameter[${JSON.stringify(parameter)}] === ${JSON.stringify(value)} ? ${text} : ${rest})`,
		otherwise,
	);
}

/**
 * Under the node's name, which n8n sets to the action ("Create Exchange app"): the subtitle adds
 * what that name lacks (whose app it is, and what is protected) instead of repeating it.
 */
function subtitleExpression(): string {
	const quoted = (text: string): string => JSON.stringify(`Commvault · ${text}`);
	const created = choose('resource', WORKLOAD_NAMES.map((r) => [r, quoted(WORKLOADS[r].protects)]), quoted('app'));
	const added = choose(
		'resource',
		WORKLOAD_NAMES.map((r) => {
			const [first, ...types] = WORKLOADS[r].contentTypes;
			return [r, choose('contentType', [first, ...types].map((t) => [t.value, quoted(t.name)]), quoted(first.name))];
		}),
		quoted('content'),
	);
	return `={{ $parameter["operation"] === "addContent" ? ${added} : ${created} }}`;
}

export const subtitle = subtitleExpression();
