import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { concurrencyOption } from '../../descriptions/options.description';
import { planLocator } from '../../descriptions/plan.description';
import { requireEntityId } from '../../helpers/validation';
import type { RunContext } from '../types';
import { putContent } from './content';

const properties: INodeProperties[] = [
	{
		displayName: 'App ID',
		name: 'appId',
		type: 'number',
		required: true,
		default: 0,
		placeholder: 'e.g. 123',
		description: 'The ID of the Commvault Dynamics 365 app, for example the "ID" output of a Create operation',
		hint: 'Drag the "id" field of the Create output here',
	},
	planLocator({
		name: 'dynamics365Plan',
		displayName: 'Dynamics 365 Plan',
		kind: 'Dynamics365',
		required: true,
		description: 'The Dynamics 365 plan (type Dynamics365) that all environments of the app are added to',
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [concurrencyOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['dynamics365App'], operation: ['addContent'] } },
	properties,
);

export const secretParameters: string[] = [];

export async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject> {
	const appId = requireEntityId('App ID', this.getNodeParameter('appId', i, ''));
	const plan = await run.plans.resolve(
		'Dynamics 365 Plan',
		'Dynamics365',
		this.getNodeParameter('dynamics365Plan', i, undefined, { extractValue: false }),
		i,
	);
	const answer = await putContent(run, appId, plan, i);
	return { appId, ...answer };
}
