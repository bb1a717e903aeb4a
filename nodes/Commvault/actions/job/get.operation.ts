import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/options.description';
import { InvalidInput, requireIdField } from '../../helpers/validation';
import { fetchJob, jobItem } from '../../jobs';
import { subtitleText } from '../subtitle';
import type { CommvaultOperation, RunContext } from '../types';

const JOB_ID_FIELD = 'Job ID';

const ASK_FOR_ID = 'Enter the ID of a Commvault job, e.g. drag one of Back Up Now\'s "jobIds" here, or take it from Job › Get Many.';

export const getOperation: CommvaultOperation = {
	option: {
		name: 'Get',
		value: 'get',
		description: 'Get a job: its status, progress and times, and whether it has finished',
		action: 'Get a job',
	},
	subtitle: subtitleText('job'),
	description: updateDisplayOptions({ show: { resource: ['job'], operation: ['get'] } }, [
		{
			// As the App ID: a number field whose default is null stays empty in the editor.
			displayName: JOB_ID_FIELD,
			name: 'jobId',
			type: 'number',
			required: true,
			default: null,
			placeholder: 'e.g. 5001',
			description: 'The ID of the Commvault job',
			hint: 'Drag one of the "jobIds" a Back Up Now outputs here',
		},
		optionsCollection(),
	]),
	async execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject> {
		const jobId = requireIdField(JOB_ID_FIELD, run.parameters.get('jobId', i, ''), ASK_FOR_ID);
		const job = await fetchJob(run.connection, jobId, i);
		if (!job) throw new InvalidInput(JOB_ID_FIELD, `Commvault has no job ${jobId}`, 'Check the ID: Job › Get Many lists the jobs Commvault has.');
		return jobItem(job);
	},
};
