/**
 * Every resource of the node and its operations: the Resource list, each resource's Operation
 * list and fields, the canvas subtitle, and what the router runs. A new resource is a folder
 * under actions/ whose index gives its CommvaultResource, one line here and its entry in
 * node.type.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

import { actForCompanyOption } from '../descriptions/company.description';
import { optionsCollection } from '../descriptions/options.description';
import type { ResourceName } from '../node.type';
import { appResources } from './apps';
import { jobResource } from './job';
import { choose } from './subtitle';
import type { CommvaultOperation, CommvaultResource } from './types';

const OWN_RESOURCES: Record<ResourceName, CommvaultResource> = {
	...appResources,
	job: jobResource,
};

/**
 * Options > Act for Company on every operation, added here once so that no operation can lack it
 * (node-contract.md): first in the operation's Options collection, or in an Options collection
 * of its own (with Concurrency) for an operation that has none. The router reads it.
 */
function withActForCompany(resource: string, operation: CommvaultOperation): CommvaultOperation {
	const { description } = operation;
	const options = description.find((property) => property.name === 'options' && property.type === 'collection');
	if (!options) {
		const show = { show: { resource: [resource], operation: [operation.option.value] } };
		return { ...operation, description: [...description, { ...optionsCollection(actForCompanyOption), displayOptions: show }] };
	}
	const own = (options.options ?? []).filter((option) => option.name !== actForCompanyOption.name);
	const augmented: INodeProperties = { ...options, options: [actForCompanyOption, ...own] };
	return { ...operation, description: description.map((property) => (property === options ? augmented : property)) };
}

export const RESOURCES = Object.fromEntries(
	Object.entries(OWN_RESOURCES).map(([resource, own]) => [
		resource,
		{ ...own, operations: own.operations.map((operation) => withActForCompany(resource, operation)) },
	]),
) as Record<ResourceName, CommvaultResource>;

const RESOURCE_NAMES = Object.keys(RESOURCES) as ResourceName[];

/** What the router runs for a resource and operation, or undefined for a pair the node does not have. */
export function operationFor(resource: string, operation: string): CommvaultOperation | undefined {
	if (!Object.prototype.hasOwnProperty.call(RESOURCES, resource)) return undefined;
	return RESOURCES[resource as ResourceName].operations.find((candidate) => candidate.option.value === operation);
}

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: RESOURCE_NAMES.map((resource) => RESOURCES[resource].option),
	default: 'dynamics365App',
};

/** Each resource's Operation list, its first operation the default. */
function operationProperty(resource: ResourceName): INodeProperties {
	const { operations } = RESOURCES[resource];
	const selector: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: operations.map((operation) => operation.option),
		default: '',
	};
	return { ...selector, default: operations[0].option.value };
}

/** The node's fields: Resource, each resource's Operation, then every operation's own fields. */
export const properties: INodeProperties[] = [
	resourceProperty,
	...RESOURCE_NAMES.map(operationProperty),
	...RESOURCE_NAMES.flatMap((resource) => RESOURCES[resource].operations.flatMap((operation) => operation.description)),
];

/**
 * Under the node's name, which n8n sets to the action ("Create Exchange app"): each operation's
 * subtitle adds what that name lacks (whose app it is, what is protected) instead of repeating it.
 */
export const subtitle = `={{ ${choose(
	'resource',
	RESOURCE_NAMES.map((resource) => {
		const { operations, subtitle: otherwise } = RESOURCES[resource];
		return [resource, choose('operation', operations.map((operation) => [operation.option.value, operation.subtitle]), otherwise)];
	}),
	JSON.stringify('Commvault'),
)} }}`;
