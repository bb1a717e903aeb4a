/**
 * An echoing Commvault, and an MSP's credential store.
 *
 * `echoing(quote)` builds, for each kind of answer (a 200 success, a 4xx JSON `errorMessage`, a
 * 200 `errList`, an HTML page, a 401), a scripted answer that quotes whatever `quote` returns for
 * the request it answers: what a careless server or proxy does with the request it was sent.
 * `quoteOf` quotes every secret a request carried and every secret the test names, each in every
 * form `encodedForms` lists (and base64 first), so that a leak of any form is caught by the
 * canaries, which search the same forms.
 *
 * `mspStore` holds several credentials of one type by id, as an MSP's n8n does (one per customer):
 * a test runs the node on one of them and the others must stay untouched.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { CommvaultApi } from '../../../credentials/CommvaultApi.credentials';
import type { CommvaultSimulator, RecordedRequest, ScriptedResponse } from '../../simulator';
import { TestCredentialsHelper } from '../credentials-helper';
import { toCredentialType } from '../node-types';
import { encodedForms } from './canaries';

export type AnswerKind = '200 success' | '4xx JSON errorMessage' | '200 errList' | 'HTML page' | '401';

export const ANSWER_KINDS: AnswerKind[] = ['200 success', '4xx JSON errorMessage', '200 errList', 'HTML page', '401'];

function base64(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}

/** The values a request carried that a server could quote: its Authtoken header (as sent and bare), and its body's base64 fields decoded. */
function carried(request: RecordedRequest): string[] {
	const values: string[] = [];
	const header = request.headers.authtoken;
	if (header) values.push(header, header.replace(/^\S+ /, ''));
	const body = request.body as IDataObject | undefined;
	const azureApp = (body?.azureApp ?? {}) as IDataObject;
	for (const value of [body?.password, azureApp.applicationSecret, azureApp.certificatePassword, azureApp.refreshToken]) {
		if (typeof value !== 'string') continue;
		values.push(value);
		const decoded = Buffer.from(value, 'base64').toString('utf8');
		if (base64(decoded) === value) values.push(decoded);
	}
	return values;
}

/** Every login token the simulators handed out so far, with and without its scheme word. */
export function loginTokensOf(...sims: CommvaultSimulator[]): string[] {
	return sims.flatMap((sim) =>
		sim
			.requestsTo('POST', '/Login')
			.map((request) => (request.responseBody as IDataObject | undefined)?.token)
			.filter((token): token is string => typeof token === 'string')
			.flatMap((token) => [token, token.replace(/^QSDK /, '')]),
	);
}

/** What an echoing server says about a request: every secret it carried and every one named, in every form. */
export function quoteOf(request: RecordedRequest, named: string[]): string {
	const values = [...new Set([...carried(request), ...named])];
	const forms = values.flatMap((value) => [value, base64(value), ...[value, base64(value)].flatMap((text) => encodedForms(text).map(([, form]) => form))]);
	return `You sent: ${forms.join(' | ')}`;
}

/** A scripted answer of that kind quoting `quote(request)`; the 200 success carries out the request first (an app is created). */
export function echoing(kind: AnswerKind, quote: (request: RecordedRequest) => string, success: (request: RecordedRequest) => IDataObject): ScriptedResponse {
	switch (kind) {
		case '200 success':
			return { afterSimulating: true, echo: (request) => ({ ...success(request), message: quote(request) }) };
		case '4xx JSON errorMessage':
			return { status: 403, echo: (request) => ({ errorCode: 2, errorMessage: `Not allowed. ${quote(request)}` }) };
		case '200 errList':
			return { echo: (request) => ({ errList: [{ errorCode: 5, errLogMessage: `Invalid request. ${quote(request)}` }] }) };
		case 'HTML page':
			return {
				status: 403,
				headers: { 'Content-Type': 'text/html;charset=utf-8' },
				echo: (request) => `<!DOCTYPE html><html><body><h1>Forbidden</h1><p>${quote(request)}</p></body></html>`,
			};
		case '401':
			return { status: 401, echo: (request) => ({ errorCode: 1, errorMessage: `bad token ${quote(request)}` }) };
	}
}

/** The id the MSP's credentials are saved under, one per customer. */
export const CUSTOMERS = { acme: 'cred-acme', globex: 'cred-globex', initech: 'cred-initech' } as const;

/**
 * One credential store with a credential per customer (ids in CUSTOMERS), each given its data;
 * a customer left out gets an Authtoken credential on `fallbackBaseUrl`.
 */
export function mspStore(
	fallbackBaseUrl: string,
	data: Partial<Record<keyof typeof CUSTOMERS, ICredentialDataDecryptedObject>>,
): TestCredentialsHelper {
	const store = new TestCredentialsHelper([toCredentialType(CommvaultApi)]);
	for (const [customer, id] of Object.entries(CUSTOMERS) as Array<[keyof typeof CUSTOMERS, string]>) {
		store.save(id, 'commvaultApi', data[customer] ?? { baseUrl: fallbackBaseUrl, authentication: 'authtoken', authtoken: `${customer}-authtoken-canary-0c1d` });
	}
	return store;
}
