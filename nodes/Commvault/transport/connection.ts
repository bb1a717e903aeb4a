import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { authtokenHeader } from '../helpers/authtoken';
import { clean, cleanText } from '../helpers/text';
import { BASE_URL_NEEDS_SCHEME, BASE_URL_WITH_USER, NO_BASE_URL, TIMEOUT_SECONDS_RANGE, timeoutOutOfRangeMessage } from './messages';

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
	const text = typeof raw === 'string' ? clean(raw) : '';
	if (text === '') return { problem: NO_BASE_URL };
	const match = /^(https?):\/\/([^/?#\s]+)([^?#\s]*)([?#].*)?$/i.exec(text);
	if (!match) return { problem: BASE_URL_NEEDS_SCHEME };
	const [, scheme, authority, rawPath] = match;
	if (authority.includes('@')) return { problem: BASE_URL_WITH_USER };
	let path = rawPath.replace(/\/+$/, '').replace(/\/v[24]$/i, '').replace(/\/+$/, '');
	if (/\/(commandcenter|webconsole)$/i.test(path)) path += '/api';
	return { baseUrl: `${scheme.toLowerCase()}://${authority}${path}` };
}

export type AuthenticationMode = 'authtoken' | 'password';

export function authenticationMode(credentials: ICredentialDataDecryptedObject): AuthenticationMode {
	return credentials.authentication === 'password' ? 'password' : 'authtoken';
}

export function usernameOf(credentials: ICredentialDataDecryptedObject): string {
	return cleanText(credentials.username);
}

export function passwordOf(credentials: ICredentialDataDecryptedObject): string {
	return cleanText(credentials.password);
}

export const DEFAULT_TIMEOUT_SECONDS = 300;

function inTimeoutRange(value: number): boolean {
	return Number.isFinite(value) && value >= TIMEOUT_SECONDS_RANGE.min && value <= TIMEOUT_SECONDS_RANGE.max;
}

function timeoutUnset(raw: unknown): boolean {
	return raw === undefined || raw === null || raw === '';
}

/** The credential's bound on one request's whole answer; a credential saved before the field existed gets the default. */
export function timeoutSecondsOf(credentials: ICredentialDataDecryptedObject): number {
	const value = Number(credentials.timeoutSeconds);
	return !timeoutUnset(credentials.timeoutSeconds) && inTimeoutRange(value) ? value : DEFAULT_TIMEOUT_SECONDS;
}

/** Why the credential's timeout cannot be used (outside 1 to 3,600 s), checked before anything is sent. */
export function timeoutProblem(credentials: ICredentialDataDecryptedObject): string | undefined {
	const raw = credentials.timeoutSeconds;
	return timeoutUnset(raw) || inTimeoutRange(Number(raw)) ? undefined : timeoutOutOfRangeMessage(raw);
}

/**
 * The fields of the credential a user edits in n8n's dialog (every one but the hidden session
 * fields n8n writes itself): a run goes on with its own credential data, and the login token n8n
 * wrote into it, until one of them is edited.
 */
export const EDITABLE_FIELDS = ['baseUrl', 'authentication', 'username', 'password', 'authtoken', 'ignoreSslIssues', 'timeoutSeconds'] as const;

/** True when no editable field differs: the same credential as the user saved it. */
export function sameEditableFields(a: ICredentialDataDecryptedObject, b: ICredentialDataDecryptedObject): boolean {
	return EDITABLE_FIELDS.every((field) => a[field] === b[field]);
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

/** True when the stored session belongs to this credential as it is now (see sessionBinding). */
export function hasSession(credentials: ICredentialDataDecryptedObject): boolean {
	const binding = sessionBinding(credentials);
	const token = credentials.sessionToken;
	return binding !== '' && typeof token === 'string' && token !== '' && credentials.sessionFor === binding;
}

/**
 * The value of the `Authtoken` header for a request to `url`, or '' when there is nothing valid
 * to send: a token goes only to the Base URL it belongs to, whatever URL a request was given.
 */
export function authtokenFor(credentials: ICredentialDataDecryptedObject, url: string): string {
	const checked = parseBaseUrl(credentials.baseUrl);
	if ('problem' in checked || !url.startsWith(`${checked.baseUrl}/`)) return '';
	if (authenticationMode(credentials) === 'authtoken') return authtokenHeader(credentials.authtoken);
	if (!hasSession(credentials)) return '';
	return authtokenHeader(credentials.sessionToken);
}
