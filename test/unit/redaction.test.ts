import type { IDataObject } from 'n8n-workflow';

import { outputRedactor } from '../../nodes/Commvault/helpers/redaction';
import { redactor } from '../../nodes/Commvault/helpers/secrets';

const SECRET = 'Canary-Authtoken-4711';

/** An app as Commvault lists it (Office365ClientData). */
function listedApp(name: string): IDataObject {
	return { id: 7, name, serverPlan: { id: 2, name: 'Server plan' }, company: { id: 0, name: 'Commcell' }, backupSize: 1e12, tags: ['a', 'b'] };
}

describe('output redaction, copy on write (a Get Many output is thousands of these)', () => {
	it('hands an output with no secret in it on as it is: nothing is copied', () => {
		const redact = outputRedactor([SECRET]);
		const app = listedApp('Contoso');
		const out = redact(app);
		expect(out).toBe(app);
		expect(out.serverPlan).toBe(app.serverPlan);
		expect(out.tags).toBe(app.tags);
	});

	it('copies only the path to a secret, and leaves what it was given untouched', () => {
		const redact = outputRedactor([SECRET]);
		const company = { id: 1, name: `Echo ${SECRET}` };
		const tags = ['a', SECRET];
		const app: IDataObject = { ...listedApp('Contoso'), company, tags };
		const out = redact(app);
		expect(out).not.toBe(app);
		expect(out.company).toEqual({ id: 1, name: 'Echo [redacted]' });
		expect(out.tags).toEqual(['a', '[redacted]']);
		// the parts without a secret are shared, not copied
		expect(out.serverPlan).toBe(app.serverPlan);
		expect(JSON.stringify(out)).not.toContain(SECRET);
		expect(app.company).toBe(company);
		expect(company.name).toBe(`Echo ${SECRET}`);
		expect(tags).toEqual(['a', SECRET]);
	});

	it('one redactor serves many outputs: each is redacted on its own, a cycle is still cut', () => {
		const redact = outputRedactor([SECRET]);
		const looped: IDataObject = { name: 'loop' };
		looped.self = looped;
		expect(redact(looped).self).toBe('[circular]');
		// the same object seen again in the next output is no cycle
		const shared = { name: 'shared' };
		expect(redact({ a: shared, b: shared })).toEqual({ a: shared, b: shared });
		expect(redact(listedApp(SECRET)).name).toBe('[redacted]');
	});

	it('rebuilds an Error or class instance as a plain object, as before: its hidden message does not get out', () => {
		const redact = outputRedactor([SECRET]);
		const out = redact({ cause: new Error(`failed with ${SECRET}`) });
		expect(out.cause).toEqual({});
		expect(out.cause).not.toBeInstanceOf(Error);
	});
});

describe('redactor', () => {
	it('returns a text shorter than every secret as it is, and still finds a secret in a longer one', () => {
		const redact = redactor([SECRET, 'another-secret-value']);
		expect(redact('Contoso')).toBe('Contoso');
		expect(redact(`x${SECRET}x`)).toBe('x[redacted]x');
		expect(redactor([])('anything at all')).toBe('anything at all');
	});
});
