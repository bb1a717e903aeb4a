import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listSearch } from './methods';
import { triggerProperties } from './trigger/events';
import { poll } from './trigger/poll';

export class CommvaultTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Commvault Trigger',
		name: 'commvaultTrigger',
		// n8n polls: its Poll Times field, a cron on main, and poll() each time
		polling: true,
		group: ['trigger'],
		defaults: { name: 'Commvault Trigger' },
		icon: { light: 'file:../../icons/commvault.svg', dark: 'file:../../icons/commvault.dark.svg' },
		version: 1,
		subtitle: '={{ $parameter["event"] === "alertTriggered" ? "Alert triggered" : "Job finished" }}',
		description: 'Starts the workflow when a Commvault backup job finishes (fails) or Commvault raises an alert',
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'commvaultApi', required: true }],
		properties: triggerProperties,
	};

	methods = { listSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await poll.call(this);
	}
}
