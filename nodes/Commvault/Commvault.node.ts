import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as dynamics365App from './actions/dynamics365App/Dynamics365App.resource';
import { router } from './actions/router';
import { listSearch } from './methods';

export class Commvault implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Commvault',
		name: 'commvault',
		icon: { light: 'file:../../icons/commvault.svg', dark: 'file:../../icons/commvault.dark.svg' },
		group: ['transform'],
		version: 1,
		// A plain ternary, which every n8n expression engine renders; the internal values read badly.
		subtitle: '={{ ($parameter["operation"] === "addContent" ? "Add Content" : "Create") + ": Dynamics 365 App" }}',
		description: 'Onboard Microsoft Dynamics 365 tenants into Commvault backup',
		defaults: { name: 'Commvault' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'commvaultApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Dynamics 365 App', value: 'dynamics365App' }],
				default: 'dynamics365App',
			},
			...dynamics365App.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
