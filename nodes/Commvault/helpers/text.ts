/**
 * What pasting adds around a value and is never part of a Commvault name, ID, secret, token or
 * thumbprint: white space and line breaks, the byte-order mark, zero-width characters, and the
 * direction marks Windows puts in front of a thumbprint copied from the certificate dialog.
 */
export const INVISIBLE = '\\s\\u00A0\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u206A-\\u206F\\uFEFF';
const AROUND = new RegExp(`^[${INVISIBLE}]+|[${INVISIBLE}]+$`, 'g');

export function clean(text: string): string {
	return text.replace(AROUND, '');
}

/** A value that is text (or a number, which expressions may give for an ID), cleaned; '' otherwise. */
export function cleanText(value: unknown): string {
	if (typeof value === 'string') return clean(value);
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

/**
 * A hint or description as n8n's editor needs it: the editor renders those texts as HTML and
 * drops any tag it does not allow, so a placeholder such as <tenant> would vanish unless written
 * as entities (the credential's hints do the same by hand).
 */
export function editorHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
