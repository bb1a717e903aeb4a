import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { fetchCompanies } from '../../companies';
import { requireLimit, returnAllFields } from '../../descriptions/list.description';
import { optionsCollection } from '../../descriptions/options.description';
import { subtitleText } from '../subtitle';
import type { CommvaultOperation, RunContext } from '../types';

const properties: INodeProperties[] = [
	...returnAllFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Include Deleted',
				name: 'includeDeleted',
				type: 'boolean',
				default: false,
				description: 'Whether to list the companies marked for deletion too',
			},
		],
	},
	optionsCollection(),
];

export const getManyOperation: CommvaultOperation = {
	option: {
		name: 'Get Many',
		value: 'getMany',
		description: 'List the companies (your customers) in Commvault, with their alias and status',
		action: 'Get many companies',
	},
	subtitle: subtitleText('companies'),
	description: updateDisplayOptions({ show: { resource: ['company'], operation: ['getMany'] } }, properties),
	async execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject[]> {
		const { parameters } = run;
		const limit = parameters.boolean('returnAll', i, false) ? undefined : requireLimit(parameters.get('limit', i, 50));
		const includeDeleted = parameters.collection('filters', i).includeDeleted;
		// Commvault answers every company at once (GET /V4/company has no paging): the limit is applied here.
		const companies = await fetchCompanies(run.connection, { includeDeleted: includeDeleted === true || includeDeleted === 'true' }, i);
		return limit === undefined ? companies : companies.slice(0, limit);
	},
};
