/**
 * A PKCS#12 file (.pfx/.p12) is a DER (or BER) SEQUENCE whose first element is the INTEGER
 * version 3 (RFC 7292, PFX). Checking that much catches the usual mistakes (a PEM file, a .cer,
 * a text file, an empty property) before Commvault is handed bytes it cannot use.
 */
export function looksLikePkcs12(bytes: Buffer): boolean {
	if (bytes.length < 8 || bytes[0] !== 0x30) return false;

	let offset = 1;
	const first = bytes[offset++];
	if (first === 0x80) {
		// BER indefinite length: some Windows exports use it; the content runs to the end.
	} else if (first < 0x80) {
		if (offset + first !== bytes.length) return false;
	} else {
		const lengthBytes = first & 0x7f;
		if (lengthBytes > 4 || offset + lengthBytes > bytes.length) return false;
		let length = 0;
		for (let k = 0; k < lengthBytes; k++) length = length * 256 + bytes[offset++];
		if (offset + length !== bytes.length) return false;
	}

	return bytes[offset] === 0x02 && bytes[offset + 1] === 0x01 && bytes[offset + 2] === 0x03;
}
