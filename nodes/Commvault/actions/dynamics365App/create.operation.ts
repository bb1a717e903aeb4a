import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { concurrencyOption } from '../../descriptions/options.description';
import { planLocator } from '../../descriptions/plan.description';
import { readCertificate } from '../../helpers/certificate';
import { isBase64, toBase64 } from '../../helpers/encoding';
import { InvalidInput, optionalText, requireAzureGuid, requireText } from '../../helpers/validation';
import type { RunContext } from '../types';
import { addAllEnvironments, contentPlanOf } from './content';

const properties: INodeProperties[] = [
	{
		displayName: 'App Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Contoso Dynamics 365',
		description: 'A unique name for the new Dynamics 365 app in Commvault',
	},
	planLocator({
		name: 'serverPlan',
		displayName: 'Server Plan',
		kind: 'Server',
		required: true,
		description: 'The server plan (type Server) that sets where and how often the app is backed up',
	}),
	{
		displayName: 'Application (Client) ID',
		name: 'applicationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '00000000-0000-0000-0000-000000000000',
		description: "The Azure app registration's Application (client) ID, a GUID from its Overview page in the Azure portal",
	},
	{
		displayName: 'Application Secret',
		name: 'applicationSecret',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description:
			"The value of a client secret of the Azure app (Certificates & secrets), pasted as Azure shows it; the node base64-encodes it for Commvault",
	},
	{
		displayName: 'Azure Directory (Tenant) ID',
		name: 'azureDirectoryId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '00000000-0000-0000-0000-000000000000',
		description: "The Azure directory (tenant) ID, a GUID from the app registration's Overview page",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Certificate (Binary Property)',
				name: 'certificateBinaryProperty',
				type: 'string',
				default: 'data',
				placeholder: 'e.g. data',
				description:
					'Name of the input binary property holding the Azure app certificate (.pfx/.p12) for SharePoint Online access; the node sends its bytes base64-encoded',
			},
			{
				displayName: 'Certificate Password',
				name: 'certificatePassword',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: "The certificate file's password; the node base64-encodes it for Commvault",
			},
			{
				displayName: 'Certificate Thumbprint',
				name: 'certificateThumbprint',
				type: 'string',
				default: '',
				description: 'Thumbprint of the Azure app certificate (SharePoint Online access)',
			},
			planLocator({
				name: 'dynamics365Plan',
				displayName: 'Dynamics 365 Plan (Add All Environments)',
				kind: 'Dynamics365',
				description:
					'If set, right after creating the app the node adds all its environments to this Dynamics 365 plan, as Add Content does',
			}),
			{
				displayName: 'Refresh Token',
				name: 'refreshToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'A user-based refresh token generated with the app credentials. Leave empty if the Azure app is approved for protected APIs.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
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
				description: 'How the Application Secret and Certificate Password are given',
			},
			concurrencyOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['dynamics365App'], operation: ['create'] } },
	properties,
);

export const secretParameters = [
	'applicationSecret',
	'additionalFields.certificatePassword',
	'additionalFields.refreshToken',
];

/** Encodes a secret the way Commvault wants it, or checks that the user already did. */
function encodedSecret(field: string, value: string, encoding: string): string {
	if (encoding !== 'base64') return toBase64(value);
	if (!isBase64(value)) {
		throw new InvalidInput(field, 'is not valid base64, but Options > Secret Encoding says "Already Base64"');
	}
	return value;
}

export async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject> {
	const additionalFields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const encoding = typeof options.secretEncoding === 'string' ? options.secretEncoding : 'plain';

	const name = requireText('App Name', this.getNodeParameter('name', i, ''));
	const applicationId = requireAzureGuid(
		'Application (Client) ID',
		this.getNodeParameter('applicationId', i, ''),
		"the app registration's Overview page",
	);
	const applicationSecret = encodedSecret(
		'Application Secret',
		requireText('Application Secret', this.getNodeParameter('applicationSecret', i, '')),
		encoding,
	);
	const azureDirectoryId = requireAzureGuid(
		'Azure Directory (Tenant) ID',
		this.getNodeParameter('azureDirectoryId', i, ''),
		"the app registration's Overview page (Directory (tenant) ID)",
	);

	const azureApp: IDataObject = { applicationId, applicationSecret, azureDirectoryId };
	const refreshToken = optionalText(additionalFields.refreshToken);
	if (refreshToken !== undefined) azureApp.refreshToken = refreshToken;
	const certificateProperty = optionalText(additionalFields.certificateBinaryProperty);
	const certificatePassword = optionalText(additionalFields.certificatePassword);
	if (certificateProperty !== undefined) {
		azureApp.certificate = await readCertificate(this, i, certificateProperty);
	} else if (certificatePassword !== undefined) {
		throw new InvalidInput(
			'Certificate Password',
			'is set, but no certificate is attached',
			'Add "Certificate (Binary Property)" naming the input binary property that holds the .pfx/.p12 file.',
		);
	}
	if (certificatePassword !== undefined) {
		azureApp.certificatePassword = encodedSecret('Certificate Password', certificatePassword, encoding);
	}
	const certificateThumbprint = optionalText(additionalFields.certificateThumbprint);
	if (certificateThumbprint !== undefined) azureApp.certificateThumbprint = certificateThumbprint;

	// Both plans are resolved before anything is sent, so a wrong plan name creates nothing.
	const serverPlan = await run.plans.resolve(
		'Server Plan',
		'Server',
		this.getNodeParameter('serverPlan', i, undefined, { extractValue: false }),
		i,
	);
	const contentPlan = await contentPlanOf(run, additionalFields, i);

	const created = (await run.connection.request({
		method: 'POST',
		path: '/v4/Dynamics365',
		body: { name, serverPlan, azureApp },
		itemIndex: i,
		success: 'idName',
		mayHaveDone: `created the Dynamics 365 app "${name}"`,
		secrets: [azureApp.applicationSecret, azureApp.certificatePassword, azureApp.certificate, azureApp.refreshToken].filter(
			(value): value is string => typeof value === 'string',
		),
	})) as IDataObject & { id: number };
	if (!contentPlan) return created;

	const content = await addAllEnvironments(this, run, created, name, contentPlan, i);
	return { ...created, content };
}
