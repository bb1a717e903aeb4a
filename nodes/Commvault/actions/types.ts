import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlanDirectory } from '../plans/directory';
import type { CommvaultRequester, CreatedKind } from '../transport';
import type { ItemParameters } from './parameters';

/**
 * What an item's operation works with: the execution's shared state, seen as the item's company
 * (Options > Act for Company) sees it. The router gives each item its own view.
 */
export interface RunContext {
	/** Every request through it carries the item's company (`operatorCompanyId`), if it acts for one. */
	connection: CommvaultRequester;
	/** The plans of the item's company (or the MSP's own), listed once per run and company. */
	plans: PlanDirectory;
	/** Read parameters through this, not getNodeParameter: each is resolved once. */
	parameters: ItemParameters;
	/** Every app and company this run created, by item: a run that stops at a failed item names them all. */
	created: Created[];
}

/** What an item created in Commvault. */
export interface Created {
	kind: CreatedKind;
	itemIndex: number;
	id: number;
	name: string;
}

/** Errors an operation attaches to say what it already did in Commvault before failing. */
export interface PartialSuccess {
	createdApp?: IDataObject;
}

/** An item's result: one object, or a list (zero, one or many items), each paired to the item by the router. */
export type OperationResult = IDataObject | IDataObject[];

/** One operation of one resource, as the router runs it and the editor shows it. */
export interface CommvaultOperation {
	/** Its entry in the resource's Operation list. */
	option: { name: string; value: string; description: string; action: string };
	/** What the canvas shows under the node's name: the body of an n8n expression (see registry.ts). */
	subtitle: string;
	/** Its fields, shown for its resource and operation only. */
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, run: RunContext): Promise<OperationResult>;
}

/** A resource: the Resource list's entry and its operations, in the order the Operation list shows them. */
export interface CommvaultResource {
	option: { name: string; value: string };
	operations: CommvaultOperation[];
	/** When the operation's subtitle says nothing (e.g. the operation is an expression). */
	subtitle: string;
}
