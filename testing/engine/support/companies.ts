/**
 * Acting for a company in engine tests: locator values, the parameters of every operation of the
 * node for one customer of the MSP seed (testing/simulator/company-seed.ts), and what the
 * simulator recorded of the header.
 */
import type { INodeParameters } from 'n8n-workflow';

import { customerPlans, type Customer, type RecordedRequest } from '../../simulator';
import { APPLICATION_ID, APPLICATION_SECRET, DIRECTORY_ID } from './create';

export const byId = (id: number | string): INodeParameters => ({ __rl: true, mode: 'id', value: String(id) });
export const byName = (name: string): INodeParameters => ({ __rl: true, mode: 'name', value: name });
export const fromList = (id: number | string): INodeParameters => ({ __rl: true, mode: 'list', value: String(id), cachedResultName: 'x' });

/** The header as the simulator saw it (Node lower-cases header names); undefined when absent. */
export function companyHeader(request: RecordedRequest): string | undefined {
	return request.headers.operatorcompanyid;
}

/** The credential's sign-in (User Name and Password) and Authtoken check, made by its preAuthentication, not by an operation. */
const CREDENTIAL_CALLS = new Set(['Login', 'GetPlanIds']);

/** The node's own requests: every one but the credential's sign-in or token check. */
export function nodeRequests(requests: readonly RecordedRequest[]): RecordedRequest[] {
	return requests.filter((request) => !CREDENTIAL_CALLS.has(request.operationId ?? ''));
}

const OFFICE365: Record<string, string> = { exchangeApp: 'Exchange', oneDriveApp: 'OneDrive', sharePointApp: 'SharePoint', teamsApp: 'Teams' };

/** The workload of an app resource, as the simulator names it. */
export function workloadOf(resource: string): 'Dynamics365' | 'Exchange' | 'OneDrive' | 'SharePoint' | 'Teams' {
	return (OFFICE365[resource] ?? 'Dynamics365') as 'Exchange';
}

/**
 * Valid parameters of `resource › operation` for `customer`, its plans named (not by ID) so that
 * every operation that can look a plan up does; `appId`: an app of that customer's (for the job
 * resource: a job of that app). Undefined for
 * an operation this table does not know yet (the test that uses it then fails, naming it).
 */
export function operationParameters(resource: string, operation: string, customer: Customer, appId: number): INodeParameters | undefined {
	const plans = customerPlans(customer);
	const contentPlan = resource === 'dynamics365App' ? { dynamics365Plan: byName(plans.dynamics365.name) } : { office365Plan: byName(plans.office365.name) };
	const key = `${resource === 'dynamics365App' || resource in OFFICE365 ? 'app' : resource}.${operation}`;
	switch (key) {
		case 'app.create':
			return {
				resource,
				operation,
				name: `${customer.name} ${resource}`,
				serverPlan: byName(plans.server.name),
				...(resource === 'sharePointApp' ? { tenantAdminSiteUrl: 'https://contoso-admin.sharepoint.com' } : {}),
				applicationId: APPLICATION_ID,
				applicationSecret: APPLICATION_SECRET,
				azureDirectoryId: DIRECTORY_ID,
				additionalFields: contentPlan,
			};
		case 'app.addContent':
			return { resource, operation, appId, ...contentPlan };
		case 'app.getMany':
			return { resource, operation, returnAll: true };
		case 'app.backup':
			return { resource, operation, appId };
		case 'app.getProtectedItems':
			return { resource, operation, appId, returnAll: true };
		// For the job resource the id given is a job's (see act-for-company.test.ts's seedApp).
		case 'job.get':
			return { resource, operation, jobId: appId };
		case 'job.getMany':
			return { resource, operation, returnAll: true };
		default:
			return undefined;
	}
}
