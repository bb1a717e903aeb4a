import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, subtitle } from './actions/registry';
import { router } from './actions/router';
import { credentialTest, listSearch } from './methods';

export class Commvault implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Commvault',
		name: 'commvault',
		icon: { light: 'file:../../icons/commvault.svg', dark: 'file:../../icons/commvault.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle,
		description: 'Onboard Microsoft 365 and Dynamics 365 tenants into Commvault backup, back them up and watch their jobs: Exchange, OneDrive, SharePoint, Teams',
		defaults: { name: 'Commvault' },
		// n8n's Tools panel searches a tool by its name only (it drops the codex aliases when it
		// makes the tool variant), so the tool's name carries the word people search for.
		usableAsTool: { replacements: { displayName: 'Commvault Backup' } },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'commvaultApi', required: true },
			// Only a create whose Azure App Source is Credential uses it (node-contract.md).
			{
				name: 'commvaultAzureAppApi',
				required: true,
				testedBy: 'commvaultAzureAppCheck',
				displayOptions: { show: { azureAppSource: ['credential'] } },
			},
		],
		properties,
	};

	methods = { credentialTest, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
