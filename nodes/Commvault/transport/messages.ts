/*
 * What the user reads when the credential cannot be used. These texts pass through n8n's
 * NodeApiError, which replaces a whole message by a generic sentence ("The service refused the
 * connection - perhaps it is offline") when it contains a Node.js error code such as
 * ECONNREFUSED or ENOTFOUND. So those codes are described in words here, never quoted.
 */

export const BASE_URL_FORMS =
	'https://<CommandCenterHost>/commandcenter/api (older installs: /webconsole/api), or https://api.metallic.io for Commvault Cloud';

export const IGNORE_SSL_FIELD = 'Ignore SSL Issues (Insecure)';

function hostOf(baseUrl: string): string {
	return baseUrl.replace(/^https?:\/\//i, '').split('/')[0];
}

/** Turns a socket or TLS error code into what the user should check. */
export function describeNetworkFailure(networkCode: string | undefined, baseUrl: string): string {
	const host = hostOf(baseUrl);
	if (!networkCode) return `could not reach ${host}`;
	if (/^(ENOTFOUND|EAI_AGAIN)$/.test(networkCode)) {
		return `the host ${host} could not be found (no DNS entry): check the host name in the Base URL`;
	}
	if (networkCode === 'ECONNREFUSED') {
		return `could not connect to ${host}, the connection was refused: check the host and port in the Base URL and that Command Center is running`;
	}
	if (/^(ETIMEDOUT|ECONNABORTED|ESOCKETTIMEDOUT)$/.test(networkCode)) {
		return `could not connect to ${host}, no answer in time: check the Base URL, and that a firewall or proxy lets n8n reach it`;
	}
	if (/^(EHOSTUNREACH|ENETUNREACH|ECONNRESET)$/.test(networkCode)) {
		return `could not connect to ${host}, the network dropped the connection: check the Base URL, and that a firewall or proxy lets n8n reach it`;
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

/** A web server answered, but not Commvault's API: the path part of the Base URL is wrong. */
export function noApiMessage(baseUrl: string, call: string, status: number | undefined): string {
	const answer = status === undefined ? 'did not answer like the Commvault API' : `answered HTTP ${status}`;
	return `No Commvault API at the Base URL ${baseUrl} (${call} ${answer}): set the Base URL to ${BASE_URL_FORMS}`;
}

/** The description of every credential failure in a run; the message already says what is wrong. */
export const FIX_CREDENTIAL =
	'Open the Commvault credential, correct it, and press its Test button: it checks the Base URL, the certificate and the sign-in.';

export const CHECK_AUTHTOKEN =
	'Paste a current Commvault login token or API access token (with or without "QSDK "), or switch the credential to User Name and Password so n8n signs in and renews the login itself.';

export const CHECK_USER_AND_PASSWORD =
	'Check the User Name (for a domain user: DOMAIN\\user or user@company.com) and the Password of the Commvault credential.';

/** Commvault's own messages may or may not end with a full stop; ours follow them. */
export function sentence(text: string): string {
	return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function authtokenRefusedMessage(fromCommvault: string | undefined): string {
	return `Commvault refused the Authtoken (HTTP 401${fromCommvault ? `: ${fromCommvault}` : ''}): the token is wrong or has expired. ${CHECK_AUTHTOKEN}`;
}

export function loginRefusedMessage(username: string, fromCommvault: string | undefined): string {
	return `Commvault login failed for user "${username}": ${sentence(fromCommvault ?? 'wrong user name or password')} ${CHECK_USER_AND_PASSWORD}`;
}
