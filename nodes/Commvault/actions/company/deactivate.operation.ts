import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CompanyDirectory } from '../../companies';
import { companyLocator } from '../../descriptions/company.description';
import { optionsCollection } from '../../descriptions/options.description';
import { isOptionalText } from '../../helpers/json';
import { InvalidInput } from '../../helpers/validation';
import type { Success } from '../../transport';
import type { RunContext } from '../types';
import type { CompanyOperationBody } from './operation';

const COMPANY_FIELD = 'Company';

/** The three DeactivationOptions, each a top-level boolean (node-contract.md). */
const DISABLE = [
	{ name: 'disableBackup', displayName: 'Disable Backup', what: 'backups' },
	{ name: 'disableRestore', displayName: 'Disable Restore', what: 'restores' },
	{ name: 'disableLogin', displayName: 'Disable Login', what: "its users' sign-ins" },
] as const;

const properties: INodeProperties[] = [
	companyLocator({
		name: 'companyId',
		displayName: COMPANY_FIELD,
		required: true,
		description: 'The company to deactivate',
	}),
	...DISABLE.map(
		({ name, displayName, what }): INodeProperties => ({
			displayName,
			name,
			type: 'boolean',
			default: true,
			description: `Whether to stop the company's ${what} while it is deactivated`,
		}),
	),
	optionsCollection(),
];

/** Commvault's confirmation: a GenericResp whose errorCode is 0 (a non-zero one was reported as a failure already). */
const confirmed: Success = {
	expected: "Commvault's confirmation (a GenericResp with errorCode 0)",
	is: (body): body is IDataObject => body.errorCode === 0 && isOptionalText(body.errorMessage),
};

/** The operation's fields and what it does; its entry in the Operation list is in index.ts. */
export const deactivate: CompanyOperationBody = {
	properties,
	async execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject> {
		const { parameters } = run;
		const options: IDataObject = {};
		for (const { name } of DISABLE) options[name] = parameters.boolean(name, i, true);
		const companyId = await new CompanyDirectory(run.connection).resolve(
			COMPANY_FIELD,
			parameters.get('companyId', i, undefined, { extractValue: false }),
			i,
		);
		if (companyId === undefined) throw new InvalidInput(COMPANY_FIELD, 'is required: pick a company or enter its ID');
		await run.connection.request({
			method: 'PUT',
			path: `/V4/company/${companyId}`,
			body: { status: { deactivate: true, options } },
			itemIndex: i,
			success: confirmed,
			mayHaveDone: `deactivated the company ${companyId}`,
		});
		return { companyId, deactivated: true };
	},
};
