import type { IDataObject, IExecuteFunctions, INodeProperties, NodeOperationError } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { appIdField } from '../../descriptions/app.description';
import { optionsCollection } from '../../descriptions/options.description';
import { apiError } from '../../helpers/errors';
import { isPositiveInt32 } from '../../helpers/json';
import { InvalidInput, requireAppId } from '../../helpers/validation';
import { MAX_WAIT_MINUTES, POLL_SECONDS, waitForJobs } from '../../jobs';
import { wasNotSent, type Success } from '../../transport';
import { choose, subtitleText } from '../subtitle';
import type { CommvaultOperation, RunContext } from '../types';
import { describeFailure } from './content';
import type { BackupSelection, Protection, Workload, WorkloadName } from './workloads';

export type Selection = 'all' | BackupSelection;

const SELECTION_FIELD = 'Selection';

/** The Selection field's options, worded with the workload's items. */
function selectionOptions(item: Protection['item']): Array<{ name: string; value: Selection; description: string }> {
	return [
		{ name: 'Whole Content', value: 'all', description: `Every ${item.one} of the app's content` },
		{ name: 'Never Backed Up', value: 'neverBackedUp', description: `Only the ${item.many} that have never been backed up` },
		{ name: 'Not Backed Up Recently', value: 'notBackedUpRecently', description: `Only the ${item.many} not backed up recently` },
		{ name: 'Backed Up Recently', value: 'backedUpRecently', description: `Only the ${item.many} backed up recently` },
	];
}

function properties(workload: Workload, protection: Protection): INodeProperties[] {
	return [
		appIdField(workload.product),
		{
			displayName: SELECTION_FIELD,
			name: 'selection',
			type: 'options',
			options: selectionOptions(protection.item),
			default: 'all',
			description: `Which ${protection.item.many} to back up`,
		},
		optionsCollection(
			{
				displayName: 'Wait for Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: false,
				description: `Whether to wait until every job of the backup has finished (Commvault is asked every ${POLL_SECONDS.first} s at first, then less often, up to every ${POLL_SECONDS.most} s), and output the jobs`,
			},
			{
				displayName: 'Max Wait (Minutes)',
				name: 'maxWaitMinutes',
				type: 'number',
				typeOptions: { minValue: MAX_WAIT_MINUTES.min, maxValue: MAX_WAIT_MINUTES.max, numberPrecision: 0 },
				default: 30,
				description: 'With Wait for Completion: after this long the item is output as it stands, with finished false (not an error)',
			},
		),
	];
}

/** What Back Up Now's answer must be: CreateTaskRespforBackup with a positive taskId and its job ids. */
type BackupTask = IDataObject & { taskId: number; jobIds: Array<string | number> };

/** Commvault gives the job ids as strings of digits; a number is taken too. */
function jobIdOf(value: unknown): number | undefined {
	const id = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	return isPositiveInt32(id) ? id : undefined;
}

const backupTask: Success<BackupTask> = {
	expected: 'a started backup (CreateTaskRespforBackup, with a positive taskId and its jobIds)',
	is: (body): body is BackupTask =>
		isPositiveInt32(body.taskId) && Array.isArray(body.jobIds) && body.jobIds.every((id) => jobIdOf(id) !== undefined),
};

function selectionOf(value: unknown): Selection {
	if (value === undefined || value === null || value === '') return 'all';
	const known = ['all', 'neverBackedUp', 'notBackedUpRecently', 'backedUpRecently'];
	if (typeof value === 'string' && known.includes(value)) return value as Selection;
	throw new InvalidInput(SELECTION_FIELD, `${JSON.stringify(value)} is not a selection`, `Use one of ${known.join(', ')}.`);
}

function maxWaitOf(value: unknown): number {
	const minutes = typeof value === 'string' && value.trim() !== '' ? Number(value) : value ?? MAX_WAIT_MINUTES.default;
	if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < MAX_WAIT_MINUTES.min || minutes > MAX_WAIT_MINUTES.max) {
		throw new InvalidInput('Options > Max Wait (Minutes)', `must be from ${MAX_WAIT_MINUTES.min} to ${MAX_WAIT_MINUTES.max}, got ${JSON.stringify(value)}`);
	}
	return minutes;
}

/** `{}` backs up the whole content; n8n's helper would drop an empty object, the transport sends its two bytes. */
export function backupBody(protection: Protection, selection: Selection): IDataObject {
	return selection === 'all' ? {} : { type: protection.selections[selection] };
}

/** Under the node's name: what is backed up. */
function subtitle(protection: Protection): string {
	const [all, ...others] = selectionOptions(protection.item);
	return choose('selection', [all, ...others].map((option) => [option.value, subtitleText(`back up: ${option.name.toLowerCase()}`)]), subtitleText('back up'));
}

export function backupOperation(workload: Workload, resource: WorkloadName): CommvaultOperation {
	const { protection } = workload;
	if (!protection) throw new Error(`Commvault documents no backup for ${workload.product} apps`);
	return {
		option: {
			name: 'Back Up Now',
			value: 'backup',
			description: `Start a backup of an app's ${workload.protects} now, and optionally wait for it`,
			action: `Back up ${workload.product} app now`,
		},
		subtitle: subtitle(protection),
		description: updateDisplayOptions({ show: { resource: [resource], operation: ['backup'] } }, properties(workload, protection)),
		async execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject> {
			const { parameters } = run;
			const appId = requireAppId(parameters.get('appId', i, ''));
			const selection = selectionOf(parameters.get('selection', i, 'all'));
			const options = parameters.collection('options', i);
			const wait = parameters.boolean('options.waitForCompletion', i, false);
			const maxWaitMinutes = wait ? maxWaitOf(options.maxWaitMinutes) : undefined;
			const body = backupBody(protection, selection);
			const started = `started a backup of the ${workload.product} app ${appId}`;
			const task = await run.connection.request({
				method: 'POST',
				path: protection.backupPath(appId),
				body,
				itemIndex: i,
				success: backupTask,
				mayHaveDone: started,
			});
			const jobIds = task.jobIds.map((id) => jobIdOf(id) as number);
			const output: IDataObject = { appId, taskId: task.taskId, jobIds };
			if (maxWaitMinutes === undefined) return output;
			try {
				return { ...output, ...(await waitForJobs(run.connection, jobIds, maxWaitMinutes, i)) };
			} catch (error) {
				// The run halted (another item stopped it, or the execution was cancelled): nothing more to say.
				if (wasNotSent(error)) throw error as NodeOperationError;
				// The backup runs whatever became of the wait: the error says so, so that it is not started again.
				const cause = describeFailure(error);
				throw apiError(
					this.getNode(),
					{
						message: `The backup of the ${workload.product} app ${appId} WAS started (task ${task.taskId}, jobs ${jobIds.join(', ') || 'none'}), but waiting for it failed: ${cause.message}`,
						description: `Do not start it again: follow its jobs with Job › Get. ${cause.description ?? ''}`.trim(),
						httpCode: cause.httpCode,
						itemIndex: i,
					},
					{ message: cause.message },
				);
			}
		},
	};
}
