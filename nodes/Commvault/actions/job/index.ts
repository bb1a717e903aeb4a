/** The Job resource: Commvault's jobs, one or many (node-contract.md, resource `job`). */
import { subtitleText } from '../subtitle';
import type { CommvaultResource } from '../types';
import { getOperation } from './get.operation';
import { getManyOperation } from './getMany.operation';

export const jobResource: CommvaultResource = {
	option: { name: 'Job', value: 'job' },
	operations: [getOperation, getManyOperation],
	subtitle: subtitleText('jobs'),
};
