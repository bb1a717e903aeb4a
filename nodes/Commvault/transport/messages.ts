/*
 * Every sentence the transport and the credential say to the user, written once. These texts
 * pass through n8n's NodeApiError, which replaces a whole message by a generic sentence ("The
 * service refused the connection - perhaps it is offline") when it contains a Node.js error code
 * such as ECONNREFUSED or ENOTFOUND. So those codes are described in words here, never quoted.
 */

import type { HaltReason } from './halt';

/** No placeholder in angle brackets: descriptions are rendered as HTML in the editor, which drops them. */
export const BASE_URL_FORMS =
	"your Command Center's https:// address followed by /commandcenter/api (older installs: /webconsole/api), or https://api.metallic.io for Commvault Cloud";

export const IGNORE_SSL_FIELD = 'Ignore SSL Issues (Insecure)';

export const TIMEOUT_FIELD = 'Request Timeout (Seconds)';

/** The credential's timeout bounds (contract: 1 to 3,600 s); n8n's timers also break on far larger values. */
export const TIMEOUT_SECONDS_RANGE = { min: 1, max: 3600 } as const;

export function timeoutOutOfRangeMessage(value: unknown): string {
	return `The Commvault credential's "${TIMEOUT_FIELD}" (timeoutSeconds) must be from 1 to 3,600 seconds, got ${String(value).slice(0, 20)}: nothing was sent. Open the credential and correct it.`;
}

export function hostOf(url: string): string {
	return url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0];
}

/** Why a connection failed before Commvault could see the request. */
export function describeNetworkFailure(networkCode: string | undefined, baseUrl: string): string {
	const host = hostOf(baseUrl);
	if (!networkCode) return `could not reach ${host}`;
	if (/^(ENOTFOUND|EAI_AGAIN)$/.test(networkCode)) {
		return `the host ${host} could not be found (no DNS entry): check the host name in the Base URL`;
	}
	if (networkCode === 'ECONNREFUSED') {
		return `could not connect to ${host}, the connection was refused: check the host and port in the Base URL and that Command Center is running`;
	}
	if (/^(EHOSTUNREACH|ENETUNREACH)$/.test(networkCode)) {
		return `could not connect to ${host}, the network has no route to it: check the Base URL, and that a firewall or proxy lets n8n reach it`;
	}
	if (/^(EPROTO|ERR_SSL_WRONG_VERSION_NUMBER)$/.test(networkCode)) {
		return `${host} did not answer with TLS (${networkCode}): if the server serves plain HTTP on this port, start the Base URL with http://, else check the port`;
	}
	if (/CERT|SELF_SIGNED|UNABLE_TO_|TLS|SSL/.test(networkCode)) {
		return `the TLS certificate of ${host} could not be verified (${networkCode}): install a trusted certificate on Command Center, or turn on "${IGNORE_SSL_FIELD}" in the credential`;
	}
	return `the request to ${host} failed with a network error: check the Base URL, and that a firewall or proxy lets n8n reach it`;
}

export function unreachableMessage(networkCode: string | undefined, baseUrl: string): string {
	return `Could not reach Commvault: ${describeNetworkFailure(networkCode, baseUrl)}`;
}

/** Why a request that reached Commvault (or may have) got no complete answer. */
export function describeLostAnswer(reason: 'timeout' | 'cut' | 'cancelled', timeoutSeconds: number): string {
	if (reason === 'timeout') {
		return `no complete answer came within ${timeoutSeconds} s (the credential's "${TIMEOUT_FIELD}")`;
	}
	if (reason === 'cancelled') return 'the execution was stopped before the answer came';
	return 'the connection was dropped before the whole answer came';
}

/** A request that never left: the run halted first. */
export function notSentMessage(call: string, reason: HaltReason): string {
	const why = reason === 'stopped' ? 'the run stopped at a failed item first' : 'the execution was cancelled first';
	return `The request ${call} was not sent: ${why}`;
}

/** What a run may create in Commvault, as its stop message counts and lists them. */
export type CreatedKind = 'app' | 'company';

const CREATED_KINDS: ReadonlyArray<{ kind: CreatedKind; one: string; many: string; list: string }> = [
	{ kind: 'company', one: 'company', many: 'companies', list: 'Companies' },
	{ kind: 'app', one: 'app', many: 'apps', list: 'Apps' },
];

/**
 * The run stopped at a failed item while other items' requests were out: what they created is
 * named, so nothing Commvault did goes unreported.
 */
export function createdBeforeStopMessage(created: ReadonlyArray<{ kind: CreatedKind }>): string {
	const counts = CREATED_KINDS.map(({ kind, one, many }) => {
		const count = created.filter((entity) => entity.kind === kind).length;
		return count === 0 ? '' : `${count} ${count === 1 ? one : many}`;
	}).filter(Boolean);
	return `Before the run stopped, it created ${counts.join(' and ')} in Commvault (listed in the details): do not create ${created.length === 1 ? 'it' : 'them'} again`;
}

