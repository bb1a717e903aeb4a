/**
 * The request body as bytes (transport/body.ts): whatever the body holds, exactly the bytes
 * JSON.stringify would give, with long base64 strings (certificates) written straight in.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { jsonBody } from '../../nodes/Commvault/transport/body';

const LONG = 64 * 1024;
const base64Of = (bytes: number, seed: number): string => Buffer.from(Array.from({ length: bytes }, (_, i) => (seed + i * 31) & 0xff)).toString('base64');

function expectSameAsStringify(body: IDataObject): void {
	expect(jsonBody(body).equals(Buffer.from(JSON.stringify(body), 'utf8'))).toBe(true);
}

describe('jsonBody', () => {
	it('a certificate-sized base64 string among ordinary fields: the bytes JSON.stringify gives', () => {
		expectSameAsStringify({
			name: 'Contoso "D365" – ünïcode ✓',
			serverPlan: { id: 1 },
			azureApp: { applicationId: 'a', certificate: base64Of(200_000, 7), certificatePassword: 'cGFzcw==' },
		});
	});

	it('several long strings, and long ones JSON must escape or that are not base64, in arrays too', () => {
		expectSameAsStringify({
			a: [base64Of(LONG, 1), 'x', base64Of(LONG * 2, 2)],
			quoted: `"${'q'.repeat(LONG)}\\\n`,
			unicode: 'é'.repeat(LONG),
			exactlyLong: 'A'.repeat(LONG),
			justShort: 'B'.repeat(LONG - 1),
		});
	});

	it('a user string that looks like the marker changes nothing', () => {
		expectSameAsStringify({ note: 'n8n-nodes-commvault:abc:0', certificate: base64Of(LONG, 3) });
	});

	it('any JSON body, with or without a long base64 string in it', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.boolean(), fc.integer({ min: 0, max: 255 }), (body, withLong, seed) => {
				const withCertificate: IDataObject = withLong ? { ...(body as IDataObject), certificate: base64Of(LONG + seed, seed) } : (body as IDataObject);
				expectSameAsStringify(withCertificate);
			}),
			{ numRuns: 300 },
		);
	});
});
