/**
 * Create inside n8n's engine: bad input fails its item before anything is sent, with an error
 * naming the field and the item; Continue On Fail lets the other items go on.
 */
import { readFileSync } from 'fs';

import { AZURE_APP_PFX_PASSWORD, NOT_A_PFX_PEM_PATH, NOT_A_PFX_TXT_PATH } from '../../testing/fixtures';
import type { RecordedRequest } from '../../testing/simulator';
import type { RunNodeResult } from '../../testing/engine/run';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { planById, runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import {
	APPLICATION_SECRET,
	CERTIFICATE_PROPERTY,
	CREATE_CANARIES,
	createParameters,
	fullCreateParameters,
	pfxItem,
} from '../../testing/engine/support/create';

const sim = useSimulator();

const creates = (): RecordedRequest[] => sim.requestsTo('POST', '/v4/Dynamics365');

/** The run failed on `itemIndex` because of `field`, and nothing reached Commvault. */
function expectInputError(result: RunNodeResult, field: string, itemIndex = 0): void {
	expect(result.items).toEqual([]);
	expect(result.error?.message).toEqual(expect.stringContaining(field));
	expect(result.error?.message).toEqual(expect.stringContaining(`(item ${itemIndex})`));
	expect(result.error?.context?.itemIndex).toBe(itemIndex);
	expect(sim.requests).toEqual([]);
	expectNoSecrets(result, CREATE_CANARIES);
}

const REQUIRED_FIELDS = [
	['name', 'App Name'],
	['applicationId', 'Application (Client) ID'],
	['applicationSecret', 'Application Secret'],
	['azureDirectoryId', 'Azure Directory (Tenant) ID'],
] as const;

describe('required fields', () => {
	describe.each(REQUIRED_FIELDS)('%s', (parameter, field) => {
		it.each([
			['only spaces, typed in', '   ', {}],
			['empty, from an expression', '={{ $json.value }}', { value: '' }],
			['whitespace, from an expression', '={{ $json.value }}', { value: ' \t\n ' }],
			['missing, from an expression', '={{ $json.value }}', {}],
		])('fails naming "%s" when it is %s', async (_how, value, json) => {
			const result = await runCommvault(sim, {
				parameters: fullCreateParameters({ [parameter]: value }),
				items: [pfxItem(json)],
			});
			expectInputError(result, field);
		});
	});

	it('an empty literal is already refused by n8n before the node runs (nothing sent)', async () => {
		await expect(runCommvault(sim, { parameters: createParameters({ name: '' }) })).rejects.toThrow(/issues.*name/);
		expect(sim.requests).toEqual([]);
	});
});

describe('Azure IDs', () => {
	describe.each([
		['applicationId', 'Application (Client) ID'],
		['azureDirectoryId', 'Azure Directory (Tenant) ID'],
	] as const)('%s', (parameter, field) => {
		it.each(['contoso.onmicrosoft.com', '6f1c2a9e-8d3b-4c5a-9e7f', 'zzzzzzzz-8d3b-4c5a-9e7f-1a2b3c4d5e6f'])(
			'fails naming the field for %j (not a GUID)',
			async (value) => {
				const result = await runCommvault(sim, {
					parameters: fullCreateParameters({ [parameter]: value }),
					items: [pfxItem()],
				});
				expectInputError(result, field);
				expect(result.error?.message).toMatch(/GUID/);
			},
		);
	});
});

describe('server plan ID', () => {
	it.each([
		['"abc" from an expression', '={{ "abc" }}'],
		['"1.5" from an expression', '={{ "1.5" }}'],
		['0 from an expression', '={{ 0 }}'],
		['-3 from an expression', '={{ -3 }}'],
		['2147483648 (beyond int32)', '2147483648'],
	])('fails naming "Server Plan" for %s', async (_what, value) => {
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters({ serverPlan: planById(value) }),
			items: [pfxItem()],
		});
		expectInputError(result, 'Server Plan');
	});

	it('a non-numeric literal ID is already refused by the parameter\'s own validation (nothing sent)', async () => {
		await expect(runCommvault(sim, { parameters: createParameters({ serverPlan: planById('abc') }) })).rejects.toThrow(
			/serverPlan/,
		);
		expect(sim.requests).toEqual([]);
	});
});

