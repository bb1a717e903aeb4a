import { cleanText } from './text';

const AZURE_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const INT32_MAX = 2147483647;

/** A problem with one input value, reported against the field the user sees. */
export class InvalidInput extends Error {
	constructor(
		readonly field: string,
		problem: string,
		readonly hint?: string,
	) {
		super(`${field}: ${problem}`);
		this.name = 'InvalidInput';
	}
}

/** A required text, without what pasting adds around it (helpers/text.ts). */
export function requireText(field: string, value: unknown): string {
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new InvalidInput(field, 'is required');
	}
	const text = cleanText(value);
	if (text === '') throw new InvalidInput(field, 'is required and cannot be empty or only spaces');
	return text;
}

/**
 * Azure shows application and directory IDs as GUIDs; whitespace is never part of one, so it is
 * dropped, but anything else that is not a GUID (a display name, a domain, a secret pasted into the
 * wrong box) is refused before Commvault stores it.
 */
export function requireAzureGuid(field: string, value: unknown, where: string): string {
	const text = requireText(field, value);
	if (!AZURE_GUID.test(text)) {
		throw new InvalidInput(
			field,
			'is not an Azure ID (expected a GUID such as 00000000-0000-0000-0000-000000000000)',
			`Copy it from ${where} in the Azure portal.`,
		);
	}
	return text;
}

/** Commvault entity ids are positive int32 values; `hint` tells what to do with a value that is not a number. */
export function requireEntityId(field: string, value: unknown, hint?: string): number {
	const text = cleanText(value);
	if (!/^\d+$/.test(text)) {
		throw new InvalidInput(field, `must be a positive whole number (an ID), got ${describeValue(value)}`, hint);
	}
	const id = Number(text);
	if (id < 1 || id > INT32_MAX) {
		throw new InvalidInput(field, `must be between 1 and ${INT32_MAX}, got ${text}`);
	}
	return id;
}

/** Describes a non-secret value for an error message without dumping large inputs. */
function describeValue(value: unknown): string {
	if (value === undefined || value === null || value === '') return 'nothing';
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Optional text fields: empty means "leave it out of the body", never an empty string sent. */
export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = cleanText(typeof value === 'string' || typeof value === 'number' ? value : String(value));
	return text === '' ? undefined : text;
}

/** An ID field with no default (App ID, Job ID): "nothing" is the usual mistake, so say what to put there. */
export function requireIdField(field: string, value: unknown, hint: string): number {
	if (value === '' || value === undefined || value === null) throw new InvalidInput(field, 'is required', hint);
	return requireEntityId(field, value);
}

export function requireAppId(value: unknown): number {
	return requireIdField('App ID', value, 'Enter the ID of the app, e.g. drag the "id" field of a Create output here.');
}

/** A list's Limit: a whole number of at least 1 (an expression may give it as text). */
export function requireLimit(value: unknown): number {
	const limit = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new InvalidInput('Limit', `must be a whole number of at least 1, got ${JSON.stringify(value)}`, 'Or turn on Return All.');
	}
	return limit;
}
