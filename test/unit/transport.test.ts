import { authtokenHeader } from '../../nodes/Commvault/helpers/authtoken';
import { normalizeBaseUrl } from '../../nodes/Commvault/transport/connection';
import { failureInBody, messageInBody, textAnswerOf } from '../../nodes/Commvault/transport/errors';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { exchange, outcomeOfThrown, retryAfterSeconds, type Sender } from '../../nodes/Commvault/transport/exchange';
import { Halt, leaving } from '../../nodes/Commvault/transport/halt';
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

	it('reads what a thrown error carries along its cause chain, keeping nothing of the request', () => {
		const axiosLike = { name: 'AxiosError', code: 'ECONNREFUSED', config: { headers: { Authtoken: 'QSDK secret' } } };
		expect(outcomeOfThrown({ name: 'NodeApiError', cause: axiosLike })).toEqual({ kind: 'unreachable', networkCode: 'ECONNREFUSED' });
		// n8n-workflow 1.x keeps the code only as the wrapper's httpCode.
		expect(outcomeOfThrown({ name: 'NodeApiError', httpCode: 'ENOTFOUND', message: 'x' })).toEqual({
			kind: 'unreachable',
			networkCode: 'ENOTFOUND',
		});
		expect(JSON.stringify(outcomeOfThrown({ cause: axiosLike }))).not.toContain('secret');
	});

	it('tells a request that never left from one whose answer was lost', () => {
		for (const code of ['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'EAI_AGAIN']) {
			expect(outcomeOfThrown({ code })).toEqual({ kind: 'unreachable', networkCode: code });
		}
		for (const code of ['ECONNRESET', 'EPIPE', 'ERR_BAD_RESPONSE']) expect(outcomeOfThrown({ code })).toEqual({ kind: 'lost', reason: 'cut' });
		expect(outcomeOfThrown({ message: 'socket hang up' })).toEqual({ kind: 'lost', reason: 'cut' });
		expect(outcomeOfThrown({ code: 'ECONNABORTED', message: 'timeout of 1000ms exceeded' })).toEqual({ kind: 'lost', reason: 'timeout' });
		expect(outcomeOfThrown({ httpCode: 'ETIMEDOUT' })).toEqual({ kind: 'lost', reason: 'timeout' });
		expect(outcomeOfThrown({ code: 'ERR_CANCELED' })).toEqual({ kind: 'lost', reason: 'cancelled' });
		expect(outcomeOfThrown(new Error('Node "x" does not have any credentials'))).toEqual({
			kind: 'failure',
			message: 'Node "x" does not have any credentials',
		});
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		const now = Date.parse('2026-12-01T10:00:00Z');
		expect(retryAfterSeconds({ 'retry-after': '7' }, now)).toBe(7);
		expect(retryAfterSeconds({ 'retry-after': 'Tue, 01 Dec 2026 10:00:30 GMT' }, now)).toBe(30);
		expect(retryAfterSeconds({ 'retry-after': 'Tue, 01 Dec 2026 09:00:00 GMT' }, now)).toBe(0);
		expect(retryAfterSeconds({ 'retry-after': 'soon' }, now)).toBeUndefined();
		expect(retryAfterSeconds({}, now)).toBeUndefined();
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

describe('exchange: when a request counts as sent', () => {
	const call = { method: 'POST' as const, url: 'http://127.0.0.1:9/x', timeoutSeconds: 1, ignoreSslIssues: false };

	/** A sender that never settles, as n8n's helper while a sign-in waits; it hands out the options it got. */
	function pending(): { send: Sender; options: () => IHttpRequestOptions } {
		let got: IHttpRequestOptions | undefined;
		return {
			send: async (options) => {
				got = options;
				return await new Promise(() => undefined);
			},
			options: () => got as IHttpRequestOptions,
		};
	}

	it('a halt before the credential authenticated the request: not sent, and its signal is aborted so it never leaves', async () => {
		const halt = new Halt();
		const sender = pending();
		const outcome = exchange(sender.send, { ...call, halt, leavesOnAuthentication: { backstopSeconds: 60 } });
		halt.halt('stopped');

		expect(await outcome).toEqual({ kind: 'notSent', reason: 'stopped' });
		expect((sender.options().abortSignal as AbortSignal).aborted).toBe(true);
	});

	it('once authenticated it counts as sent: a halt of a stopped run leaves it to its answer, the timeout ends it', async () => {
		const halt = new Halt();
		const sender = pending();
		const started = Date.now();
		const outcome = exchange(sender.send, { ...call, halt, leavesOnAuthentication: { backstopSeconds: 60 } });
		const signal = leaving(sender.options());
		halt.halt('stopped');

		expect(await outcome).toEqual({ kind: 'lost', reason: 'timeout' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
		expect(signal?.aborted).toBe(true);
	});

	it('a cancelled execution ends even a request that left', async () => {
		const halt = new Halt();
		const sender = pending();
		const outcome = exchange(sender.send, { ...call, halt, leavesOnAuthentication: { backstopSeconds: 60 } });
		leaving(sender.options());
		halt.halt('cancelled');

		expect(await outcome).toEqual({ kind: 'lost', reason: 'cancelled' });
	});

	it('should n8n never authenticate these very options, the backstop still ends the wait', async () => {
		const sender = pending();
		expect(await exchange(sender.send, { ...call, leavesOnAuthentication: { backstopSeconds: 0 } })).toEqual({ kind: 'lost', reason: 'timeout' });
	});
});
