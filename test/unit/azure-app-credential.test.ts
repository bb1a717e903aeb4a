/**
 * The Azure app registration credential (issue 21): its fields as the contract names them, every
 * password field of either credential in the one list of secret fields, its Test button, and the
 * node's Create showing none of its fields when the Azure app comes from it.
 */
import type { ICredentialTestFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { CommvaultAzureAppApi } from '../../credentials/CommvaultAzureAppApi.credentials';
import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { CREDENTIAL_SECRET_FIELDS, credentialSecretValues } from '../../nodes/Commvault/helpers/secrets';
import { AZURE_APP_PFX_PASSWORD } from '../../testing/fixtures';
import { PFX_BYTES } from '../../testing/engine/support/create';

const passwordFields = (properties: INodeProperties[]): string[] =>
	properties.filter((property) => property.typeOptions?.password === true).map((property) => property.name);

describe('the credential', () => {
	const credential = new CommvaultAzureAppApi();

	it('has the contract\'s type name and fields, the secrets as password fields', () => {
		expect(credential.name).toBe('commvaultAzureAppApi');
		expect(credential.properties.map((property) => property.name)).toEqual([
			'applicationId',
			'applicationSecret',
			'azureDirectoryId',
			'refreshToken',
			'certificate',
			'certificatePassword',
			'certificateThumbprint',
		]);
		expect(passwordFields(credential.properties)).toEqual(expect.arrayContaining(['applicationSecret', 'refreshToken', 'certificate', 'certificatePassword']));
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		expect(credential.icon).toBeDefined();
	});

	it("every password field of either credential is in the one list of secret fields, and its value comes out of it", () => {
		for (const type of [new CommvaultApi(), credential]) {
			for (const field of passwordFields(type.properties)) {
				expect({ type: type.name, field, listed: CREDENTIAL_SECRET_FIELDS.includes(field) }).toEqual({ type: type.name, field, listed: true });
				expect(credentialSecretValues({ [field]: `canary-${field}` })).toContain(`canary-${field}`);
			}
		}
	});
});

describe("the credential's Test button (the node's testedBy), which sends nothing", () => {
	const check = new Commvault().methods.credentialTest.commvaultAzureAppCheck;
	const test = async (data: Record<string, string>) =>
		await check.call({} as ICredentialTestFunctions, { id: '1', name: 'Azure', type: 'commvaultAzureAppApi', data });
	const good = {
		applicationId: '6f1c2a9e-8d3b-4c5a-9e7f-1a2b3c4d5e6f',
		applicationSecret: 'canary-test-secret',
		azureDirectoryId: '0f8fad5b-d9cb-469f-a165-70867728950e',
	};

	it('accepts GUIDs, a secret and a PKCS#12 certificate with its password', async () => {
		await expect(test({ ...good, certificate: PFX_BYTES.toString('base64'), certificatePassword: AZURE_APP_PFX_PASSWORD })).resolves.toMatchObject({ status: 'OK' });
	});

	it.each([
		['an application ID that is not a GUID', { applicationId: 'contoso' }, /credential's Application \(Client\) ID: is not an Azure ID/],
		['no secret', { applicationSecret: ' ' }, /credential's Application Secret: is required/],
		['a certificate that is not PKCS#12', { certificate: Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64') }, /credential's Certificate \(Base64 of \.pfx\): is not the base64 of a PKCS#12/],
		['a password without a certificate', { certificatePassword: 'x-pass' }, /credential's Certificate Password: is set, but no certificate/],
	])('refuses %s, naming the field, with no secret in the message', async (_case, change, expected) => {
		const outcome = await test({ ...good, ...change });
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toMatch(expected);
		expect(outcome.message).not.toContain(good.applicationSecret);
	});
});

describe("the node's Create with Azure App Source", () => {
	const description = new Commvault().description;
	const shown = (parameters: Record<string, unknown>): string[] =>
		description.properties
			.filter((property) => NodeHelpers.displayParameter(parameters as never, property, null, description))
			.map((property) => property.name);
	const additional = (parameters: Record<string, unknown>): string[] => {
		const collection = description.properties.find(
			(property) => property.name === 'additionalFields' && NodeHelpers.displayParameter(parameters as never, property, null, description),
		);
		return ((collection?.options ?? []) as INodeProperties[])
			.filter((option) => NodeHelpers.displayParameter({}, option, null, description, parameters as never))
			.map((option) => option.name);
	};

	it.each(['dynamics365App', 'exchangeApp', 'oneDriveApp', 'sharePointApp', 'teamsApp'])('%s: "fields" (the default) shows the Azure fields, "credential" none of them', (resource) => {
		const source = description.properties.find((property) => property.name === 'azureAppSource' && NodeHelpers.displayParameter({ resource, operation: 'create' }, property, null, description));
		expect(source?.default).toBe('fields');
		expect((source?.options as INodePropertyOptions[]).map((option) => option.value).sort()).toEqual(['credential', 'fields']);

		const typed = { resource, operation: 'create', azureAppSource: 'fields' };
		const stored = { resource, operation: 'create', azureAppSource: 'credential' };
		expect(shown(typed)).toEqual(expect.arrayContaining(['applicationId', 'applicationSecret', 'azureDirectoryId']));
		expect(shown(stored).filter((name) => ['applicationId', 'applicationSecret', 'azureDirectoryId'].includes(name))).toEqual([]);
		expect(additional(stored).filter((name) => ['refreshToken', 'certificatePassword', 'certificateThumbprint'].includes(name))).toEqual([]);
		expect(additional(typed)).toEqual(expect.arrayContaining(['certificatePassword', 'certificateThumbprint']));
	});

	it('asks for the credential only when the Azure app comes from it', () => {
		const azure = description.credentials?.find((credential) => credential.name === 'commvaultAzureAppApi');
		expect(azure?.testedBy).toBe('commvaultAzureAppCheck');
		expect(NodeHelpers.displayParameter({ azureAppSource: 'credential' }, azure as never, null, description)).toBe(true);
		expect(NodeHelpers.displayParameter({ azureAppSource: 'fields' }, azure as never, null, description)).toBe(false);
	});
});