describe('certificate', () => {
	describe.each(['default', 'filesystem'] as const)('binaryMode %s', (binaryMode) => {
		it.each([
			['a PEM certificate', NOT_A_PFX_PEM_PATH, 'azure-app.pem'],
			['a text file', NOT_A_PFX_TXT_PATH, 'azure-app.txt'],
		])('refuses %s, naming the property, the file and the item', async (_what, path, fileName) => {
			const result = await runCommvault(sim, {
				binaryMode,
				parameters: fullCreateParameters(),
				items: [pfxItem({}, readFileSync(path), fileName)],
			});
			expectInputError(result, 'Certificate File Field');
			expect(result.error?.message).toContain(fileName);
			expect(result.error?.message).toMatch(/PKCS#12/);
		});
	});

	it('fails naming the binary property when the item has no binary data', async () => {
		const result = await runCommvault(sim, { parameters: fullCreateParameters(), items: [{ json: {} }] });
		expectInputError(result, 'Certificate File Field');
		expect(result.error?.message).toContain(`"${CERTIFICATE_PROPERTY}"`);
	});

	it('fails naming the binary property and the ones that exist when the name is wrong', async () => {
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters(),
			items: [pfxItem({}, undefined, 'azure-app.pfx', 'data')],
		});
		expectInputError(result, 'Certificate File Field');
		expect(result.error?.message).toContain(`"${CERTIFICATE_PROPERTY}"`);
		expect(result.error?.message).toContain('"data"');
	});

	it('refuses a certificate password without a certificate', async () => {
		const result = await runCommvault(sim, {
			parameters: createParameters({ additionalFields: { certificatePassword: AZURE_APP_PFX_PASSWORD } }),
		});
		expectInputError(result, 'Certificate Password');
	});
});

describe('Secret Encoding "Already Base64"', () => {
	it('refuses an application secret that is not base64, naming the field', async () => {
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters({ options: { secretEncoding: 'base64' } }),
			items: [pfxItem()],
		});
		// APPLICATION_SECRET is plain text: under this option it must be refused, not sent.
		expectInputError(result, 'Application Secret');
		expect(result.error?.message).toMatch(/base64/);
	});

	it('refuses a certificate password that is not base64, naming the field', async () => {
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters({
				applicationSecret: Buffer.from(APPLICATION_SECRET, 'utf8').toString('base64'),
				additionalFields: { certificateBinaryProperty: CERTIFICATE_PROPERTY, certificatePassword: AZURE_APP_PFX_PASSWORD },
				options: { secretEncoding: 'base64' },
			}),
			items: [pfxItem()],
		});
		expectInputError(result, 'Certificate Password');
	});
});

describe('several items, the middle one invalid', () => {
	const items = [
		pfxItem({ tenant: 'Contoso', applicationId: '6f1c2a9e-8d3b-4c5a-9e7f-1a2b3c4d5e6f' }),
		pfxItem({ tenant: 'Fabrikam', applicationId: 'fabrikam.onmicrosoft.com' }),
		pfxItem({ tenant: 'Northwind', applicationId: '7a2d3b0f-9e4c-4d6b-8f80-2b3c4d5e6f70' }),
	];
	const parameters = fullCreateParameters({ name: '={{ $json.tenant }}', applicationId: '={{ $json.applicationId }}' });

	it('with Continue On Fail: sends the two valid ones in order and outputs three items in input order', async () => {
		const result = await runCommvault(sim, { parameters, items, continueOnFail: true });

		expect(result.error).toBeUndefined();
		expect(creates().map((r) => [r.method, r.path, (r.body as { name: string }).name, r.valid])).toEqual([
			['POST', '/v4/Dynamics365', 'Contoso', true],
			['POST', '/v4/Dynamics365', 'Northwind', true],
		]);
		expect(result.items).toHaveLength(3);
		expect(result.items[0]).toEqual({ json: { id: 1001, name: 'Contoso' }, pairedItem: { item: 0 } });
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[1].json.error).toEqual(expect.stringContaining('Application (Client) ID'));
		expect(result.items[1].json.error).toEqual(expect.stringContaining('(item 1)'));
		expect(result.items[2]).toEqual({ json: { id: 1002, name: 'Northwind' }, pairedItem: { item: 2 } });
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('with "Continue (using error output)": the invalid item goes to the error output, the others to the success output', async () => {
		const result = await runCommvault(sim, { parameters, items, onError: 'continueErrorOutput' });

		expect(result.error).toBeUndefined();
		expect(creates().map((r) => (r.body as { name: string }).name)).toEqual(['Contoso', 'Northwind']);
		expect(result.outputs).toHaveLength(2);
		const [success, failed] = result.outputs;
		expect(success.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ id: 1001, name: 'Contoso' }, { item: 0 }],
			[{ id: 1002, name: 'Northwind' }, { item: 2 }],
		]);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(failed[0].json.error).toEqual(expect.stringContaining('Application (Client) ID'));
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('without Continue On Fail, one item at a time: the run fails naming the item, after sending only the first', async () => {
		const result = await runCommvault(sim, { parameters: { ...parameters, options: { concurrency: 1 } }, items });

		expect(result.status).toBe('error');
		expect(result.error?.message).toEqual(expect.stringContaining('Application (Client) ID'));
		expect(result.error?.message).toEqual(expect.stringContaining('(item 1)'));
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(creates().map((r) => (r.body as { name: string }).name)).toEqual(['Contoso']);
		expectNoSecrets(result, CREATE_CANARIES);
	});
});
