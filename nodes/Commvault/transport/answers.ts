import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../helpers/json';
import { textAnswerOf } from './errors';

/**
 * What counts as done for one call, declared beside the operation that makes it: Commvault's
 * schema for its success. A proxy's page, an empty or cut body, `{}` or an echo of the request
 * is none of them, and must never count as done: a tenant would be left unprotected while the
 * workflow says OK. Transport only applies the guard; it knows no operation.
 */
export interface Success<T extends IDataObject = IDataObject> {
	/** What the answer should have been, for the error that says it was not. */
	expected: string;
	is(body: IDataObject): body is T;
}

/** What the answer is instead, in a few words and without quoting more than a snippet. */
function describe(body: unknown): string {
	if (body === undefined || body === '' || (typeof body === 'string' && body.trim() === '')) return 'empty';
	if (body === null) return 'JSON null';
	if (Array.isArray(body)) return 'a JSON array';
	if (typeof body === 'string') {
		const text = textAnswerOf(body);
		if (text?.kind === 'web page') return `a web page ("${text.snippet}")`;
		return `not complete JSON ("${text?.snippet ?? ''}")`;
	}
	if (isObject(body)) {
		const keys = Object.keys(body);
		if (keys.length === 0) return 'an empty JSON object';
		const shown = keys.slice(0, 5).map((key) => `"${key}"`).join(', ');
		return `a JSON object with ${shown}${keys.length > 5 ? ', …' : ''}`;
	}
	return `the JSON value ${JSON.stringify(body)}`;
}

export function successOf<T extends IDataObject>(success: Success<T>, body: unknown): { ok: T } | { expected: string; got: string } {
	if (isObject(body) && success.is(body)) return { ok: body };
	return { expected: success.expected, got: describe(body) };
}
