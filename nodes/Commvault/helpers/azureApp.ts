/**
 * The Azure app registration credential (credentials/CommvaultAzureAppApi.credentials.ts): its
 * type name and its fields' labels, which the credential shows and the node's errors name.
 */
export const AZURE_APP_CREDENTIAL = 'commvaultAzureAppApi';

export const AZURE_APP_CREDENTIAL_NAME = 'Commvault: Azure App Registration API';

export const AZURE_APP_CREDENTIAL_FIELDS = {
	applicationId: 'Application (Client) ID',
	applicationSecret: 'Application Secret',
	azureDirectoryId: 'Azure Directory (Tenant) ID',
	refreshToken: 'Refresh Token',
	certificate: 'Certificate (Base64 of .pfx)',
	certificatePassword: 'Certificate Password',
	certificateThumbprint: 'Certificate Thumbprint',
} as const;

export type AzureAppCredentialField = keyof typeof AZURE_APP_CREDENTIAL_FIELDS;

/** A credential field as an error names it: the user fixes it in the credential, not on the node. */
export function azureCredentialField(field: AzureAppCredentialField): string {
	return `The "${AZURE_APP_CREDENTIAL_NAME}" credential's ${AZURE_APP_CREDENTIAL_FIELDS[field]}`;
}

/** The same field in the middle of a sentence: what to open and where to type. */
export function azureCredentialFieldInSentence(field: AzureAppCredentialField): string {
	return `the "${AZURE_APP_CREDENTIAL_FIELDS[field]}" field of the "${AZURE_APP_CREDENTIAL_NAME}" credential`;
}