/** `unfinished`: an app created, but the item failed after (its content was not added). */
export function createdList(created: ReadonlyArray<{ kind: CreatedKind; id: number; name: string; unfinished: boolean }>): string {
	return CREATED_KINDS.map(({ kind, list }) => {
		const of = created.filter((entity) => entity.kind === kind);
		const named = of.map((entity) => `${entity.id} "${entity.name}"${kind === 'app' && entity.unfinished ? ' (its content not added)' : ''}`);
		return of.length === 0 ? '' : `${list} this run created (id and name): ${named.join(', ')}.`;
	})
		.filter(Boolean)
		.join(' ');
}

/** A request as the messages name it; one acting for a company says which (its `operatorCompanyId`). */
export function describeCall(method: string, path: string, company?: number): string {
	return `${method} ${path}${company === undefined ? '' : ` for company ${company}`}`;
}

/** A request Commvault may have carried out although its answer was lost. */
export function mayHaveBeenDoneMessage(done: string, call: string, lost: string): string {
	return `Commvault may have ${done}: the request ${call} was sent, but ${lost}`;
}

export const MAY_HAVE_BEEN_DONE_ADVICE =
	'Check in Command Center whether it was done before you run this item again. The node never sends such a request twice by itself; n8n\'s "Retry On Fail" would send it again (Commvault then refuses an app name that already exists).';

export function noCompleteAnswerMessage(call: string, lost: string): string {
	return `Commvault did not answer ${call}: ${lost}`;
}

/** A web server answered, but not Commvault's API: the path part of the Base URL is wrong. */
export function noApiMessage(baseUrl: string, call: string, status: number | undefined): string {
	const answer = status === undefined ? 'did not answer like the Commvault API' : `answered HTTP ${status}`;
	return `No Commvault API at the Base URL ${baseUrl} (${call} ${answer}): set the Base URL to ${BASE_URL_FORMS}`;
}

export function notFoundMessage(call: string): string {
	return `Commvault answered 404 Not Found to ${call}`;
}

export function notFoundAdvice(baseUrl: string): string {
	return `Check the credential's Base URL (${baseUrl}): it should end in /commandcenter/api (or /webconsole/api), or be https://api.metallic.io for Commvault Cloud.`;
}

export function redirectMessage(status: number, call: string, target: string | undefined): string {
	const where = target ? `to ${target}` : 'without saying where';
	return `Commvault's address answered ${call} with HTTP ${status}, a redirect ${where}: the node does not follow redirects, so nothing was sent there`;
}

export function redirectAdvice(baseUrl: string): string {
	return `Set the credential's Base URL to the Command Center API address itself (now ${baseUrl}); a proxy or single sign-on gateway that redirects API calls must let them through.`;
}

/** A 2xx answer that is not the success Commvault's schema declares. */
export function unexpectedAnswerMessage(call: string, status: number, expected: string, got: string): string {
	return `Commvault's answer to ${call} (HTTP ${status}) is not ${expected}: it is ${got}`;
}

export function unexpectedAnswerAdvice(baseUrl: string): string {
	return `Nothing counts as done. If the answer is a web page, the Base URL (${baseUrl}) is probably not the Commvault API: set it to ${BASE_URL_FORMS}.`;
}

export function webPageMessage(status: number): string {
	return `Commvault answered HTTP ${status} with a web page instead of its JSON API answer`;
}

export function webPageAdvice(snippet: string, baseUrl: string, call: string): string {
	return `The page says "${snippet}". A web page usually means the Base URL (${baseUrl}) is not the Commvault API: set it to ${BASE_URL_FORMS}. (${call})`;
}

export function textAnswerMessage(status: number): string {
	return `Commvault answered HTTP ${status} with a text instead of its JSON error`;
}

export function textAnswerAdvice(snippet: string, call: string): string {
	return `Its answer to ${call}: "${snippet}"`;
}

export function httpStatusMessage(status: number): string {
	return `Commvault answered HTTP ${status} without a message`;
}

export function httpStatusAdvice(status: number, errorCode: number | undefined, call: string): string {
	return `Commvault answered HTTP ${status}${errorCode !== undefined ? ` (errorCode ${errorCode})` : ''} to ${call}.`;
}

export function credentialRefusedMessage(fromCommvault: string | undefined): string {
	return `Commvault refused the credential (401)${fromCommvault ? `: ${fromCommvault}` : ''}`;
}

