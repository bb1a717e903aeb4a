/**
 * What a successful content step outputs (Add Content, or Create's second step): the plan and
 * content type sent, `added: true`, and Commvault's own answer under `commvaultAnswer`.
 */
import type { IDataObject } from 'n8n-workflow';

export const COMMVAULT_OK = { errorCode: 0, errorMessage: null };

export function contentAdded(plan: IDataObject, contentType = 'ALL_ENVIRONMENTS'): IDataObject {
	return { plan, contentType, added: true, commvaultAnswer: COMMVAULT_OK };
}
