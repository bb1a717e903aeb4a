import type { IDataObject, INodeProperties, IPollFunctions } from 'n8n-workflow';

import type { CommvaultRequester } from '../transport';
import type { Sighting } from './cursor';

/** What one poll has at hand: n8n's poll functions, and its way out to Commvault (for the company it acts for, if any). */
export interface PollRun {
	context: IPollFunctions;
	connection: CommvaultRequester;
}

/** One event of the trigger: its entry in the Event list, its fields, and how a poll finds its records. */
export interface TriggerEvent<R extends IDataObject = IDataObject> {
	option: { name: string; value: string; description: string };
	/** Its fields, shown for this event only. */
	properties: INodeProperties[];
	/** What one record is called in a message, e.g. `job that finished`. */
	noun: string;
	/**
	 * The records matching the node's filters that Commvault finished or detected in the last
	 * `lookbackSeconds` of its own clock (or more: the cursor drops what it has seen). One request
	 * per page.
	 */
	since(run: PollRun, lookbackSeconds: number): Promise<R[]>;
	/** The newest matching record of the last `lookbackSeconds`, for Fetch Test Event. */
	newest(run: PollRun, lookbackSeconds: number): Promise<R | undefined>;
	/** The record's id and its time in Commvault's clock. */
	sighting(record: R): Sighting;
	/** The record as the workflow gets it. */
	output(record: R): IDataObject;
}
