import type { INodeProperties } from 'n8n-workflow';

import { InvalidInput } from '../helpers/validation';

/** Every Get Many's Return All and Limit (node-contract.md: `returnAll`, `limit` default 50, at least 1). */
export const returnAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		displayOptions: { show: { returnAll: [false] } },
		default: 50,
		description: 'Max number of results to return',
	},
];

/** The Limit as a whole number of at least 1 (an expression may give it as text). */
export function requireLimit(value: unknown): number {
	const limit = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new InvalidInput('Limit', `must be a whole number of at least 1, got ${JSON.stringify(value)}`, 'Or turn on Return All.');
	}
	return limit;
}

/** A Get Many's Filters collection. */
export function filtersCollection(...filters: INodeProperties[]): INodeProperties {
	return { displayName: 'Filters', name: 'filters', type: 'collection', placeholder: 'Add Filter', default: {}, options: filters };
}
