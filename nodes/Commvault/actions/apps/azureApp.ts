/**
 * The Azure app registration a create sends (its body's `azureApp`), from either source the user
 * chose (node-contract.md, `azureAppSource`): the node's fields, or a `commvaultAzureAppApi`
 * credential. Both give their values to one builder, so the same values give the same bytes.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { azureAppFields, azureAppSourceField } from '../../descriptions/app.description';
import {
	AZURE_APP_CREDENTIAL,
	AZURE_APP_CREDENTIAL_FIELDS,
	azureCredentialField,
	azureCredentialFieldInSentence,
	type AzureAppCredentialField,
} from '../../helpers/azureApp';
import { CERTIFICATE_FIELD, certificateFromBase64, readCertificate } from '../../helpers/certificate';
import { isBase64, toBase64 } from '../../helpers/encoding';
import { credentialSecretValues } from '../../helpers/secrets';
import { InvalidInput, optionalText, requireAzureGuid, requireText } from '../../helpers/validation';
import type { ItemParameters } from '../parameters';
import type { Workload } from './workloads';

const AZURE_APP_SOURCE_LABEL = azureAppSourceField.displayName;

/** Encodes a secret the way Commvault wants it, or checks that the user already did. */
function encodedSecret(field: string, value: string, encoding: string): string {
	if (encoding !== 'base64') return toBase64(value);
	if (!isBase64(value)) {
		throw new InvalidInput(field, 'is not valid base64, but Options > Secret Encoding says "Already Base64"');
	}
	return value;
}

/**
 * The Azure app's values as one source gives them (the node's fields or the credential), each
 * with the name an error gives it: the body is built from either by the same code, so the same
 * values give the same bytes.
 */
export interface AzureAppValues {
	label(field: AzureAppCredentialField): string;
	read(field: Exclude<AzureAppCredentialField, 'certificate'>): unknown;
	/** The certificate's base64 as sent, or undefined when there is none. */
	certificate(): Promise<string | undefined>;
	/** How to attach a certificate, for a password given without one. */
	attachCertificate: string;
	encoding: string;
	/** The source's raw secret values, kept out of every output and error. */
	secrets: unknown[];
}

/** The Azure app fields at the node's top level; the others are Additional Fields. */
const TOP_LEVEL_FIELDS = new Set<string>(azureAppFields.map((field) => field.name));

export function fromFields(context: IExecuteFunctions, parameters: ItemParameters, i: number, additional: IDataObject, encoding: string): AzureAppValues {
	return {
		label: (field) => (field === 'certificate' ? CERTIFICATE_FIELD : AZURE_APP_CREDENTIAL_FIELDS[field]),
		read: (field) => (TOP_LEVEL_FIELDS.has(field) ? parameters.get(field, i, '') : additional[field]),
		certificate: async () => {
			const property = optionalText(additional.certificateBinaryProperty);
			return property === undefined ? undefined : await readCertificate(context, i, property);
		},
		attachCertificate: `Add "${CERTIFICATE_FIELD}" naming the input binary field that holds the .pfx/.p12 file.`,
		encoding,
		secrets: [],
	};
}

export async function fromCredential(context: IExecuteFunctions, i: number, additional: IDataObject): Promise<AzureAppValues> {
	// A certificate from the input would mix two sources: the credential holds the app's certificate.
	if (optionalText(additional.certificateBinaryProperty) !== undefined) {
		throw new InvalidInput(
			CERTIFICATE_FIELD,
			`is set, but ${AZURE_APP_SOURCE_LABEL} is "Credential", which takes the certificate from the credential`,
			`Remove "${CERTIFICATE_FIELD}" from Additional Fields, and paste the base64 of the .pfx/.p12 file into ${azureCredentialFieldInSentence('certificate')}.`,
		);
	}
	return fromCredentialData(await context.getCredentials(AZURE_APP_CREDENTIAL, i));
}

/** The values of a `commvaultAzureAppApi` credential, as stored (also what its Test button checks). */
export function fromCredentialData(credential: ICredentialDataDecryptedObject): AzureAppValues {
	return {
		label: azureCredentialField,
		read: (field) => credential[field],
		certificate: async () => {
			const text = optionalText(credential.certificate);
			return text === undefined ? undefined : certificateFromBase64(azureCredentialField('certificate'), text);
		},
		attachCertificate: `Paste the base64 of the .pfx/.p12 file into ${azureCredentialFieldInSentence('certificate')}.`,
		// The credential's secrets are typed as Azure shows them; the node encodes them.
		encoding: 'plain',
		secrets: credentialSecretValues(credential),
	};
}

/** The `azureApp` object of the workload's schema, with only the fields the user filled in. */
export async function azureAppOf(values: AzureAppValues, workload: Workload): Promise<IDataObject> {
	const { label, read, encoding } = values;
	const applicationId = requireAzureGuid(label('applicationId'), read('applicationId'), "the app registration's Overview page");
	const applicationSecret = encodedSecret(
		label('applicationSecret'),
		requireText(label('applicationSecret'), read('applicationSecret')),
		encoding,
	);
	const azureDirectoryId = requireAzureGuid(
		label('azureDirectoryId'),
		read('azureDirectoryId'),
		"the app registration's Overview page (Directory (tenant) ID)",
	);

	const azureApp: IDataObject = { applicationId, applicationSecret, azureDirectoryId };
	const refreshToken = workload.refreshToken ? optionalText(read('refreshToken')) : undefined;
	if (refreshToken !== undefined) azureApp.refreshToken = refreshToken;
	if (!workload.certificate) return azureApp;

	const certificate = await values.certificate();
	const certificatePassword = optionalText(read('certificatePassword'));
	if (certificate !== undefined) {
		azureApp.certificate = certificate;
	} else if (certificatePassword !== undefined) {
		throw new InvalidInput(label('certificatePassword'), 'is set, but no certificate is attached', values.attachCertificate);
	}
	if (certificatePassword !== undefined) {
		azureApp.certificatePassword = encodedSecret(label('certificatePassword'), certificatePassword, encoding);
	}
	const certificateThumbprint = optionalText(read('certificateThumbprint'));
	if (certificateThumbprint !== undefined) azureApp.certificateThumbprint = certificateThumbprint;
	return azureApp;
}
