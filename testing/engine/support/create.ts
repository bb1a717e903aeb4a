/**
 * Inputs for the Create operation: valid parameters to override per test, the certificate
 * fixture as an input item, and every secret a Create run handles, as canaries.
 */
import { readFileSync } from 'fs';

import type { INodeParameters } from 'n8n-workflow';

import { AZURE_APP_PFX_PASSWORD, AZURE_APP_PFX_PATH, AZURE_APP_PFX_THUMBPRINT } from '../../fixtures';
import { DEFAULT_AUTHTOKEN } from '../../simulator';
import type { InputItem } from '../run';
import { secretsOf, type Canary } from './canaries';
import { planById } from './commvault';

/** A GUID as Azure shows an application (client) ID. */
export const APPLICATION_ID = '6f1c2a9e-8d3b-4c5a-9e7f-1a2b3c4d5e6f';
/** A GUID as Azure shows a directory (tenant) ID. */
export const DIRECTORY_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
/** A client secret value; non-ASCII so a Latin-1 or missing encoding is caught. */
export const APPLICATION_SECRET = 'canary-Sécret~ÄppKey-7d2e';
export const REFRESH_TOKEN = 'canary-refresh-0.AXkAbc-9e1f';
/** An enabled Server plan in the simulator's default seed ("Server-Gold"). */
export const SERVER_PLAN_ID = 1;
export const CERTIFICATE_PROPERTY = 'certificate';
export const PFX_BYTES = readFileSync(AZURE_APP_PFX_PATH);

/** Valid parameters of the Create operation (server plan by ID); `overrides` replace top-level entries. */
export function createParameters(overrides: INodeParameters = {}): INodeParameters {
	return {
		operation: 'create',
		name: 'Contoso Dynamics 365',
		serverPlan: planById(String(SERVER_PLAN_ID)),
		applicationId: APPLICATION_ID,
		applicationSecret: APPLICATION_SECRET,
		azureDirectoryId: DIRECTORY_ID,
		...overrides,
	};
}

/** Every optional field of CreateDynamics365Client filled in; the certificate comes from `pfxItem()`. */
export function fullCreateParameters(overrides: INodeParameters = {}): INodeParameters {
	return createParameters({
		additionalFields: {
			refreshToken: REFRESH_TOKEN,
			certificateBinaryProperty: CERTIFICATE_PROPERTY,
			certificatePassword: AZURE_APP_PFX_PASSWORD,
			certificateThumbprint: AZURE_APP_PFX_THUMBPRINT,
		},
		...overrides,
	});
}

/** An input item carrying `bytes` (default: the fixture .pfx) in binary property `property`. */
export function pfxItem(
	json: InputItem['json'] = {},
	bytes: Buffer = PFX_BYTES,
	fileName = 'azure-app.pfx',
	property = CERTIFICATE_PROPERTY,
): InputItem {
	return { json, binary: { [property]: { data: bytes, fileName, mimeType: 'application/x-pkcs12' } } };
}

/** Every secret a Create run with `fullCreateParameters` handles, in every form a leak could take. */
export const CREATE_CANARIES: Canary[] = secretsOf({
	authtoken: DEFAULT_AUTHTOKEN,
	applicationSecret: APPLICATION_SECRET,
	certificatePassword: AZURE_APP_PFX_PASSWORD,
	refreshToken: REFRESH_TOKEN,
	certificate: PFX_BYTES,
});
