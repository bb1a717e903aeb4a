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

	it('never builds the body as one string: no JSON.stringify result and no string turned into bytes holds the certificate', () => {
		// What jsonBody exists for: a 27 MB certificate is not copied into a JSON string of the whole
		// body (and that string into the buffer). Handing the body to JSON.stringify builds that string.
		const certificate = base64Of(3 * LONG, 11);
		const body: IDataObject = { name: 'Contoso', azureApp: { applicationId: 'a', certificate, certificatePassword: 'cGFzcw==' } };
		const built: number[] = [];
		const stringify = JSON.stringify;
		const toBytes = Buffer.from;
		const stringifySpy = jest.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
			const text = stringify(...args);
			built.push(text.length);
			return text;
		});
		const fromSpy = jest.spyOn(Buffer, 'from').mockImplementation(((value: unknown, ...rest: unknown[]) => {
			if (typeof value === 'string') built.push(value.length);
			return (toBytes as (...args: unknown[]) => Buffer)(value, ...rest);
		}) as typeof Buffer.from);
		let bytes: Buffer;
		try {
			bytes = jsonBody(body);
		} finally {
			stringifySpy.mockRestore();
			fromSpy.mockRestore();
		}
		// The spies saw the call (a body of ordinary fields is stringified), and the bytes are still right.
		expect(built.length).toBeGreaterThan(0);
		expect(bytes.equals(Buffer.from(JSON.stringify(body), 'utf8'))).toBe(true);
		expect(built.filter((length) => length >= certificate.length)).toEqual([]);
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
