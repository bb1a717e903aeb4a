/**
 * Issue 21: the Azure app registration as a `commvaultAzureAppApi` credential
 * (`azureAppSource: 'credential'`), in n8n's engine against the simulator: the bytes sent are
 * those the same values typed into the fields give, for every workload; the credential's secrets
 * follow every redaction rule; what the credential cannot hold is refused before anything is sent.
 */
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { WORKLOADS, WORKLOAD_NAMES, type WorkloadName } from '../../nodes/Commvault/actions/apps/workloads';
import { AZURE_APP_PFX_PASSWORD, AZURE_APP_PFX_THUMBPRINT, NOT_A_PFX_PEM_PATH } from '../../testing/fixtures';
import { CommvaultErrors, type RecordedRequest } from '../../testing/simulator';
import { expectNoSecrets, secretsOf, type Canary } from '../../testing/engine/support/canaries';
import { planById, runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { APPLICATION_ID, DIRECTORY_ID, PFX_BYTES, SERVER_PLAN_ID, createParameters, pfxItem } from '../../testing/engine/support/create';
import { ANSWER_KINDS, echoing, quoteOf } from '../../testing/engine/support/echo';

const sim = useSimulator();

/** Canaries holding the characters each encoding changes, as the echo tests' do. */
const SECRET = `canary-AzSécret&<App>"Key'+ 41b7`;
const REFRESH = `canary-AzRefresh&<0.AXk>"a'+b-52c8`;

const SOURCE_CREDENTIAL: INodeParameters = { azureAppSource: 'credential' };

/** A credential with every field; `overrides` replace entries. */
function azureCredential(overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		applicationId: APPLICATION_ID,
		applicationSecret: SECRET,
		azureDirectoryId: DIRECTORY_ID,
		refreshToken: REFRESH,
		certificate: PFX_BYTES.toString('base64'),
		certificatePassword: AZURE_APP_PFX_PASSWORD,
		certificateThumbprint: AZURE_APP_PFX_THUMBPRINT,
		...overrides,
	};
}

/** Create parameters of a workload with no Azure field: they come from the credential. */
function credentialCreate(resource: WorkloadName, name: string): INodeParameters {
	return {
		resource,
		operation: 'create',
		name,
		serverPlan: planById(String(SERVER_PLAN_ID)),
		...(resource === 'sharePointApp' ? { tenantAdminSiteUrl: 'https://contoso-admin.sharepoint.com' } : {}),
		...SOURCE_CREDENTIAL,
	};
}

const createRequests = (resource: WorkloadName): RecordedRequest[] => sim.requestsTo('POST', WORKLOADS[resource].createPath);

/** The credential's secrets in every form a leak could take, the certificate's slice included. */
const CANARIES: Canary[] = [
	...secretsOf({ applicationSecret: SECRET, refreshToken: REFRESH, certificatePassword: AZURE_APP_PFX_PASSWORD }),
	...secretsOf({ certificate: PFX_BYTES }),
];

