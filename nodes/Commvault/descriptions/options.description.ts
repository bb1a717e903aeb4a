import type { INodeProperties } from 'n8n-workflow';

export const CONCURRENCY_DEFAULT = 5;
export const CONCURRENCY_MAX = 50;

/** In every operation's Options: how many items' Commvault requests may be in flight at once. */
export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: CONCURRENCY_MAX, numberPrecision: 0 },
	default: CONCURRENCY_DEFAULT,
	description:
		'How many items are sent to Commvault at the same time. The output keeps the order of the input whatever the value. Lower it if Commvault answers 429 (too many requests).',
};

/** An operation's Options collection: Concurrency, and what else the operation offers. */
export function optionsCollection(...options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...options, concurrencyOption],
	};
}

/** A Filters collection (Get Many's search key, the trigger's app and job kind) holding these fields. */
export function filtersCollection(...filters: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: filters,
	};
}
