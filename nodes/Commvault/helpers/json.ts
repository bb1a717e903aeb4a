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