describe('both Azure app sources give the same bytes', () => {
	// Values as pasted (marks around), any Unicode inside the secrets; the certificate as the
	// credential holds it: base64 as one line or wrapped as base64 tools wrap it.
	const text = fc
		.string({ unit: 'binary', minLength: 1, maxLength: 12 })
		.map((inner) => `x${inner}y`)
		.filter((value) => !value.includes('{{'));
	const around = fc.constantFrom('', ' ', '\n', '\t ', '\uFEFF');
	const guidOf = fc.uuid({ version: 4 });
	const values = fc.record({
		applicationId: fc.tuple(around, guidOf, around).map(([a, id, b]) => `${a}${id}${b}`),
		azureDirectoryId: guidOf,
		applicationSecret: fc.tuple(around, text).map(([a, secret]) => `${a}${secret}`),
		refreshToken: fc.option(text, { nil: undefined }),
		certificate: fc.option(fc.constantFrom(0, 64, 76), { nil: undefined }),
		certificateThumbprint: fc.option(fc.constantFrom(AZURE_APP_PFX_THUMBPRINT, ` ${AZURE_APP_PFX_THUMBPRINT.toLowerCase()}\n`), { nil: undefined }),
	});

	function wrapped(width: number): string {
		const encoded = PFX_BYTES.toString('base64');
		return width === 0 ? encoded : (encoded.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join('\n');
	}

	it.each(WORKLOAD_NAMES)('%s: the create body from the credential is the body from the fields, byte for byte', async (resource) => {
		await fc.assert(
			fc.asyncProperty(values, async (given) => {
				// The simulator, as Commvault, checks the password against the certificate.
				const password = given.certificate === undefined ? undefined : AZURE_APP_PFX_PASSWORD;
				const additionalFields: INodeParameters = {};
				if (given.refreshToken !== undefined && WORKLOADS[resource].refreshToken) additionalFields.refreshToken = given.refreshToken;
				if (given.certificate !== undefined) additionalFields.certificateBinaryProperty = 'certificate';
				if (password !== undefined) additionalFields.certificatePassword = password;
				if (given.certificateThumbprint !== undefined) additionalFields.certificateThumbprint = given.certificateThumbprint;

				sim.reset();
				const typed = await runCommvault(sim, {
					parameters: {
						...credentialCreate(resource, 'Same bytes'),
						azureAppSource: 'fields',
						applicationId: given.applicationId,
						applicationSecret: given.applicationSecret,
						azureDirectoryId: given.azureDirectoryId,
						additionalFields,
					},
					items: [given.certificate === undefined ? { json: {} } : pfxItem()],
				});
				expect(typed.error).toBeUndefined();
				const [fromFields] = createRequests(resource);

				sim.reset();
				const stored = await runCommvault(sim, {
					parameters: credentialCreate(resource, 'Same bytes'),
					azureApp: {
						applicationId: given.applicationId,
						applicationSecret: given.applicationSecret,
						azureDirectoryId: given.azureDirectoryId,
						refreshToken: given.refreshToken ?? '',
						certificate: given.certificate === undefined ? '' : wrapped(given.certificate),
						certificatePassword: password ?? '',
						certificateThumbprint: given.certificateThumbprint ?? '',
					},
				});
				expect(stored.error).toBeUndefined();
				const [fromCredential] = createRequests(resource);

				expect(fromFields.valid && fromCredential.valid).toBe(true);
				expect(fromCredential.rawBody).toBe(fromFields.rawBody);
				expect(stored.items.map((item) => item.json)).toEqual(typed.items.map((item) => item.json));
			}),
			{ numRuns: Number(process.env.FUZZ_RUNS ?? 0) > 0 ? Math.ceil(Number(process.env.FUZZ_RUNS) / 50) : 8 },
		);
	});

	it('the property can fail: a credential with another secret gives other bytes', async () => {
		await runCommvault(sim, { parameters: createParameters({ name: 'One', applicationSecret: SECRET }) });
		await runCommvault(sim, { parameters: { ...createParameters({ name: 'One' }), ...SOURCE_CREDENTIAL }, azureApp: azureCredential({ applicationSecret: `${SECRET}!` }) });
		const [a, b] = sim.requestsTo('POST', '/v4/Dynamics365');
		expect(b.rawBody).not.toBe(a.rawBody);
	});
});

describe('what the credential holds that Commvault cannot use is refused before anything is sent', () => {
	it('a certificate that is not PKCS#12, naming the credential field', async () => {
		const pem = readFileSync(NOT_A_PFX_PEM_PATH);
		const result = await runCommvault(sim, {
			parameters: credentialCreate('dynamics365App', 'PEM'),
			azureApp: azureCredential({ certificate: pem.toString('base64') }),
		});

		expect(result.error?.message).toBe(
			'The "Commvault: Azure App Registration API" credential\'s Certificate (Base64 of .pfx): is not the base64 of a PKCS#12 certificate (.pfx/.p12) (item 0)',
		);
		expect(result.error?.description).toContain('base64 -w0 app.pfx');
		expect(createRequests('dynamics365App')).toHaveLength(0);
		expectNoSecrets(result, CANARIES);
	});

	it('text that is not base64 at all, the same way', async () => {
		const result = await runCommvault(sim, {
			parameters: credentialCreate('exchangeApp', 'Text'),
			azureApp: azureCredential({ certificate: 'C:\\certs\\app.pfx' }),
		});
		expect(result.error?.message).toContain("credential's Certificate (Base64 of .pfx): is not the base64 of a PKCS#12");
		expect(sim.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
	});

	it('a certificate password without a certificate, naming the credential field', async () => {
		const result = await runCommvault(sim, {
			parameters: credentialCreate('teamsApp', 'No cert'),
			azureApp: azureCredential({ certificate: '' }),
		});
		expect(result.error?.message).toBe(
			'The "Commvault: Azure App Registration API" credential\'s Certificate Password: is set, but no certificate is attached (item 0)',
		);
		expect(createRequests('teamsApp')).toHaveLength(0);
	});

	it('an application ID that is not a GUID, naming the credential field', async () => {
		const result = await runCommvault(sim, {
			parameters: credentialCreate('oneDriveApp', 'Bad id'),
			azureApp: azureCredential({ applicationId: 'contoso.onmicrosoft.com' }),
		});
		expect(result.error?.message).toMatch(/^The "Commvault: Azure App Registration API" credential's Application \(Client\) ID: is not an Azure ID/);
		expect(createRequests('oneDriveApp')).toHaveLength(0);
	});

	it('a certificate binary field on the node, with a message saying where the certificate goes instead', async () => {
		const result = await runCommvault(sim, {
			parameters: { ...credentialCreate('sharePointApp', 'Two certs'), additionalFields: { certificateBinaryProperty: 'certificate' } },
			items: [pfxItem()],
			azureApp: azureCredential(),
		});
		expect(result.error?.message).toBe(
			'Certificate File Field: is set, but Azure App Source is "Credential", which takes the certificate from the credential (item 0)',
		);
		expect(result.error?.description).toContain('Remove "Certificate File Field" from Additional Fields');
		expect(createRequests('sharePointApp')).toHaveLength(0);
	});
});

describe("the credential's secrets follow every redaction rule", () => {
	const quote = (request: RecordedRequest): string => quoteOf(request, [SECRET, REFRESH, AZURE_APP_PFX_PASSWORD]);
	const created = (request: RecordedRequest): IDataObject => ({ id: 4242, name: (request.body as IDataObject).name });

	it.each(ANSWER_KINDS)('Commvault answers the create with a %s quoting every secret in every form', async (kind) => {
		sim.respondNext({ method: 'POST', path: '/v4/Dynamics365' }, echoing(kind, quote, created), 2);
		const result = await runCommvault(sim, {
			parameters: { ...credentialCreate('dynamics365App', '={{ "Echo " + $json.n }}') },
			items: [{ json: { n: 1 } }, { json: { n: 2 } }],
			azureApp: azureCredential(),
			continueOnFail: true,
		});

		expect(createRequests('dynamics365App').map((request) => request.scripted)).toEqual([true, true]);
		expect(result.items).toHaveLength(2);
		expect(JSON.stringify(result.items)).toContain('[redacted]');
		expectNoSecrets(result, CANARIES);
	});

	it('without Continue On Fail, and with the certificate quoted whole in a long error: the error holds none', async () => {
		const quoted = `${'x'.repeat(3000)} ${PFX_BYTES.toString('base64')} ${quote({ headers: {}, body: undefined } as unknown as RecordedRequest)}`;
		sim.respondNext({ method: 'POST', path: '/V4/Office365/Teams' }, CommvaultErrors.generic(400, 2, quoted));
		const result = await runCommvault(sim, { parameters: credentialCreate('teamsApp', 'Long echo'), azureApp: azureCredential() });

		expect(result.status).toBe('error');
		expectNoSecrets(result, CANARIES);
	});

	it.each([
		['as typed', (text: string) => text],
		['URL-encoded', encodeURIComponent],
		['as hex', (text: string) => Buffer.from(text, 'utf8').toString('hex')],
	])('a page quoting the secret %s right at the 200-character cut: not even its first part is shown', async (_form, form) => {
		const quoted = form(SECRET);
		sim.respondNext({ method: 'POST', path: '/V4/Office365/OneDrive' }, {
			status: 502,
			headers: { 'Content-Type': 'text/html;charset=utf-8' },
			body: `<html><body><p>${'x'.repeat(185)} ${quoted} was refused</p></body></html>`,
		});
		const result = await runCommvault(sim, { parameters: credentialCreate('oneDriveApp', 'Cut'), azureApp: azureCredential() });

		expect(result.error?.description).toContain('x'.repeat(100));
		expect(JSON.stringify(result.error) + JSON.stringify(result.error?.description)).not.toContain(quoted.slice(0, 10));
		expectNoSecrets(result, CANARIES);
	});

	it('the canaries can fail: a secret planted in the output is found', async () => {
		const result = await runCommvault(sim, { parameters: credentialCreate('exchangeApp', 'Plain'), azureApp: azureCredential() });
		expect(() => expectNoSecrets(result, CANARIES)).not.toThrow();
		result.items[0].json.name = encodeURIComponent(SECRET);
		expect(() => expectNoSecrets(result, CANARIES)).toThrow();
	});
});