export const REFUSED_AFTER_SIGN_IN =
	'Commvault refused the request even right after n8n signed in again: the user may lack access to this API, or the Command Center session was ended. The node sends nothing more in this run.';

export const RATE_LIMIT_ADVICE = 'Run the workflow again later, or lower Options > Concurrency.';

/** What a 429 limited: the node's requests, or the sign-ins n8n makes for them. */
export type RateLimited = 'requests' | 'sign-ins';

export function rateLimitedMessage(what: RateLimited, fromCommvault: string | undefined, attempts: number): string {
	return `Commvault is limiting ${what} (HTTP 429${fromCommvault ? `: ${fromCommvault}` : ''}): n8n tried ${attempts} times, waiting as Commvault asked`;
}

export function rateLimitTooLongMessage(seconds: number, maxSeconds: number): string {
	return `Commvault is limiting requests (HTTP 429) and asked to wait ${seconds} s before the next one, longer than the ${maxSeconds} s the node waits`;
}

export function rateLimitBudgetMessage(waitedSeconds: number): string {
	return `Commvault is limiting requests (HTTP 429), and this run already waited ${waitedSeconds} s for it, as long as one run waits`;
}

export function signInUnavailableMessage(what: string, attempts: number): string {
	return `Commvault could not sign in now (${what}; n8n tried ${attempts} times): this is not a wrong password or token, the other items go on`;
}

export const SIGN_IN_HALTED = 'Commvault sign-in given up: the run that needed it sends nothing more';

export const SIGN_IN_UNAVAILABLE_ADVICE = 'Run the workflow again when Command Center answers; if this persists, check its services and the network path.';

export function signInFailedMessage(status: number, fromCommvault: string | undefined): string {
	return `Commvault login failed (HTTP ${status}${fromCommvault ? `: ${fromCommvault}` : ''}): Command Center could not sign the user in; check the Base URL`;
}

export function loginWithoutTokenMessage(baseUrl: string): string {
	return `Commvault login answered without a token. ${noApiMessage(baseUrl, 'POST /Login', 200)}`;
}

/** The description of every credential failure in a run; the message already says what is wrong. */
export const FIX_CREDENTIAL =
	'Open the Commvault credential, correct it, and press its Test button: it checks the Base URL, the certificate and the sign-in.';

export const CHECK_AUTHTOKEN =
	'Paste a current Commvault login token or API access token (with or without "QSDK "), or switch the credential to User Name and Password so n8n signs in and renews the login itself.';

export const CHECK_USER_AND_PASSWORD =
	'Check the User Name (for a domain user: DOMAIN\\user or user@company.com) and the Password of the Commvault credential.';

export function missingSignInFieldsMessage(): string {
	return `Commvault login: the credential needs both a User Name and a Password. ${CHECK_USER_AND_PASSWORD}`;
}

export function missingAuthtokenMessage(): string {
	return `The Commvault credential has no Authtoken. ${CHECK_AUTHTOKEN}`;
}

/** Commvault's own messages may or may not end with a full stop; ours follow them. */
export function sentence(text: string): string {
	return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function authtokenRefusedMessage(fromCommvault: string | undefined): string {
	return `Commvault refused the Authtoken (HTTP 401${fromCommvault ? `: ${fromCommvault}` : ''}): the token is wrong or has expired. ${CHECK_AUTHTOKEN}`;
}

export function authtokenNotAcceptedMessage(fromCommvault: string): string {
	return `Commvault did not accept the Authtoken: ${sentence(fromCommvault)} ${CHECK_AUTHTOKEN}`;
}

export function loginRefusedMessage(username: string, fromCommvault: string | undefined): string {
	return `Commvault login failed for user "${username}": ${sentence(fromCommvault ?? 'wrong user name or password')} ${CHECK_USER_AND_PASSWORD}`;
}

export const NO_BASE_URL = `The Commvault credential has no Base URL. Set it to ${BASE_URL_FORMS}`;

export const BASE_URL_NEEDS_SCHEME = `The Commvault credential's Base URL must start with https:// (or http://) and hold no spaces: ${BASE_URL_FORMS}`;

export const BASE_URL_WITH_USER =
	"The Commvault credential's Base URL must not hold a user name or password (user@host): enter them in the credential's own fields";

/** The Test button's rules: what n8n versions that apply them show when the test request itself answers so. */
export const TEST_RULE_401 = `${credentialRefusedMessage(undefined)}. ${CHECK_AUTHTOKEN}`;

export const TEST_RULE_404 = noApiMessage('of this credential', 'GET /V4/PlanIds', 404);

/** An outcome the sign-in cannot meet (it has no sign-in of its own), should n8n ever give one. */
export function describeOutcome(kind: string): string {
	return `Commvault sign-in failed unexpectedly (${kind})`;
}
