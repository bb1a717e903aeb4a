import type { IDataObject } from 'n8n-workflow';

/** Long enough to be a certificate, not a name or a secret: the size where a copy starts to matter. */
const LONG_STRING = 64 * 1024;

/** Characters that JSON writes as they are: a base64 string needs no escaping. */
const WRITTEN_AS_IS = /^[A-Za-z0-9+/=]*$/;

/**
 * The request body as the bytes that go out. Handing n8n's helper an object would have it
 * JSON.stringify a 27 MB certificate into one more string and then copy that into the buffer it
 * sends: two copies of the largest thing in the request. Long base64 strings go straight into the
 * buffer instead, which the helper sends as it is; everything else is JSON.stringify's own text.
 */
export function jsonBody(body: IDataObject): Buffer {
	const long: string[] = [];
	const marker = `n8n-nodes-commvault:${Math.random().toString(36).slice(2)}:`;
	const text = JSON.stringify(body, (_key, value: unknown) => {
		if (typeof value !== 'string' || value.length < LONG_STRING || !WRITTEN_AS_IS.test(value)) return value;
		long.push(value);
		return `${marker}${long.length - 1}`;
	});
	if (long.length === 0) return Buffer.from(text, 'utf8');

	// text, 0, text, 1, …, text: the marker sits between the quotes JSON gave the string
	const pieces = text.split(new RegExp(`${marker}(\\d+)`));
	if (pieces.length !== 2 * long.length + 1 || long.some((_, k) => pieces[2 * k + 1] !== String(k))) {
		return Buffer.from(JSON.stringify(body), 'utf8');
	}
	const parts = pieces.map((piece, at) => (at % 2 === 0 ? Buffer.from(piece, 'utf8') : long[Number(piece)]));
	const bytes = Buffer.alloc(parts.reduce((total, part) => total + part.length, 0));
	let offset = 0;
	// A base64 string is ASCII: one byte per character, written without another copy of it.
	for (const part of parts) offset += typeof part === 'string' ? bytes.write(part, offset, 'latin1') : part.copy(bytes, offset);
	return bytes;
}
