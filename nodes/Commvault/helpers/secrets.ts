import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { authtokenHeader } from './authtoken';
import { fromBase64Text, toBase64 } from './encoding';
import { clean } from './text';

const MIN_SECRET_LENGTH = 4;

/**
 * Above this length a value is a certificate, not a typed secret: it is looked for as sent only,
 * since its encoded forms would cost megabytes per item and no error page quotes a whole file.
 */
const MAX_ENCODED_SECRET_LENGTH = 16 * 1024;

/**
 * Replaces every occurrence of a secret in the texts that leave the node (error messages from
 * Commvault can echo request fields); the secrets are sorted once, longest first. Very short
 * values are skipped: they would redact ordinary words and no real secret is that short.
 */
export function redactor(secrets: Array<string | undefined>): (text: string) => string {
	const distinct = [...new Set(secrets.filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH))];
	distinct.sort((a, b) => b.length - a.length);
	// Most texts are names and ids shorter than any secret: those are returned at once.
	const shortest = distinct.length > 0 ? distinct[distinct.length - 1].length : Number.POSITIVE_INFINITY;
	return (text) => {
		if (text.length < shortest) return text;
		let result = text;
		for (let index = 0; index < distinct.length; index++) {
			const secret = distinct[index];
			if (result.includes(secret)) result = result.split(secret).join('[redacted]');
		}
		return result;
	};
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** HTML escapers differ in how, and whether, they write the two quotes. */
const QUOTES = [
	['&quot;', '&#39;'],
	['&quot;', '&#x27;'],
	['&#34;', '&apos;'],
	['"', "'"],
];

/**
 * How a server may quote a value it was sent, besides as is: percent-encoded (upper and lower
 * case hex, and as a form with `+` for spaces), as hex of its UTF-8 bytes, and HTML-escaped.
 */
function encodedForms(text: string): string[] {
	const percent = encodeURIComponent(text);
	const hex = Buffer.from(text, 'utf8').toString('hex');
	const html = QUOTES.map(([double, single]) => text.replace(/[&<>"']/g, (c) => (c === '"' ? double : c === "'" ? single : HTML[c])));
	return [
		text,
		percent,
		percent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
		percent.replace(/%20/g, '+'),
		new URLSearchParams({ v: text }).toString().slice(2),
		hex,
		hex.toUpperCase(),
		...html,
	];
}

/**
 * A secret as typed, as sent (cleaned of what pasting adds), and base64 of both; for a value
 * given as base64 ("Already Base64"), the text it stands for, which Commvault may show decoded;
 * and each of these percent-encoded, as hex and HTML-escaped.
 */
export function secretForms(values: unknown[]): string[] {
	const texts = values.filter((v): v is string => typeof v === 'string' && clean(v) !== '');
	return texts.flatMap((text) => {
		if (text.length > MAX_ENCODED_SECRET_LENGTH) return [text];
		const trimmed = clean(text);
		const decoded = fromBase64Text(trimmed);
		const plain = [text, trimmed, toBase64(text), toBase64(trimmed), ...(decoded === undefined ? [] : [decoded])];
		return [...new Set(plain.flatMap(encodedForms))];
	});
}

/**
 * secretForms worked out once per value for as long as the cache lives (one run): the same
 * secrets come back for every item, and their forms are the costly part of redaction.
 */
export class SecretFormCache {
	private readonly forms = new Map<string, string[]>();

	of(values: unknown[]): string[] {
		return values.flatMap((value) => {
			if (typeof value !== 'string') return [];
			let forms = this.forms.get(value);
			if (!forms) {
				forms = secretForms([value]);
				this.forms.set(value, forms);
			}
			return forms;
		});
	}
}

/** A token as stored, as sent in the Authtoken header, and without its scheme word (`QSDK `…). */
function tokenForms(value: unknown): string[] {
	const header = authtokenHeader(value);
	if (header === '') return [];
	return [value as string, header, header.replace(/^\S+ /, '')];
}

/** The credential's secrets (Authtoken, login token, password) in every form Commvault could echo. */
export function credentialSecretForms(credentials: ICredentialDataDecryptedObject): string[] {
	return secretForms(credentialSecretValues(credentials));
}

/**
 * The one list of the credentials' secret fields, of both credential types: the Commvault
 * credential's (its tokens also with and without their scheme word) and the Azure app
 * registration's. Every password field of a credential is here (test/unit/credential.test.ts).
 */
const TOKEN_FIELDS = ['authtoken', 'sessionToken'] as const;
// The thumbprint is public, but n8n's rules make it a password field: kept out of outputs as one.
const SECRET_FIELDS = ['password', 'applicationSecret', 'certificate', 'certificatePassword', 'refreshToken', 'certificateThumbprint'] as const;

/** The secret values a credential's data holds, whichever of the node's credential types it is. */
export function credentialSecretValues(credentials: ICredentialDataDecryptedObject): unknown[] {
	return [...TOKEN_FIELDS.flatMap((field) => tokenForms(credentials[field])), ...SECRET_FIELDS.map((field) => credentials[field])];
}

/** The names of the credential fields credentialSecretValues reads. */
export const CREDENTIAL_SECRET_FIELDS: readonly string[] = [...TOKEN_FIELDS, ...SECRET_FIELDS];
