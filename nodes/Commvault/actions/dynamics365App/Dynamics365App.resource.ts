import type { INodeProperties } from 'n8n-workflow';

import type { CommvaultOperation } from '../types';
import * as addContent from './addContent.operation';
import * as create from './create.operation';

export const operations: Record<string, CommvaultOperation> = { create, addContent };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['dynamics365App'] } },
		options: [
			{
				name: 'Add Content',
				value: 'addContent',
				description: 'Add all Dynamics 365 environments of an app to a Dynamics 365 plan, so they get backed up',
				action: 'Add content to a dynamics 365 app',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a Dynamics 365 app in Commvault from an Azure app registration',
				action: 'Create a dynamics 365 app',
			},
		],
		default: 'create',
	},
	...create.description,
	...addContent.description,
];
