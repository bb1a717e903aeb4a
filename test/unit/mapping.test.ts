import { fromBase64Text, isBase64, toBase64 } from '../../nodes/Commvault/helpers/encoding';
import { looksLikePkcs12 } from '../../nodes/Commvault/helpers/pkcs12';
import { redactor } from '../../nodes/Commvault/helpers/secrets';
import { InvalidInput, optionalText, requireAzureGuid, requireEntityId, requireText } from '../../nodes/Commvault/helpers/validation';

describe('base64 of secrets', () => {
	it('encodes the UTF-8 bytes, not UTF-16 or latin1', () => {
		expect(toBase64('p@ss~wörd')).toBe(Buffer.from('p@ss~wörd', 'utf8').toString('base64'));
		expect(toBase64('abc')).toBe('YWJj');
	});

	it('recognises only canonical base64', () => {
		expect(isBase64('YWJj')).toBe(true);
		expect(isBase64('YWI=')).toBe(true);
		expect(isBase64('YQ==')).toBe(true);
		expect(isBase64('')).toBe(false);
		expect(isBase64('abc')).toBe(false);
		expect(isBase64('plain secret~')).toBe(false);
		expect(isBase64('YW=j')).toBe(false);
	});

	it('decodes base64 back to text only when it is base64 of UTF-8 text', () => {
		expect(fromBase64Text(toBase64('p@ss~wörd'))).toBe('p@ss~wörd');
		expect(fromBase64Text('plain secret~')).toBeUndefined();
		// Valid base64, but of bytes that are not UTF-8 text (a plain secret that happens to look like base64).
		expect(fromBase64Text('abcd1234')).toBeUndefined();
	});
});

describe('PKCS#12 check', () => {
	const version3 = [0x02, 0x01, 0x03];
	const shortForm = (content: number[]) => Buffer.from([0x30, content.length, ...content]);

	it('accepts a DER SEQUENCE starting with version 3, in short and long length forms', () => {
		expect(looksLikePkcs12(shortForm([...version3, 0x30, 0x02, 0x05, 0x00]))).toBe(true);
		const content = [...version3, 0x04, 0x81, 200, ...new Array(200).fill(7)];
		expect(looksLikePkcs12(Buffer.from([0x30, 0x81, content.length, ...content]))).toBe(true);
	});

	it('accepts BER indefinite length (some Windows exports)', () => {
		expect(looksLikePkcs12(Buffer.from([0x30, 0x80, ...version3, 0x30, 0x00, 0x00, 0x00]))).toBe(true);
	});

	it('rejects PEM text, wrong version, truncated or padded files', () => {
		expect(looksLikePkcs12(Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'))).toBe(false);
		expect(looksLikePkcs12(shortForm([0x02, 0x01, 0x01, 0x30, 0x02, 0x05, 0x00]))).toBe(false);
		const good = shortForm([...version3, 0x30, 0x02, 0x05, 0x00]);
		expect(looksLikePkcs12(good.subarray(0, good.length - 1))).toBe(false);
		expect(looksLikePkcs12(Buffer.concat([good, Buffer.from([0])]))).toBe(false);
		expect(looksLikePkcs12(Buffer.alloc(0))).toBe(false);
	});
});

describe('input validation', () => {
	it('refuses empty and whitespace-only required text, naming the field', () => {
		expect(() => requireText('App Name', '   ')).toThrow('App Name');
		expect(() => requireText('App Name', undefined)).toThrow(InvalidInput);
		// What pasting adds around a value is not part of it (contract: Errors, for every operation).
		expect(requireText('App Name', ' Contoso \n')).toBe('Contoso');
		expect(requireText('App Name', '\uFEFF\u200EContoso\u00A0')).toBe('Contoso');
		expect(() => requireText('App Name', '\u200E \uFEFF')).toThrow('App Name');
	});

	it('accepts Azure GUIDs (trimmed) and refuses anything else', () => {
		expect(requireAzureGuid('Application (Client) ID', ' 0f8fad5b-d9cb-469f-a165-70867728950e\n', 'x')).toBe(
			'0f8fad5b-d9cb-469f-a165-70867728950e',
		);
		expect(() => requireAzureGuid('Azure Directory (Tenant) ID', 'contoso.onmicrosoft.com', 'x')).toThrow(
			/Azure Directory \(Tenant\) ID.*not an Azure ID/,
		);
		expect(() => requireAzureGuid('Application (Client) ID', '0f8fad5b-d9cb-469f-a165-70867728950', 'x')).toThrow(InvalidInput);
	});

	it('accepts positive int32 ids as numbers or digit strings', () => {
		expect(requireEntityId('Server Plan', 12)).toBe(12);
		expect(requireEntityId('Server Plan', ' 12 ')).toBe(12);
		for (const bad of ['12a', '-3', '0', 0, 1.5, '2147483648', '', undefined, 'Gold plan']) {
			expect(() => requireEntityId('Server Plan', bad)).toThrow(/Server Plan/);
		}
	});

	it('treats blank optional fields as absent', () => {
		expect(optionalText('')).toBeUndefined();
		expect(optionalText('  ')).toBeUndefined();
		expect(optionalText(undefined)).toBeUndefined();
		expect(optionalText('x')).toBe('x');
	});
});

describe('secret redaction', () => {
	it('removes every occurrence, longest first, and ignores trivially short values', () => {
		const text = 'failed for s3cr3t-value and czNjcjN0LXZhbHVl (s3cr3t-value) and ab';
		const redacted = redactor(['s3cr3t-value', toBase64('s3cr3t-value'), 'ab', undefined])(text);
		expect(redacted).toBe('failed for [redacted] and [redacted] ([redacted]) and ab');
	});
});
