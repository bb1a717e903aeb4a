import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { azureAppOf, fromCredentialData } from '../actions/apps/azureApp';
import { WORKLOADS } from '../actions/apps/workloads';
import { InvalidInput } from '../helpers/validation';

/** The workload whose schema has every Azure app field, so the Test button checks them all. */
const EVERY_FIELD = WORKLOADS.dynamics365App;

/**
 * The Azure app credential's Test button checks what a create would refuse (IDs that are not
 * GUIDs, a certificate that is not PKCS#12, a password without a certificate) without sending
 * anything anywhere: the values are only ever sent to Commvault, in a create.
 */
async function commvaultAzureAppCheck(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	try {
		await azureAppOf(fromCredentialData(credential.data ?? {}), EVERY_FIELD);
	} catch (error) {
		// Nothing here reads or sends anything: every failure is a value the check refused.
		const hint = error instanceof InvalidInput && error.hint ? ` ${error.hint}` : '';
		return { status: 'Error', message: `${(error as Error).message}${hint}` };
	}
	return { status: 'OK', message: 'The IDs are Azure IDs and the certificate, if any, is a PKCS#12 file. Azure checks the secret when Commvault first connects.' };
}

export const credentialTest = { commvaultAzureAppCheck };
