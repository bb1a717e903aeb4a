import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { EDITABLE_FIELDS, authtokenFor, normalizeBaseUrl, sessionBinding } from '../../nodes/Commvault/transport/connection';
import { CommvaultLoginError, noteSignInFailure, takeSignInFailure } from '../../nodes/Commvault/transport/errors';
import { outcomeOfThrown } from '../../nodes/Commvault/transport/exchange';
import { describeNetworkFailure, unreachableMessage } from '../../nodes/Commvault/transport/messages';

/** The node n8n names in its errors; only its identity matters here. */
const NODE: INode = { id: '1', name: 'Commvault', type: 'n8n-nodes-commvault.commvault', typeVersion: 1, position: [0, 0], parameters: {} };

/** What n8n-core's request helper does with a thrown Error (its type says JsonObject, it passes Errors). */
function wrapAsN8nDoes(error: Error): NodeApiError {
	return new NodeApiError(NODE, error as unknown as JsonObject);
}

const BASE_URL = 'https://cc.example.com/commandcenter/api';
const URL = `${BASE_URL}/v4/Dynamics365`;

describe('Base URL', () => {
	it.each([
		['the browser address of Command Center', 'https://cc.example.com/commandcenter/#/dashboard', BASE_URL],
		['the web console without /api', 'https://cc.example.com/webconsole/', 'https://cc.example.com/webconsole/api'],
		['a query', 'https://cc.example.com/commandcenter/api?x=1', BASE_URL],
		['an upper-case scheme and /V4', 'HTTPS://cc.example.com:8443/commandcenter/api/V4', 'https://cc.example.com:8443/commandcenter/api'],
		['the SaaS gateway with a trailing slash', 'https://api.metallic.io/', 'https://api.metallic.io'],
	])('corrects %s', (_label, pasted, expected) => {
		expect(normalizeBaseUrl(pasted)).toBe(expected);
		expect(normalizeBaseUrl(expected)).toBe(expected);
	});

	it('refuses a user name or password inside the URL without repeating it', () => {
		expect(() => normalizeBaseUrl('https://admin:s3cret-canary@cc.example.com/commandcenter/api')).toThrow(
			/must not hold a user name or password/,
		);
		try {
			normalizeBaseUrl('https://admin:s3cret-canary@cc.example.com/commandcenter/api');
		} catch (error) {
			expect((error as Error).message).not.toContain('s3cret-canary');
		}
	});

	it('refuses a URL with spaces inside or another scheme', () => {
		expect(() => normalizeBaseUrl('https://cc example.com/api')).toThrow(/must start with https:\/\//);
		expect(() => normalizeBaseUrl('ftp://cc.example.com/commandcenter/api')).toThrow(/must start with https:\/\//);
	});
});

describe('what counts as an edit of the credential', () => {
	it('is every field the dialog shows: a new field the run would not notice being edited fails here', () => {
		const shown = new CommvaultApi().properties.filter((property) => property.type !== 'hidden').map((property) => property.name);
		expect([...EDITABLE_FIELDS].sort()).toEqual(shown.sort());
	});
});

describe('which token a request carries', () => {
	const password = { baseUrl: BASE_URL, authentication: 'password', username: 'admin', password: 'pw' };

	it('sends the current Authtoken in Authtoken mode, whatever is stored', () => {
		expect(authtokenFor({ baseUrl: BASE_URL, authtoken: 'abc', sessionToken: 'QSDK old', sessionFor: 'x' }, URL)).toBe('QSDK abc');
		expect(authtokenFor({ baseUrl: BASE_URL, authentication: 'authtoken', authtoken: '' }, URL)).toBe('');
	});

	it('sends the login token only for the Base URL and user it was issued for', () => {
		const binding = sessionBinding(password);
		expect(binding).toBe(`password admin at ${BASE_URL}`);
		expect(authtokenFor({ ...password, sessionToken: 'QSDK t1', sessionFor: binding }, URL)).toBe('QSDK t1');
		// The stored Base URL may be written differently: it is compared normalized.
		expect(authtokenFor({ ...password, baseUrl: `${BASE_URL}/v4/`, sessionToken: 'QSDK t1', sessionFor: binding }, URL)).toBe('QSDK t1');
		expect(authtokenFor({ ...password, username: 'other', sessionToken: 'QSDK t1', sessionFor: binding }, URL)).toBe('');
		expect(authtokenFor({ ...password, baseUrl: 'https://evil.example/api', sessionToken: 'QSDK t1', sessionFor: binding }, URL)).toBe('');
		expect(authtokenFor({ ...password, sessionToken: 'QSDK t1' }, URL)).toBe('');
		expect(authtokenFor({ ...password, sessionToken: '', sessionFor: binding }, URL)).toBe('');
		expect(authtokenFor({ ...password, baseUrl: 'no-scheme', sessionToken: 'QSDK t1', sessionFor: '' }, URL)).toBe('');
	});

	it('sends a token only to the Base URL of the credential it belongs to, whatever URL a request names', () => {
		const session = { ...password, sessionToken: 'QSDK t1', sessionFor: sessionBinding(password) };
		expect(authtokenFor(session, 'https://cc.example.org/commandcenter/api/v4/Dynamics365')).toBe('');
		expect(authtokenFor(session, 'https://cc.example.com/commandcenter/apix/v4')).toBe('');
		expect(authtokenFor({ baseUrl: BASE_URL, authtoken: 'abc' }, 'http://127.0.0.2/commandcenter/api/V4/PlanIds')).toBe('');
	});

	it('adds no Authtoken header when there is nothing valid to send, and never the text "undefined"', async () => {
		const credential = new CommvaultApi();
		const withToken = await credential.authenticate(
			{ ...password, sessionToken: 'QSDK t1', sessionFor: sessionBinding(password) },
			{ url: `${BASE_URL}/v4/Dynamics365`, headers: { Accept: 'application/json' } },
		);
		expect(withToken.headers).toEqual({ Accept: 'application/json', Authtoken: 'QSDK t1' });

		const without = await credential.authenticate(password, {
			url: `${BASE_URL}/v4/Dynamics365`,
			headers: { Authtoken: 'QSDK from-elsewhere' },
		});
		expect(without.headers).toEqual({});
	});
});

describe('credential failures survive n8n\'s error wrapping', () => {
	it.each([
		'ENOTFOUND',
		'EAI_AGAIN',
		'ECONNREFUSED',
		'ECONNRESET',
		'ETIMEDOUT',
		'ECONNABORTED',
		'EHOSTUNREACH',
		'ENETUNREACH',
		'EPROTO',
		'DEPTH_ZERO_SELF_SIGNED_CERT',
		'CERT_HAS_EXPIRED',
		'ERR_TLS_CERT_ALTNAME_INVALID',
		'EACCES',
		undefined,
	])('keeps the message for network code %s (n8n replaces texts that quote common codes)', (networkCode) => {
		const message = unreachableMessage(networkCode, BASE_URL);
		const wrapped = wrapAsN8nDoes(new CommvaultLoginError(message, 'fix it'));
		expect(wrapped.message).toBe(message);
		// and as the node reports it, with its own message and description
		const reported = new NodeApiError(NODE, { message, description: 'd' }, { message, description: 'd' });
		expect(reported.message).toBe(message);
	});

	it('tells the user to turn on Ignore SSL Issues only for certificate problems', () => {
		expect(describeNetworkFailure('UNABLE_TO_VERIFY_LEAF_SIGNATURE', BASE_URL)).toMatch(/Ignore SSL Issues \(Insecure\)/);
		expect(describeNetworkFailure('ERR_TLS_CERT_ALTNAME_INVALID', BASE_URL)).toMatch(/Ignore SSL Issues \(Insecure\)/);
		expect(describeNetworkFailure('ECONNREFUSED', BASE_URL)).not.toMatch(/SSL/);
		expect(describeNetworkFailure('EPROTO', BASE_URL)).toMatch(/http:\/\//);
	});

	it('lets the node recognise a sign-in failure whatever n8n kept of it: the failure is recorded on the credential data', () => {
		const credentials = { baseUrl: BASE_URL };
		const error = new CommvaultLoginError('Commvault login failed for user "admin": x', 'Open the credential');
		// n8n-workflow 1.x drops the cause of its wrapper, so the error alone says nothing.
		expect(wrapAsN8nDoes(error).cause).toBeUndefined();
		noteSignInFailure(credentials, error);
		expect(JSON.stringify(credentials)).toBe(JSON.stringify({ baseUrl: BASE_URL }));
		expect(Object.keys(credentials)).toEqual(['baseUrl']);
		expect(takeSignInFailure(credentials)).toEqual({
			message: 'Commvault login failed for user "admin": x',
			description: 'Open the credential',
			transient: false,
		});
		expect(takeSignInFailure(credentials)).toBeUndefined();
	});

	it("keeps the sign-in message even when n8n's wrapper replaced its own by a generic text", () => {
		const message = 'Commvault login failed for user "SharePermissions": x';
		const credentials = {};
		const error = new CommvaultLoginError(message, 'Open the credential');
		expect(wrapAsN8nDoes(error).message).toMatch(/^Operation not permitted/);
		noteSignInFailure(credentials, error);
		expect(takeSignInFailure(credentials)?.message).toBe(message);
	});

	it('finds the network code n8n keeps only as the httpCode of its wrapper', () => {
		const axiosLike = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
		const wrapped = wrapAsN8nDoes(axiosLike);
		expect(wrapped.httpCode).toBe('ECONNREFUSED');
		expect(outcomeOfThrown(wrapped)).toEqual({ kind: 'unreachable', networkCode: 'ECONNREFUSED' });
	});
});
