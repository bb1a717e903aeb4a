import { clean } from './text';

/** The scheme words Commvault's own clients recognise at the start of a token, in their spelling. */
const TOKEN_SCHEMES: Record<string, string> = { qsdk: 'QSDK', saml: 'SAML', bearer: 'Bearer' };

/**
 * Commvault's own clients send a token that already names its scheme unchanged and prefix
 * `QSDK ` otherwise, so users may paste either form of a login token or an API access token.
 * The scheme word is matched in any case and sent in Commvault's spelling: a pasted `qsdk …`
 * would otherwise go out as `QSDK qsdk …`.
 */
export function authtokenHeader(raw: unknown): string {
	const token = typeof raw === 'string' ? clean(raw) : '';
	if (token === '') return '';
	const scheme = /^(\S+)\s+(\S.*)$/s.exec(token);
	const known = scheme ? TOKEN_SCHEMES[scheme[1].toLowerCase()] : undefined;
	if (scheme && known) return `${known} ${clean(scheme[2])}`;
	return `QSDK ${token}`;
}
