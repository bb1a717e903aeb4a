import { authtokenHeader, normalizeBaseUrl } from '../../nodes/Commvault/transport/connection';
import { failureInBody, httpFailureOf, messageInBody, textAnswerOf } from '../../nodes/Commvault/transport/errors';
import { describeNetworkFailure } from '../../nodes/Commvault/transport/messages';

describe('base URL', () => {
	it('forgives whitespace, trailing slashes and a trailing API version', () => {
		expect(normalizeBaseUrl(' https://cc.example.com/commandcenter/api/ ')).toBe('https://cc.example.com/commandcenter/api');
		expect(normalizeBaseUrl('https://cc.example.com/commandcenter/api/v4/')).toBe('https://cc.example.com/commandcenter/api');
		expect(normalizeBaseUrl('https://cc.example.com/webconsole/api/V2')).toBe('https://cc.example.com/webconsole/api');
		expect(normalizeBaseUrl('https://api.metallic.io')).toBe('https://api.metallic.io');
	});

	it('refuses a URL without a scheme or an empty one, saying what to enter', () => {
		expect(() => normalizeBaseUrl('cc.example.com/commandcenter/api')).toThrow(/must start with https:\/\//);
		expect(() => normalizeBaseUrl('')).toThrow(/no Base URL/);
		expect(() => normalizeBaseUrl(undefined)).toThrow(/no Base URL/);
	});
});

describe('Authtoken header', () => {
	it('adds QSDK only when the token names no scheme, as Commvault clients do', () => {
		expect(authtokenHeader('3d19abc')).toBe('QSDK 3d19abc');
		expect(authtokenHeader(' QSDK 3d19abc\n')).toBe('QSDK 3d19abc');
		expect(authtokenHeader('SAML abc')).toBe('SAML abc');
		expect(authtokenHeader('Bearer eyJ')).toBe('Bearer eyJ');
		expect(authtokenHeader('')).toBe('');
	});
});

describe('Commvault error shapes', () => {
	it('finds errors in each 200 body shape and ignores success', () => {
		expect(failureInBody({ errorCode: 0, errorMessage: null })).toBeUndefined();
		expect(failureInBody({ id: 1, name: 'x' })).toBeUndefined();
		expect(failureInBody({ errorCode: 7, errorMessage: 'Plan not found' })).toEqual({ errorCode: 7, message: 'Plan not found' });
		expect(failureInBody({ error: { errorCode: 2, errorMessage: 'Bad app' } })).toEqual({ errorCode: 2, message: 'Bad app' });
		expect(failureInBody({ error: { errorCode: 0 } })).toBeUndefined();
		expect(failureInBody({ errList: [{ errorCode: 5, errLogMessage: 'Login failed' }] })).toEqual({
			errorCode: 5,
			message: 'Login failed',
		});
		expect(failureInBody({ errList: [] })).toBeUndefined();
	});

	it('reads a message from a GenericResp even without a code', () => {
		expect(messageInBody({ errorMessage: 'An instance by this name already exists.', errorCode: 3 })).toBe(
			'An instance by this name already exists.',
		);
		expect(messageInBody({ errorMessage: 'x' })).toBe('x');
		expect(messageInBody('<html>')).toBeUndefined();
	});

	it('walks the cause chain for status, body, Retry-After and network code, keeping nothing else', () => {
		const axiosLike = {
			name: 'AxiosError',
			code: 'ERR_BAD_REQUEST',
			config: { headers: { Authtoken: 'QSDK secret' } },
			response: { status: 429, data: { errorCode: 1, errorMessage: 'slow down' }, headers: { 'retry-after': '2' } },
		};
		const wrapped = { name: 'NodeApiError', httpCode: '429', cause: axiosLike };
		const failure = httpFailureOf(wrapped);
		// ERR_BAD_REQUEST is axios's word for "a 4xx answer", not a network failure.
		expect(failure).toEqual({
			status: 429,
			body: { errorCode: 1, errorMessage: 'slow down' },
			retryAfterSeconds: 2,
		});
		expect(JSON.stringify(failure)).not.toContain('secret');
		expect(httpFailureOf({ cause: { code: 'ECONNREFUSED' } })).toEqual({ networkCode: 'ECONNREFUSED' });
		expect(httpFailureOf({ cause: { name: 'CommvaultLoginError', message: 'Commvault login failed' } }).loginError).toBe(
			'Commvault login failed',
		);
	});

	it("takes Node's socket and TLS codes as network codes, but not axios's codes for an HTTP status or a cancel", () => {
		for (const code of ['ECONNRESET', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']) {
			expect(httpFailureOf({ code }).networkCode).toBe(code);
		}
		expect(httpFailureOf({ code: 'ERR_BAD_RESPONSE', response: { status: 502 } })).toEqual({ status: 502 });
		for (const code of ['ERR_BAD_REQUEST', 'ERR_BAD_RESPONSE', 'ERR_CANCELED']) {
			expect(httpFailureOf({ code }).networkCode).toBeUndefined();
			expect(httpFailureOf({ httpCode: code }).networkCode).toBeUndefined();
		}
	});

	it('quotes a non-JSON answer short: a page by its title or its text without tags, a text collapsed', () => {
		expect(textAnswerOf('<html><body><script>var x = 1;</script><h1>Gateway\n  Timeout</h1></body></html>')).toEqual({
			kind: 'web page',
			snippet: 'Gateway Timeout',
		});
		expect(textAnswerOf('<!doctype html><title> Sign in </title><p>x</p>')).toEqual({ kind: 'web page', snippet: 'Sign in' });
		expect(textAnswerOf('  Bad\r\n Request ')).toEqual({ kind: 'text', snippet: 'Bad Request' });
		expect(textAnswerOf('x'.repeat(500))?.snippet).toBe(`${'x'.repeat(199)}…`);
		expect(textAnswerOf(' \n ')).toBeUndefined();
		expect(textAnswerOf({ errorMessage: 'json' })).toBeUndefined();
	});

	it('explains network failures by what to check', () => {
		expect(describeNetworkFailure('ENOTFOUND', 'https://nohost.example/commandcenter/api')).toMatch(/nohost\.example could not be found/);
		expect(describeNetworkFailure('ECONNREFUSED', 'https://cc:81/api')).toMatch(/could not connect to cc:81/);
		expect(describeNetworkFailure('DEPTH_ZERO_SELF_SIGNED_CERT', 'https://cc/api')).toMatch(/Ignore SSL Issues/);
		expect(describeNetworkFailure('SELF_SIGNED_CERT_IN_CHAIN', 'https://cc/api')).toMatch(/Ignore SSL Issues/);
	});
});
