import type { IDataObject } from 'n8n-workflow';

import { INT32_MAX } from './validation';

/** A JSON object (not an array, not null): what every Commvault answer and n8n item is. */
export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An id as Commvault's schemas declare them: a positive int32. */
export function isPositiveInt32(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= INT32_MAX;
}

/** A field a schema declares as an optional (nullable) string. */
export function isOptionalText(value: unknown): boolean {
	return value === undefined || value === null || typeof value === 'string';
}

/**
 * A V4 list answer: `records` (an array of objects, each with a positive int32 id, or null when
 * there are none) and `count` (a whole number of at least 0), at least one of the two present.
 */
export function isListAnswer(body: IDataObject, records: string, count: string): boolean {
	const list = body[records];
	const total = body[count];
	if (list === undefined && total === undefined) return false;
	if (total !== undefined && !(Number.isInteger(total) && (total as number) >= 0)) return false;
	if (list === undefined || list === null) return true;
	return Array.isArray(list) && list.every((record) => isObject(record) && isPositiveInt32(record.id));
}
