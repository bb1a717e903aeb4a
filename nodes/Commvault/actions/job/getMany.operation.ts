import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listFields } from '../../descriptions/list.description';
import { optionsCollection } from '../../descriptions/options.description';
import { InvalidInput, requireAppId } from '../../helpers/validation';
import { DEFAULT_LOOKBACK_HOURS, JOB_STATUSES, jobItem, listJobs, requireStatuses, type JobFilters } from '../../jobs';
import { wantedLimit } from '../lists';
import { subtitleText } from '../subtitle';
import type { CommvaultOperation, RunContext } from '../types';

function lookbackHoursOf(value: unknown): number {
	const hours = typeof value === 'string' && value.trim() !== '' ? Number(value) : value ?? DEFAULT_LOOKBACK_HOURS;
	if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) {
		throw new InvalidInput('Filters > Lookback (Hours)', `must be a number of hours above 0, got ${JSON.stringify(value)}`);
	}
	return hours;
}

/** The Filters collection as a JobFilters; a field the user did not add keeps the contract's default. */
function filtersOf(filters: IDataObject): JobFilters {
	const backupOnly = filters.backupOnly;
	if (backupOnly !== undefined && typeof backupOnly !== 'boolean') {
		throw new InvalidInput('Filters > Backup Jobs Only', `must be true or false, got ${JSON.stringify(backupOnly)}`);
	}
	return {
		...(filters.appId === undefined || filters.appId === null || filters.appId === '' ? {} : { appId: requireAppId(filters.appId) }),
		statuses: requireStatuses('Filters > Statuses', filters.statuses),
		backupOnly: backupOnly ?? true,
		lookbackHours: lookbackHoursOf(filters.lookbackHours),
	};
}

export const getManyOperation: CommvaultOperation = {
	option: {
		name: 'Get Many',
		value: 'getMany',
		description: 'List jobs, newest first: by app, status, type and how long ago they finished',
		action: 'Get many jobs',
	},
	subtitle: subtitleText('jobs'),
	description: updateDisplayOptions({ show: { resource: ['job'], operation: ['getMany'] } }, [
		...listFields(),
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'App ID',
					name: 'appId',
					type: 'number',
					default: null,
					placeholder: 'e.g. 1001',
					description: "Only the jobs of this app (a Microsoft 365 or Dynamics 365 app's ID is its client ID in Commvault)",
				},
				{
					displayName: 'Backup Jobs Only',
					name: 'backupOnly',
					type: 'boolean',
					default: true,
					description: 'Whether to list backup jobs only (not restores and other jobs)',
				},
				{
					displayName: 'Lookback (Hours)',
					name: 'lookbackHours',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: DEFAULT_LOOKBACK_HOURS,
					description: 'Finished jobs are listed if they finished this many hours ago or less; running ones always',
				},
				{
					displayName: 'Statuses',
					name: 'statuses',
					type: 'multiOptions',
					options: JOB_STATUSES.map((status) => ({ name: status, value: status })),
					default: [],
					description: 'Only the jobs with one of these statuses (none chosen: all)',
				},
			],
		},
		optionsCollection(),
	]),
	async execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject[]> {
		const filters = filtersOf(run.parameters.collection('filters', i));
		const jobs = await listJobs(run.connection, filters, { limit: wantedLimit(run.parameters, i), itemIndex: i });
		return jobs.map(jobItem);
	},
};
