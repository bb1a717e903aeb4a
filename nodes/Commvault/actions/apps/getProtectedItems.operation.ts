import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { appIdField } from '../../descriptions/app.description';
import { listFields } from '../../descriptions/list.description';
import { optionsCollection } from '../../descriptions/options.description';
import { isListAnswer, isObject } from '../../helpers/json';
import { InvalidInput, optionalText, requireAppId } from '../../helpers/validation';
import { requestAll, type Success } from '../../transport';
import { wantedLimit } from '../lists';
import { subtitleText } from '../subtitle';
import type { CommvaultOperation } from '../types';
import type { Protection, Workload, WorkloadName } from './workloads';

/** `lastBackupStatus` as Commvault's schemas word it (Office365ContentIndividualBackupStats). */
const LAST_BACKUP_STATUSES = [
	{ name: 'Never Backed Up (NONE)', value: 'NONE' },
	{ name: 'Failed (FAILED)', value: 'FAILED' },
	{ name: 'Skipped (SKIPPED)', value: 'SKIPPED' },
	{ name: 'Successful (SUCCESSFUL)', value: 'SUCCESSFUL' },
	{ name: 'Completed With Errors (CWE)', value: 'CWE' },
] as const;

const STATUS_FIELD = 'Filters > Last Backup Status';

function properties(workload: Workload, protection: Protection): INodeProperties[] {
	return [
		appIdField(workload.product),
		...listFields(),
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Last Backup Status',
					name: 'lastBackupStatus',
					type: 'multiOptions',
					options: LAST_BACKUP_STATUSES.map((status) => ({ ...status })),
					default: [],
					description: `Only the ${protection.item.many} whose last backup has one of these statuses (none chosen: all). Never Backed Up finds the unprotected ones.`,
				},
				{
					displayName: 'Search Key',
					name: 'searchKey',
					type: 'string',
					default: '',
					placeholder: 'e.g. contoso',
					description: `Only the ${protection.item.many} Commvault finds for this text (its searchKey)`,
				},
			],
		},
		optionsCollection(),
	];
}

/** The statuses asked for; an empty filter keeps every item. */
function statusesOf(value: unknown): Set<string> | undefined {
	const words = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : String(value).split(',');
	const known: readonly string[] = LAST_BACKUP_STATUSES.map((status) => status.value);
	const chosen = words.map((word) => (typeof word === 'string' ? word.trim() : word));
	const unknown = chosen.filter((word) => typeof word !== 'string' || !known.includes(word));
	if (unknown.length > 0) throw new InvalidInput(STATUS_FIELD, `${JSON.stringify(unknown[0])} is not a last backup status`, `Use ${known.join(', ')}.`);
	return chosen.length === 0 ? undefined : new Set(chosen as string[]);
}

type ItemList = IDataObject & { totalRecords?: number };

/** A page of Office365MailboxesResp (or its users', sites' and teams' sibling): the items and how many there are. */
function itemList(protection: Protection): Success<ItemList> {
	return {
		expected: `a list of ${protection.item.many} (with totalRecords and ${protection.itemsField})`,
		is: (body): body is ItemList => isListAnswer(body, 'totalRecords', protection.itemsField, isObject),
	};
}

export function getProtectedItemsOperation(workload: Workload, resource: WorkloadName): CommvaultOperation {
	const { protection } = workload;
	if (!protection) throw new Error(`Commvault documents no protected items for ${workload.product} apps`);
	const { many } = protection.item;
	return {
		option: {
			name: 'Get Protected Items',
			value: 'getProtectedItems',
			description: `List the ${many} of an app with their last backup and its status, e.g. those never backed up`,
			action: `Get protected ${many} of ${workload.product} app`,
		},
		subtitle: subtitleText(`${workload.product} ${many}`),
		description: updateDisplayOptions({ show: { resource: [resource], operation: ['getProtectedItems'] } }, properties(workload, protection)),
		async execute(this: IExecuteFunctions, i, run): Promise<IDataObject[]> {
			const { parameters } = run;
			const appId = requireAppId(parameters.get('appId', i, ''));
			const limit = wantedLimit(parameters, i);
			const filters = parameters.collection('filters', i);
			const statuses = statusesOf(filters.lastBackupStatus);
			const searchKey = optionalText(filters.searchKey);
			return await requestAll(run.connection, {
				path: protection.itemsPath(appId),
				query: searchKey === undefined ? undefined : { searchKey },
				itemIndex: i,
				success: itemList(protection),
				records: (answer) => (answer[protection.itemsField] as IDataObject[] | null | undefined) ?? [],
				total: (answer) => answer.totalRecords,
				// An item without a GUID is kept as it is (never taken for another).
				key: (item) => item.GUID ?? item,
				// An item whose answer gives no status has never been backed up as far as Commvault says.
				filter: statuses && ((item) => statuses.has(typeof item.lastBackupStatus === 'string' ? item.lastBackupStatus : 'NONE')),
				limit,
			});
		},
	};
}
