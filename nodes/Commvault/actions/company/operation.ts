import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { subtitleText } from '../subtitle';
import type { CommvaultOperation } from '../types';

/** A company operation's entry in the Operation list, and under the node's name what follows "Commvault · ". */
export interface CompanyOperationEntry {
	value: string;
	name: string;
	description: string;
	action: string;
	subtitle: string;
}

/** A company operation's fields and what it does. */
export interface CompanyOperationBody {
	properties: INodeProperties[];
	execute: CommvaultOperation['execute'];
}

/** The operation, its fields shown for it only. */
export function companyOperation(entry: CompanyOperationEntry, body: CompanyOperationBody): CommvaultOperation {
	const { value, name, description, action } = entry;
	return {
		option: { name, value, description, action },
		subtitle: subtitleText(entry.subtitle),
		description: updateDisplayOptions({ show: { resource: ['company'], operation: [value] } }, body.properties),
		execute: body.execute,
	};
}
