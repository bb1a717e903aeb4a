import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InvalidInput } from '../helpers/validation';

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

/** The run's concurrency, read once from the first item: the pool is one for all items. */
export function concurrencyOf(context: IExecuteFunctions): number {
	const options = context.getNodeParameter('options', 0, {}) as { concurrency?: unknown };
	const raw = options.concurrency ?? CONCURRENCY_DEFAULT;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > CONCURRENCY_MAX) {
		throw new InvalidInput(
			'Options > Concurrency',
			`must be a whole number from 1 to ${CONCURRENCY_MAX}, got ${JSON.stringify(raw)}`,
		);
	}
	return value;
}
