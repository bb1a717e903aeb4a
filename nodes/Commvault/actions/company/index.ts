/** The company resource (Commvault's MSP tenants): Create, Get Many, Deactivate, in the Operation list's order. */
import { subtitleText } from '../subtitle';
import type { CommvaultResource } from '../types';
import { create } from './create.operation';
import { deactivate } from './deactivate.operation';
import { getMany } from './getMany.operation';
import { companyOperation } from './operation';

export const companyResource: CommvaultResource = {
	option: { name: 'Company', value: 'company' },
	operations: [
		companyOperation({ value: 'create', name: 'Create', action: 'Create company', subtitle: 'MSP customer', description: "Create a company (an MSP's customer) in Commvault, with its tenant admin and the plans it may use" }, create),
		companyOperation({ value: 'getMany', name: 'Get Many', action: 'Get many companies', subtitle: 'MSP customers', description: 'List the companies (your customers) in Commvault, with their alias and status' }, getMany),
		companyOperation({ value: 'deactivate', name: 'Deactivate', action: 'Deactivate company', subtitle: 'MSP customer', description: 'Deactivate a company: stop its backups, restores and sign-ins (each can be kept)' }, deactivate),
	],
	subtitle: subtitleText('company'),
};
