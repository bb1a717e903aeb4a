import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { BASE_URL_FORMS } from './messages';

/**
 * Turns what users paste as the Command Center address into the API root every path is appended
 * to. Pasting the browser's address bar or an endpoint's URL is common, so whitespace, a query or
 * #fragment, trailing slashes and a trailing API version (/v4, /v2) are dropped, and the web
 * console's own path (/commandcenter, /webconsole) gets the /api it lacks. A missing scheme is
 * not guessed (http vs https matters), and user:password@ in the URL is refused: it would travel
 * in clear to every log that prints the address.
 */
export function normalizeBaseUrl(raw: unknown): string {
	const checked = parseBaseUrl(raw);
	if ('problem' in checked) throw new Error(checked.problem);
	return checked.baseUrl;
}

/** normalizeBaseUrl without throwing: the API root, or what is wrong with the Base URL. */
export function parseBaseUrl(raw: unknown): { baseUrl: string } | { problem: string } {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') {
		return { problem: `The Commvault credential has no Base URL. Set it to ${BASE_URL_FORMS}` };
	}
	const match = /^(https?):\/\/([^/?#\s]+)([^?#\s]*)([?#].*)?$/i.exec(text);
	if (!match) {
		return {
			problem: `The Commvault credential's Base URL must start with https:// (or http://) and hold no spaces, e.g. ${BASE_URL_FORMS}`,
		};
	}
	const [, scheme, authority, rawPath] = match;
	if (authority.includes('@')) {
		return {
			problem:
				"The Commvault credential's Base URL must not hold a user name or password (user@host): enter them in the credential's own fields",
		};
	}
	let path = rawPath.replace(/\/+$/, '').replace(/\/v[24]$/i, '').replace(/\/+$/, '');
	if (/\/(commandcenter|webconsole)$/i.test(path)) path += '/api';
	return { baseUrl: `${scheme.toLowerCase()}://${authority}${path}` };
}

const TOKEN_SCHEMES = /^(QSDK|SAML|Bearer) /;

/**
 * Commvault's own clients send a token that already names its scheme unchanged and prefix
 * `QSDK ` otherwise, so users may paste either form of a login token or an API access token.
 */
export function authtokenHeader(raw: unknown): string {
	const token = typeof raw === 'string' ? raw.trim() : '';
	if (token === '') return '';
	return TOKEN_SCHEMES.test(token) ? token : `QSDK ${token}`;
}

export type AuthenticationMode = 'authtoken' | 'password';

export function authenticationMode(credentials: ICredentialDataDecryptedObject): AuthenticationMode {
	return credentials.authentication === 'password' ? 'password' : 'authtoken';
}

export function usernameOf(credentials: ICredentialDataDecryptedObject): string {
	return typeof credentials.username === 'string' ? credentials.username.trim() : '';
}

/**
 * Which sign-in a stored login token belongs to. n8n keeps the hidden token when the user edits
 * the credential, so without this a token of the old user, or one issued by the old host, would
 * go on being sent (to the new host) until it happened to expire.
 */
export function sessionBinding(credentials: ICredentialDataDecryptedObject): string {
	const checked = parseBaseUrl(credentials.baseUrl);
	if ('problem' in checked) return '';
	const { baseUrl } = checked;
	const mode = authenticationMode(credentials);
	return mode === 'password' ? `password ${usernameOf(credentials)} at ${baseUrl}` : `authtoken at ${baseUrl}`;
}

/**
 * Stored in the expirable field in Authtoken mode once the token passed its check: not a
 * secret, it only tells n8n that nothing needs checking before the next request.
 */
export const AUTHTOKEN_CHECKED = 'authtoken-checked';

/** The value of the `Authtoken` header for a request, or '' when there is nothing valid to send. */
export function authtokenFor(credentials: ICredentialDataDecryptedObject): string {
	if (authenticationMode(credentials) === 'authtoken') return authtokenHeader(credentials.authtoken);
	const binding = sessionBinding(credentials);
	if (binding === '' || credentials.sessionFor !== binding) return '';
	return authtokenHeader(credentials.sessionToken);
}
