import type { IDataObject } from 'n8n-workflow';

import { textAnswerOf } from './errors';

/**
 * What Commvault's schema declares as the success of each kind of call. A proxy's page, an empty
 * or cut body, `{}` or an echo of the request is none of them, and must never count as done: a
 * tenant would be left unprotected while the workflow says OK.
 */
export type SuccessShape = 'idName' | 'genericResp' | 'planSummary' | 'jsonObject';

const EXPECTED: Record<SuccessShape, string> = {
	idName: 'the created app (an IdName with a positive whole-number id)',
	genericResp: "Commvault's confirmation (a GenericResp with errorCode 0)",
	planSummary: 'a plan list (PlanSummaryListResp)',
	jsonObject: 'a JSON object',
};

const INT32_MAX = 2147483647;

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInt32(value: unknown): boolean {
	return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= INT32_MAX;
}

const CHECKS: Record<SuccessShape, (body: IDataObject) => boolean> = {
	idName: (body) => isPositiveInt32(body.id) && (body.name === undefined || body.name === null || typeof body.name === 'string'),
	// A success GenericResp carries its errorCode; a non-zero one was reported as a failure already.
	genericResp: (body) =>
		body.errorCode === 0 && (body.errorMessage === undefined || body.errorMessage === null || typeof body.errorMessage === 'string'),
	planSummary: (body) =>
		(Array.isArray(body.plans) || body.plans === null) && (body.plansCount === undefined || Number.isInteger(body.plansCount)),
	jsonObject: () => true,
};

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

export function successOf(shape: SuccessShape, body: unknown): { ok: IDataObject } | { expected: string; got: string } {
	if (isObject(body) && CHECKS[shape](body)) return { ok: body };
	return { expected: EXPECTED[shape], got: describe(body) };
}
