import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { AZURE_APP_CREDENTIAL_FIELDS as FIELD, AZURE_APP_CREDENTIAL_NAME } from '../nodes/Commvault/helpers/azureApp';

/**
 * The Azure app registration a Create uses, kept where n8n encrypts it at rest: with the node's
 * Azure App Source set to Credential, none of it is a node parameter, so it is in no saved
 * workflow, no execution's parameters and no AI model's tool call. It signs nothing in itself:
 * the node puts its values in the create body, as it would the same values typed into the fields.
 */
export class CommvaultAzureAppApi implements ICredentialType {
	name = 'commvaultAzureAppApi';

	displayName = AZURE_APP_CREDENTIAL_NAME;

	icon: Icon = { light: 'file:../icons/commvault.svg', dark: 'file:../icons/commvault.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-commvault#keep-secrets-in-credentials';

	properties: INodeProperties[] = [
		{
			displayName: FIELD.applicationId,
			name: 'applicationId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '00000000-0000-0000-0000-000000000000',
			description: "The Azure app registration's Application (client) ID, a GUID from its Overview page in the Azure portal",
		},
		{
			displayName: FIELD.applicationSecret,
			name: 'applicationSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The value of a client secret of the Azure app (Certificates & secrets), as Azure shows it; the node base64-encodes it for Commvault',
		},
		{
			displayName: FIELD.azureDirectoryId,
			name: 'azureDirectoryId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '00000000-0000-0000-0000-000000000000',
			description: "The Azure directory (tenant) ID, a GUID from the app registration's Overview page",
		},
		{
			displayName: FIELD.refreshToken,
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. A user-based refresh token generated with the app credentials; sent only for Dynamics 365 and Teams apps.',
		},
		{
			displayName: FIELD.certificate,
			name: 'certificate',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. The base64 of the certificate file (.pfx/.p12, with its private key), e.g. the output of: base64 -w0 app.pfx (Linux) or [Convert]::ToBase64String([IO.File]::ReadAllBytes("app.pfx")) (PowerShell)',
		},
		{
			displayName: FIELD.certificatePassword,
			name: 'certificatePassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. The password of the certificate file; the node base64-encodes it for Commvault.',
		},
		{
			displayName: FIELD.certificateThumbprint,
			name: 'certificateThumbprint',
			type: 'string',
			// Not a secret (a hash of the public certificate), but n8n masks such names in credentials.
			typeOptions: { password: true },
			default: '',
			placeholder: 'e.g. FEEB19BA7F182BEF2C845F926221C5EDA5CC14D9',
			description: "Optional. The certificate's thumbprint as the Azure app registration shows it (Certificates & secrets).",
		},
	];
}
