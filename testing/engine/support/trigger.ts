/**
 * Commvault Trigger inside n8n's engine against a simulator the test owns: an active workflow
 * whose polls the test ticks (`withTrigger`), and the editor's Fetch Test Event (`fetchTriggerTestEvent`).
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { CommvaultApi } from '../../../credentials/CommvaultApi.credentials';
import { CommvaultTrigger } from '../../../nodes/Commvault/CommvaultTrigger.node';
import { DEFAULT_AUTHTOKEN } from '../../simulator';
import { fetchTestEvent, withPoller, type ActivePoller, type FetchTestEventResult, type PollerOptions } from '../poll';
import type { CommvaultTarget } from './commvault';

export interface TriggerOptions {
	parameters: INodeParameters;
	/** Merged over `{ baseUrl: <sim>, authentication: 'authtoken', authtoken: <sim's token> }`. */
	credentials?: ICredentialDataDecryptedObject;
	staticData?: IDataObject;
	echoLogs?: boolean;
}

function pollerOptions(target: CommvaultTarget, options: TriggerOptions): PollerOptions {
	return {
		nodeType: CommvaultTrigger,
		credentialTypes: [CommvaultApi],
		credentials: {
			commvaultApi: { baseUrl: target.baseUrl, authentication: 'authtoken', authtoken: target.authtoken ?? DEFAULT_AUTHTOKEN, ...options.credentials },
		},
		parameters: options.parameters,
		staticData: options.staticData,
		echoLogs: options.echoLogs,
	};
}

export async function withTrigger<T>(target: CommvaultTarget, options: TriggerOptions, body: (poller: ActivePoller) => Promise<T>): Promise<T> {
	return await withPoller(pollerOptions(target, options), body);
}

export async function fetchTriggerTestEvent(target: CommvaultTarget, options: TriggerOptions): Promise<FetchTestEventResult> {
	return await fetchTestEvent(pollerOptions(target, options));
}
