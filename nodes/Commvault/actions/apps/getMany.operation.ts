import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listFields } from '../../descriptions/list.description';
import { filtersCollection, optionsCollection } from '../../descriptions/options.description';
import { isListAnswer, isObject, isPositiveInt32 } from '../../helpers/json';
import { optionalText } from '../../helpers/validation';
import { requestAll, type Success } from '../../transport';
import { wantedLimit } from '../lists';
import { subtitleText } from '../subtitle';
import type { CommvaultOperation, RunContext } from '../types';
import type { Workload, WorkloadName } from './workloads';

function properties(workload: Workload): INodeProperties[] {
	return [
		...listFields(),
		filtersCollection({
			displayName: 'Search Key',
			name: 'searchKey',
			type: 'string',
			default: '',
			placeholder: `e.g. Contoso`,
			description: `Only the ${workload.product} apps Commvault finds for this text (its searchKey)`,
		}),
		optionsCollection(),
	];
}

/** One app of a V4 list (Office365ClientData): an IdName and its backup figures, kept as Commvault returned them. */
export type ListedApp = IDataObject & { id: number; name?: string };

type AppList = IDataObject & { totalRecords?: number; clients?: ListedApp[] | null };

/** Commvault's Office365ClientsResp: a page of apps and how many there are in all. */
const appList: Success<AppList> = {
	expected: 'a list of apps (Office365ClientsResp, with totalRecords and clients)',
	is: (body): body is AppList => isListAnswer(body, 'totalRecords', 'clients', (app) => isObject(app) && isPositiveInt32(app.id)),
};

/** `GET` on the workload's apps, every page or up to `limit` apps, each app once. */
export async function listApps(
	run: RunContext,
	workload: Workload,
	wanted: { limit?: number; searchKey?: string },
	itemIndex: number,
): Promise<ListedApp[]> {
	return await requestAll(run.connection, {
		path: workload.createPath,
		query: wanted.searchKey === undefined ? undefined : { searchKey: wanted.searchKey },
		itemIndex,
		success: appList,
		records: (answer) => answer.clients ?? [],
		total: (answer) => answer.totalRecords,
		key: (app) => app.id,
		limit: wanted.limit,
	});
}

export function getManyOperation(workload: Workload, resource: WorkloadName): CommvaultOperation {
	return {
		option: {
			name: 'Get Many',
			value: 'getMany',
			description: `List the ${workload.product} apps in Commvault, with their plan and backup figures`,
			action: `Get many ${workload.product} apps`,
		},
		subtitle: subtitleText(`${workload.product} apps`),
		description: updateDisplayOptions({ show: { resource: [resource], operation: ['getMany'] } }, properties(workload)),
		async execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject[]> {
			const { parameters } = run;
			const limit = wantedLimit(parameters, i);
			const searchKey = optionalText(parameters.collection('filters', i).searchKey);
			return await listApps(run, workload, { limit, searchKey }, i);
		},
	};
}
