import type { IExecuteFunctions } from 'n8n-workflow';

import { isBase64 } from './encoding';
import { looksLikePkcs12 } from './pkcs12';
import { clean } from './text';
import { InvalidInput } from './validation';

/** The field's label, in messages and in the editor alike. */
export const CERTIFICATE_FIELD = 'Certificate File Field';

/**
 * Reads the certificate through n8n's binary helpers, which work whether n8n keeps binary data
 * in memory, on disk or in S3, and returns the base64 of the exact bytes Commvault expects.
 */
export async function readCertificate(context: IExecuteFunctions, itemIndex: number, property: string): Promise<string> {
	const name = clean(property);
	const item = context.getInputData()[itemIndex];
	if (!item.binary?.[name]) {
		const available = Object.keys(item.binary ?? {});
		throw new InvalidInput(
			CERTIFICATE_FIELD,
			`names the binary property "${name}", but the input item has ${available.length ? `only ${available.map((k) => `"${k}"`).join(', ')}` : 'no binary data'}`,
			'Attach the .pfx/.p12 file upstream (e.g. Read/Write Files from Disk, HTTP Request, or a form upload) and enter the name of its binary property.',
		);
	}
	const binary = context.helpers.assertBinaryData(itemIndex, name);
	const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, name);
	if (!looksLikePkcs12(bytes)) {
		const fileName = binary.fileName ? ` ("${binary.fileName}")` : '';
		throw new InvalidInput(CERTIFICATE_FIELD, `holds a file${fileName} that is not a PKCS#12 certificate (.pfx/.p12)`, NOT_PKCS12_HINT);
	}
	return bytes.toString('base64');
}

const NOT_PKCS12_HINT = 'Export the certificate with its private key as .pfx/.p12; PEM, .cer and .crt files are not accepted by Commvault.';

/**
 * A certificate given as the base64 of its file (the Azure app credential's field), as the bytes
 * Commvault gets: line breaks that base64 tools add are dropped, and the bytes are encoded again,
 * so the body is exactly what the same file attached as binary data gives.
 */
export function certificateFromBase64(field: string, text: string): string {
	const compact = text.replace(/[\s\u00A0\uFEFF]+/g, '');
	const bytes = isBase64(compact) ? Buffer.from(compact, 'base64') : undefined;
	if (!bytes || !looksLikePkcs12(bytes)) {
		throw new InvalidInput(
			field,
			'is not the base64 of a PKCS#12 certificate (.pfx/.p12)',
			`${NOT_PKCS12_HINT} Paste the base64 of the file: base64 -w0 app.pfx (Linux), base64 -i app.pfx (macOS), or [Convert]::ToBase64String([IO.File]::ReadAllBytes("app.pfx")) (PowerShell).`,
		);
	}
	return bytes.toString('base64');
}
