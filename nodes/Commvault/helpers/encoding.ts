/** Commvault wants the Azure secret and the certificate password as base64 of their UTF-8 bytes. */
export function toBase64(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Users who choose "already base64" must really give base64: Commvault would decode garbage
 * into a wrong secret and only fail much later, at the first backup.
 */
export function isBase64(text: string): boolean {
	return text.length > 0 && BASE64_PATTERN.test(text);
}

/** The text a base64 value stands for, when it is base64 of UTF-8 text (what "Already Base64" users give). */
export function fromBase64Text(text: string): string | undefined {
	if (!isBase64(text)) return undefined;
	const decoded = Buffer.from(text, 'base64').toString('utf8');
	return toBase64(decoded) === text ? decoded : undefined;
}
