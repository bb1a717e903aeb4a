/** The company resource (Commvault's MSP tenants): Create, Get Many, Deactivate. */
import { subtitleText } from '../subtitle';
import type { CommvaultResource } from '../types';
import { createOperation } from './create.operation';
import { deactivateOperation } from './deactivate.operation';
import { getManyOperation } from './getMany.operation';

export const companyResource: CommvaultResource = {
	option: { name: 'Company', value: 'company' },
	operations: [createOperation, getManyOperation, deactivateOperation],
	subtitle: subtitleText('company'),
};
