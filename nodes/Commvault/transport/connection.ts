/**
 * Turns what users paste as the Command Center address into the API root every path is appended
 * to. Pasting the address bar or an example URL is common, so whitespace, trailing slashes and a
 * trailing API version are forgiven; a missing scheme is not guessed (http vs https matters).
 */
export function normalizeBaseUrl(raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') {
		throw new Error('The Commvault credential has no Base URL. Set it to e.g. https://cc.example.com/commandcenter/api');
	}
	if (!/^https?:\/\/[^/\s]+/i.test(text)) {
		throw new Error(
			'The Commvault credential\'s Base URL must start with https:// (or http://), e.g. https://cc.example.com/commandcenter/api',
		);
	}
	return text.replace(/\/+$/, '').replace(/\/v[24]$/i, '').replace(/\/+$/, '');
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
