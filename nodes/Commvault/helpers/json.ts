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
 * A page of a list as Commvault's schemas declare them: it names its count or its records (`{}`,
 * or an echo of the request, does neither), the count a whole number, the records (or null) each
 * one `isRecord` accepts.
 */
export function isListAnswer(body: IDataObject, count: string, records: string, isRecord: (value: unknown) => boolean): boolean {
	const total = body[count];
	const list = body[records];
	if (total === undefined && list === undefined) return false;
	if (total !== undefined && !(Number.isInteger(total) && (total as number) >= 0)) return false;
	return list === undefined || list === null || (Array.isArray(list) && list.every(isRecord));
}
