/** Turns a socket or TLS error code into what the user should check. */
export function describeNetworkFailure(networkCode: string | undefined, baseUrl: string): string {
	const host = baseUrl.replace(/^https?:\/\//i, '').split('/')[0];
	if (!networkCode) return `could not reach ${host}`;
	if (/^(ENOTFOUND|EAI_AGAIN)$/.test(networkCode)) {
		return `the host ${host} could not be found (${networkCode}): check the Base URL`;
	}
	if (/^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNABORTED)$/.test(networkCode)) {
		return `could not connect to ${host} (${networkCode}): check the Base URL, the port and that Command Center is running`;
	}
	if (/CERT|SELF_SIGNED|UNABLE_TO_|TLS|SSL/.test(networkCode)) {
		return `the TLS certificate of ${host} could not be verified (${networkCode}): install a trusted certificate on Command Center, or turn on "Ignore SSL Issues (Insecure)" in the credential`;
	}
	return `the request to ${host} failed (${networkCode})`;
}
