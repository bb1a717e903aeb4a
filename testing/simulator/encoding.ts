/** Checks on the encoded values Commvault expects, so encoding mistakes in a client show up as errors. */
import { createSecureContext } from 'tls';

/**
 * Strict base64: Node's decoder silently skips invalid characters, which would let a client that
 * forgot to encode (a plain secret like `s3cr3t~x`) pass. Standard alphabet, padded.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
	if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
	const bytes = Buffer.from(text, 'base64');
	return bytes.toString('base64') === text ? bytes : undefined;
}

/** Decodes base64 of UTF-8 text; undefined when the base64 or the UTF-8 is malformed. */
export function decodeBase64Utf8(text: string): string | undefined {
	const bytes = decodeBase64Strict(text);
	if (!bytes) return undefined;
	const decoded = bytes.toString('utf8');
	return Buffer.from(decoded, 'utf8').equals(bytes) ? decoded : undefined;
}

export type Pkcs12Check = 'ok' | 'not-pkcs12' | 'wrong-password' | 'password-ok-content-unverifiable';

/**
 * Answers whether `der` is a PKCS#12 file that `password` opens. The ASN.1 prefix check
 * (SEQUENCE, then INTEGER 3) catches PEM files and bytes mangled by a text round-trip; OpenSSL
 * then checks the MAC, which proves the password. A legacy-cipher (RC2) file passes the MAC but
 * cannot be decrypted by Node's OpenSSL 3, which is as far as we can check it.
 */
export function checkPkcs12(der: Buffer, password: string): Pkcs12Check {
	if (!hasPfxHeader(der)) return 'not-pkcs12';
	try {
		createSecureContext({ pfx: der, passphrase: password });
		return 'ok';
	} catch (error: unknown) {
		const message = error instanceof Error ? error.message : String(error);
		if (/mac verify failure/i.test(message)) return 'wrong-password';
		if (/unsupported/i.test(message)) return 'password-ok-content-unverifiable';
		return 'not-pkcs12';
	}
}

function hasPfxHeader(der: Buffer): boolean {
	if (der.length < 8 || der[0] !== 0x30) return false;
	// DER length: short form (< 0x80) or long form 0x8N followed by N length bytes.
	const lengthBytes = der[1] & 0x80 ? der[1] & 0x7f : 0;
	const versionAt = 2 + lengthBytes;
	return der[versionAt] === 0x02 && der[versionAt + 1] === 0x01 && der[versionAt + 2] === 0x03;
}
