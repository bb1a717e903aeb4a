import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlanDirectory } from '../helpers/planDirectory';
import type { CommvaultConnection } from '../transport';
import type { ItemParameters } from './parameters';

/** What lives for one execution of the node and is shared by its items. */
export interface RunContext {
	connection: CommvaultConnection;
	plans: PlanDirectory;
	/** Read parameters through this, not getNodeParameter: each is resolved once. */
	parameters: ItemParameters;
	/** Every app this run created, by item: a run that stops at a failed item names them all. */
	created: CreatedApp[];
}

export interface CreatedApp {
	itemIndex: number;
	id: number;
	name: string;
}

/** Errors an operation attaches to say what it already did in Commvault before failing. */
export interface PartialSuccess {
	createdApp?: IDataObject;
}

export interface CommvaultOperation {
	description: INodeProperties[];
	/** Parameter paths whose values (and their base64) must never leave the node in an error. */
	secretParameters: string[];
	execute(this: IExecuteFunctions, itemIndex: number, run: RunContext): Promise<IDataObject>;
}
