import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fetchCompanies } from '../../companies';
import { filtersCollection, listFields } from '../../descriptions/list.description';
import { optionsCollection } from '../../descriptions/options.description';
import { wantedLimit } from '../lists';
import type { RunContext } from '../types';
import type { CompanyOperationBody } from './operation';

const properties: INodeProperties[] = [
	...listFields(),
	filtersCollection([
		{
			displayName: 'Include Deleted',
			name: 'includeDeleted',
			type: 'boolean',
			default: false,
			description: 'Whether to list the companies marked for deletion too',
		},
	]),
	optionsCollection(),
];

/** The operation's fields and what it does; its entry in the Operation list is in index.ts. */
export const getMany: CompanyOperationBody = {
	properties,
	async execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject[]> {
		const { parameters } = run;
		const limit = wantedLimit(parameters, i);
		const includeDeleted = parameters.collection('filters', i).includeDeleted;
		// Commvault answers every company at once (GET /V4/company has no paging): the limit is applied here.
		const companies = await fetchCompanies(run.connection, { includeDeleted: includeDeleted === true || includeDeleted === 'true' }, i);
		return limit === undefined ? companies : companies.slice(0, limit);
	},
};
