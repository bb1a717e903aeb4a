import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { toBase64 } from '../helpers/encoding';
import { normalizeBaseUrl } from './connection';
import { CommvaultLoginError, failureInBody, httpFailureOf, messageInBody, type HttpFailure } from './errors';
import { describeNetworkFailure } from './messages';

/**
 * POST /Login as Commvault's own clients do it: the password goes as base64 of its UTF-8 bytes.
 * Failures become CommvaultLoginError with Commvault's message and never the password or token.
 */
export async function logInToCommvault(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const username = typeof credentials.username === 'string' ? credentials.username.trim() : '';
	const password = typeof credentials.password === 'string' ? credentials.password : '';
	if (username === '' || password === '') {
		throw new CommvaultLoginError('Commvault login: the credential needs both a User Name and a Password');
	}

	let response: unknown;
	let failure: HttpFailure | undefined;
	try {
		response = await helper.helpers.httpRequest({
			method: 'POST',
			url: `${baseUrl}/Login`,
			body: { username, password: toBase64(password) },
			headers: { Accept: 'application/json' },
			json: true,
			skipSslCertificateValidation: credentials.ignoreSslIssues === true,
		});
	} catch (error) {
		failure = httpFailureOf(error);
	}
	if (failure) {
		if (failure.status === 401 || failure.status === 403) {
			throw new CommvaultLoginError(
				`Commvault login failed for user "${username}": ${messageInBody(failure.body) ?? 'wrong user name or password'}`,
			);
		}
		if (failure.status !== undefined) {
			throw new CommvaultLoginError(
				`Commvault login failed (HTTP ${failure.status})${failure.status === 404 ? ': no Commvault API at this Base URL' : ''}${messageInBody(failure.body) ? `: ${messageInBody(failure.body)}` : ''}`,
			);
		}
		throw new CommvaultLoginError(`Commvault login failed: ${describeNetworkFailure(failure.networkCode, baseUrl)}`);
	}

	const refusal = failureInBody(response);
	if (refusal) {
		throw new CommvaultLoginError(`Commvault login failed for user "${username}": ${refusal.message}`);
	}
	const token = (response as IDataObject | undefined)?.token;
	if (typeof token !== 'string' || token.trim() === '') {
		throw new CommvaultLoginError('Commvault login answered without a token: check the Base URL points at the Command Center API');
	}
	return token.trim();
}
