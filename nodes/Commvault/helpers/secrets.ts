import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { authtokenHeader } from './authtoken';
import { fromBase64Text, toBase64 } from './encoding';
import { clean } from './text';

const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of a secret in text that leaves the node (error messages from
 * Commvault can echo request fields). Very short values are skipped: they would redact ordinary
 * words and no real secret is that short.
 */
export function redactSecrets(text: string, secrets: Array<string | undefined>): string {
	return redactor(secrets)(text);
}

/** redactSecrets for many texts and the same secrets: the secrets are sorted once, longest first. */
export function redactor(secrets: Array<string | undefined>): (text: string) => string {
	const distinct = [...new Set(secrets.filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH))];
	distinct.sort((a, b) => b.length - a.length);
	return (text) => {
		let result = text;
		for (const secret of distinct) if (result.includes(secret)) result = result.split(secret).join('[redacted]');
		return result;
	};
}

/**
 * A secret as typed, as sent (cleaned of what pasting adds), and base64 of both; and for a value given as base64
 * ("Already Base64"), the text it stands for, which Commvault may show decoded.
 */
export function secretForms(values: unknown[]): string[] {
	const texts = values.filter((v): v is string => typeof v === 'string' && clean(v) !== '');
	return texts.flatMap((text) => {
		const trimmed = clean(text);
		const decoded = fromBase64Text(trimmed);
		return [text, trimmed, toBase64(text), toBase64(trimmed), ...(decoded === undefined ? [] : [decoded])];
	});
}

/** A token as stored, as sent in the Authtoken header, and without its scheme word (`QSDK `…). */
function tokenForms(value: unknown): string[] {
	const header = authtokenHeader(value);
	if (header === '') return [];
	return [value as string, header, header.replace(/^\S+ /, '')];
}

/** The credential's secrets (Authtoken, login token, password) in every form Commvault could echo. */
export function credentialSecretForms(credentials: ICredentialDataDecryptedObject): string[] {
	return secretForms([...tokenForms(credentials.authtoken), ...tokenForms(credentials.sessionToken), credentials.password]);
}
