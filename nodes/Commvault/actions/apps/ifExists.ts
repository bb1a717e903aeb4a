/**
 * Create's re-run that is safe (Options > If App Exists): a half-done batch run again, or an
 * execution n8n re-ran after a worker crash, gets the app that exists instead of Commvault's 409.
 */
import type { INodeProperties } from 'n8n-workflow';

import { clean } from '../../helpers/text';
import type { RunContext } from '../types';
import { listApps, type ListedApp } from './getMany.operation';
import type { Workload } from './workloads';

export const IF_EXISTS_OPTION: INodeProperties = {
	displayName: 'If App Exists',
	name: 'ifExists',
	type: 'options',
	options: [
		{
			name: 'Fail',
			value: 'fail',
			description: "The item fails with Commvault's message that the name exists",
		},
		{
			name: 'Return Existing App',
			value: 'returnExisting',
			description:
				'Output the app of that name that Commvault already has, with alreadyExisted true (the content step runs as for a new app)',
		},
	],
	default: 'fail',
	description:
		'What to do when Commvault already has an app of this name (HTTP 409), e.g. when a half-done batch runs again. Every output then says whether its app already existed.',
};

/** Read by shape, never by class: n8n may have loaded another copy of n8n-workflow. */
function isNameTaken(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as { httpCode?: unknown }).httpCode === '409';
}

/**
 * After Commvault's 409, the workload's app whose name is the one sent (case-insensitive), as the
 * workload's list shows it; undefined when the error is another or no app has that name (the item
 * then fails with Commvault's own message). A create whose answer was lost is not a 409, so it is
 * never looked up, nor sent again.
 */
export async function existingApp(
	run: RunContext,
	workload: Workload,
	name: string,
	error: unknown,
	itemIndex: number,
): Promise<ListedApp | undefined> {
	if (!isNameTaken(error)) return undefined;
	const wanted = name.toLowerCase();
	const found = await listApps(run, workload, { searchKey: name }, itemIndex);
	return found.find((app) => typeof app.name === 'string' && clean(app.name).toLowerCase() === wanted);
}
