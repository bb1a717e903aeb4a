/**
 * The fields every Commvault app shares, defined once: its name and server plan, the Azure app
 * registration, the certificate and the App ID. The workload table (actions/apps/workloads.ts)
 * says which of them a workload's schema has; the builders here only word them.
 */
import type { INodeProperties } from 'n8n-workflow';

import { AZURE_APP_CREDENTIAL_FIELDS as LABEL, AZURE_APP_CREDENTIAL_NAME } from '../helpers/azureApp';
import { CERTIFICATE_FIELD } from '../helpers/certificate';
import { planLocator } from '../plans/locator';

export function appNameField(product: string, placeholder: string): INodeProperties {
	return {
		displayName: 'App Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder,
		description: `A unique name for the new ${product} app in Commvault`,
	};
}

export const serverPlanField: INodeProperties = planLocator({
	name: 'serverPlan',
	kind: 'Server',
	required: true,
	description: 'The server plan (type Server) that sets where and how often the app is backed up',
});

/** Where a create's Azure app registration comes from (node-contract.md, `azureAppSource`). */
export const AZURE_APP_SOURCE = 'azureAppSource';

export const azureAppSourceField: INodeProperties = {
	displayName: 'Azure App Source',
	name: AZURE_APP_SOURCE,
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Credential',
			value: 'credential',
			description: `The app's IDs, secret and certificate come from a "${AZURE_APP_CREDENTIAL_NAME}" credential, which n8n encrypts: no secret is saved in the workflow or its executions, or passes through an AI model`,
		},
		{
			name: 'Fields on This Node',
			value: 'fields',
			description: 'Type the IDs and the secret into the fields below (or map them from the input)',
		},
	],
	default: 'fields',
	description: 'Where the Azure app registration that Commvault signs in to Microsoft with comes from',
};

/** Shown only when the Azure app is typed into the node: with the credential none of its fields is. */
const ONLY_FROM_FIELDS = { show: { [AZURE_APP_SOURCE]: ['fields'] } };

/** The same, for a field inside a collection (n8n reads a leading "/" as the node's top level). */
const ONLY_FROM_FIELDS_IN_COLLECTION = { show: { [`/${AZURE_APP_SOURCE}`]: ['fields'] } };

const azureAppFieldList: INodeProperties[] = [
	{
		displayName: LABEL.applicationId,
		name: 'applicationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '00000000-0000-0000-0000-000000000000',
		description: "The Azure app registration's Application (client) ID, a GUID from its Overview page in the Azure portal",
	},
	{
		displayName: LABEL.applicationSecret,
		name: 'applicationSecret',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description:
			'The value of a client secret of the Azure app (Certificates & secrets), pasted as Azure shows it; the node base64-encodes it for Commvault',
	},
	{
		displayName: LABEL.azureDirectoryId,
		name: 'azureDirectoryId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '00000000-0000-0000-0000-000000000000',
		description: "The Azure directory (tenant) ID, a GUID from the app registration's Overview page",
	},
];

/** The Azure app registration Commvault signs in with: the same three fields for every workload. */
export const azureAppFields: INodeProperties[] = azureAppFieldList.map((field) => ({ ...field, displayOptions: ONLY_FROM_FIELDS }));

/** Shared wording: the three certificate fields only make sense together. */
const CERTIFICATE_SET =
	'One of the three Certificate fields (File Field, Password, Thumbprint), which describe one Azure app certificate and are used together, for SharePoint Online access';

/**
 * Named "Certificate …" so n8n's alphabetical list of additional fields shows them side by side.
 * The file field has no default: adding no certificate must not look like naming a `data` property.
 */
const certificateFieldList: INodeProperties[] = [
	{
		displayName: CERTIFICATE_FIELD,
		name: 'certificateBinaryProperty',
		type: 'string',
		default: '',
		placeholder: 'e.g. certificate',
		description: `${CERTIFICATE_SET}. The name of the input binary field that holds the certificate file (.pfx/.p12, with its private key); the node sends its bytes base64-encoded. Not with Azure App Source "Credential", whose certificate is in the credential.`,
	},
	{
		displayName: LABEL.certificatePassword,
		name: 'certificatePassword',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: `${CERTIFICATE_SET}. The password of the certificate file; the node base64-encodes it for Commvault.`,
	},
	{
		displayName: LABEL.certificateThumbprint,
		name: 'certificateThumbprint',
		type: 'string',
		default: '',
		placeholder: 'e.g. FEEB19BA7F182BEF2C845F926221C5EDA5CC14D9',
		description: `${CERTIFICATE_SET}. The certificate's thumbprint as the Azure app registration shows it (Certificates & secrets).`,
	},
];

/**
 * Password and Thumbprint are the credential's with Azure App Source "Credential". The file field
 * stays: n8n drops a hidden field's value without a word, and one set there (a workflow switched
 * to the credential) is refused with a message, not ignored (node-contract.md).
 */
export const certificateFields: INodeProperties[] = certificateFieldList.map((field) =>
	field.name === 'certificateBinaryProperty' ? field : { ...field, displayOptions: ONLY_FROM_FIELDS_IN_COLLECTION },
);

export const refreshTokenField: INodeProperties = {
	displayName: LABEL.refreshToken,
	name: 'refreshToken',
	displayOptions: ONLY_FROM_FIELDS_IN_COLLECTION,
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description:
		'A user-based refresh token generated with the app credentials. Leave empty if the Azure app is approved for protected APIs.',
};

export const secretEncodingOption: INodeProperties = {
	displayName: 'Secret Encoding',
	name: 'secretEncoding',
	type: 'options',
	options: [
		{
			name: 'Plain (Node Encodes)',
			value: 'plain',
			description: 'The secret and certificate password are typed as they are; the node base64-encodes them',
		},
		{
			name: 'Already Base64',
			value: 'base64',
			description: 'The secret and certificate password are already base64 and are sent as given',
		},
	],
	default: 'plain',
	description: 'How the Application Secret and Certificate Password are given (a credential\'s are always plain)',
	displayOptions: ONLY_FROM_FIELDS_IN_COLLECTION,
};

/**
 * The contract makes it a required number. Its default is null, not '': n8n's editor draws a
 * number field with element-plus's InputNumber, which on mounting turns any value that is neither
 * a number nor null into Number(value) and writes it back, so '' became an App ID of 0 as soon
 * as the field was shown (a fresh action, or after switching the operation). null stays empty
 * and shows the placeholder.
 */
export function appIdField(product: string): INodeProperties {
	return {
		displayName: 'App ID',
		name: 'appId',
		type: 'number',
		required: true,
		default: null,
		placeholder: 'e.g. 1001',
		description: `The ID of the Commvault ${product} app, for example the ID a Create operation outputs`,
		hint: 'Drag the "id" field of the Create output here',
	};
}
