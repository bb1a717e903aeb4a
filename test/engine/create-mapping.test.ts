/**
 * Create (POST /v4/Dynamics365) inside n8n's engine: what the node sends and what it outputs.
 */
import { AZURE_APP_PFX_PASSWORD, AZURE_APP_PFX_THUMBPRINT } from '../../testing/fixtures';
import { DEFAULT_AUTHTOKEN, type RecordedRequest } from '../../testing/simulator';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { planById, runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import {
	APPLICATION_ID,
	APPLICATION_SECRET,
	CERTIFICATE_PROPERTY,
	CREATE_CANARIES,
	DIRECTORY_ID,
	PFX_BYTES,
	REFRESH_TOKEN,
	createParameters,
	fullCreateParameters,
	pfxItem,
} from '../../testing/engine/support/create';

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

const sim = useSimulator();

function onlyCreateRequest(): RecordedRequest {
	const creates = sim.requestsTo('POST', '/v4/Dynamics365');
	expect(creates.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v4/Dynamics365']);
	const [request] = creates;
	expect(request.schemaErrors).toEqual([]);
	expect(request.valid).toBe(true);
	return request;
}

describe('request body', () => {
	it('maps every field of CreateDynamics365Client, byte for byte', async () => {
		const result = await runCommvault(sim, { parameters: fullCreateParameters(), items: [pfxItem()] });

		expect(result.error).toBeUndefined();
		const request = onlyCreateRequest();
		expect(request.fullPath).toBe('/commandcenter/api/v4/Dynamics365');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.rawBody).toBe(
			JSON.stringify({
				name: 'Contoso Dynamics 365',
				serverPlan: { id: 1 },
				azureApp: {
					applicationId: APPLICATION_ID,
					applicationSecret: base64(APPLICATION_SECRET),
					azureDirectoryId: DIRECTORY_ID,
					refreshToken: REFRESH_TOKEN,
					certificate: PFX_BYTES.toString('base64'),
					certificatePassword: base64(AZURE_APP_PFX_PASSWORD),
					certificateThumbprint: AZURE_APP_PFX_THUMBPRINT,
				},
			}),
		);
		// The simulator decoded what it got: the same secret, password and file came through.
		const app = sim.app('Contoso Dynamics 365');
		expect(app?.decoded.applicationSecret).toBe(APPLICATION_SECRET);
		expect(app?.decoded.certificatePassword).toBe(AZURE_APP_PFX_PASSWORD);
		expect(app?.decoded.certificate?.equals(PFX_BYTES)).toBe(true);
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('sends only the required fields when the optional ones are left empty (no empty strings, no nulls)', async () => {
		const result = await runCommvault(sim, {
			parameters: createParameters({
				additionalFields: { refreshToken: '', certificatePassword: '', certificateThumbprint: '   ' },
				options: {},
			}),
		});

		expect(result.error).toBeUndefined();
		expect(onlyCreateRequest().rawBody).toBe(
			JSON.stringify({
				name: 'Contoso Dynamics 365',
				serverPlan: { id: 1 },
				azureApp: { applicationId: APPLICATION_ID, applicationSecret: base64(APPLICATION_SECRET), azureDirectoryId: DIRECTORY_ID },
			}),
		);
	});

	it('encodes a non-ASCII application secret as base64 of its UTF-8 bytes', async () => {
		const secret = 'Zx8Q~ünïcødé-Secret-€-日本';
		await runCommvault(sim, { parameters: createParameters({ applicationSecret: secret }) });

		const body = onlyCreateRequest().body as { azureApp: Record<string, string> };
		expect(body.azureApp.applicationSecret).toBe(Buffer.from(secret, 'utf8').toString('base64'));
		expect(sim.app('Contoso Dynamics 365')?.decoded.applicationSecret).toBe(secret);
	});

	it('sends an already-base64 secret and certificate password as given with Secret Encoding "Already Base64"', async () => {
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters({
				applicationSecret: base64(APPLICATION_SECRET),
				additionalFields: {
					certificateBinaryProperty: CERTIFICATE_PROPERTY,
					certificatePassword: base64(AZURE_APP_PFX_PASSWORD),
				},
				options: { secretEncoding: 'base64' },
			}),
			items: [pfxItem()],
		});

		expect(result.error).toBeUndefined();
		const body = onlyCreateRequest().body as { azureApp: Record<string, string> };
		expect(body.azureApp.applicationSecret).toBe(base64(APPLICATION_SECRET));
		expect(body.azureApp.certificatePassword).toBe(base64(AZURE_APP_PFX_PASSWORD));
		expect(sim.app('Contoso Dynamics 365')?.decoded).toMatchObject({
			applicationSecret: APPLICATION_SECRET,
			certificatePassword: AZURE_APP_PFX_PASSWORD,
		});
	});

	it.each([
		['list', { __rl: true, mode: 'list', value: '2', cachedResultName: 'Server-Silver' }, { id: 2 }],
		['id', planById('3'), { id: 3 }],
		['name', { __rl: true, mode: 'name', value: 'server bronze (eu)' }, { id: 3, name: 'Server Bronze (EU)' }],
	])('sends the server plan picked by %s', async (_mode, serverPlan, expected) => {
		const result = await runCommvault(sim, { parameters: createParameters({ serverPlan }) });

		expect(result.error).toBeUndefined();
		const creates = sim.requestsTo('POST', '/v4/Dynamics365');
		expect(creates).toHaveLength(1);
		expect(creates[0].valid).toBe(true);
		expect((creates[0].body as { serverPlan: unknown }).serverPlan).toEqual(expected);
		expect(sim.app('Contoso Dynamics 365')?.serverPlan.id).toBe(expected.id);
	});
});

describe('Authtoken header', () => {
	it.each([
		['without the QSDK prefix', DEFAULT_AUTHTOKEN],
		['with the QSDK prefix', `QSDK ${DEFAULT_AUTHTOKEN}`],
		['with surrounding spaces', `  QSDK ${DEFAULT_AUTHTOKEN} `],
	])('is "QSDK <token>" when the token is pasted %s', async (_how, authtoken) => {
		const result = await runCommvault(sim, { parameters: createParameters(), credentials: { authtoken } });

		expect(result.error).toBeUndefined();
		expect(onlyCreateRequest().headers.authtoken).toBe(`QSDK ${DEFAULT_AUTHTOKEN}`);
		expectNoSecrets(result, CREATE_CANARIES);
	});
});

describe('certificate from a binary property', () => {
	it.each(['default', 'filesystem'] as const)(
		'sends base64 of the exact file bytes with binaryMode %s',
		async (binaryMode) => {
			const result = await runCommvault(sim, {
				binaryMode,
				parameters: fullCreateParameters(),
				items: [pfxItem()],
			});

			expect(result.error).toBeUndefined();
			// In filesystem mode the input item holds only a reference; the bytes live in n8n's store.
			const input = result.runData['Input Items'][0].data?.main[0]?.[0];
			const stored = input?.binary?.[CERTIFICATE_PROPERTY];
			if (binaryMode === 'filesystem') {
				expect(stored?.id).toEqual(expect.stringMatching(/^filesystem/));
				expect(stored?.data).not.toBe(PFX_BYTES.toString('base64'));
			} else {
				expect(stored?.data).toBe(PFX_BYTES.toString('base64'));
			}
			const body = onlyCreateRequest().body as { azureApp: Record<string, string> };
			expect(body.azureApp.certificate).toBe(PFX_BYTES.toString('base64'));
			expect(sim.app('Contoso Dynamics 365')?.decoded.certificate?.equals(PFX_BYTES)).toBe(true);
			expectNoSecrets(result, CREATE_CANARIES);
		},
	);
});

describe('output', () => {
	it('is one item holding Commvault\'s {id, name}, paired to its input', async () => {
		const result = await runCommvault(sim, { parameters: createParameters() });

		expect(result.items).toEqual([{ json: { id: 1001, name: 'Contoso Dynamics 365' }, pairedItem: { item: 0 } }]);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')[0].responseBody).toEqual({ id: 1001, name: 'Contoso Dynamics 365' });
	});

	it('keeps the order of several input items, each paired to its own', async () => {
		const tenants = ['Contoso', 'Fabrikam', 'Northwind'];
		const result = await runCommvault(sim, {
			parameters: createParameters({ name: '={{ $json.tenant }} Dynamics 365' }),
			items: tenants.map((tenant) => ({ json: { tenant } })),
		});

		expect(result.error).toBeUndefined();
		expect(sim.requestsTo('POST', '/v4/Dynamics365').map((r) => (r.body as { name: string }).name)).toEqual([
			'Contoso Dynamics 365',
			'Fabrikam Dynamics 365',
			'Northwind Dynamics 365',
		]);
		expect(result.items).toEqual([
			{ json: { id: 1001, name: 'Contoso Dynamics 365' }, pairedItem: { item: 0 } },
			{ json: { id: 1002, name: 'Fabrikam Dynamics 365' }, pairedItem: { item: 1 } },
			{ json: { id: 1003, name: 'Northwind Dynamics 365' }, pairedItem: { item: 2 } },
		]);
	});
});
