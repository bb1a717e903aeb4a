import type { INodeProperties } from 'n8n-workflow';

import { PLAN_MODES } from '../plans/kinds';
import { ENTITY_ID_PATTERN, modeValues } from '../plans/locator';

/** The `listSearch` method listing the companies (methods/listSearch.ts). */
export const COMPANY_LIST_METHOD = 'searchCompanies';

interface CompanyLocatorOptions {
	name: string;
	displayName: string;
	description: string;
	required?: boolean;
}

/** A company is picked as a plan is: from the list, by ID, or by the name Command Center shows. */
export function companyLocator(options: CompanyLocatorOptions): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required,
		description: `${options.description}. ${modeValues('company')}.`,
		modes: [
			{
				displayName: PLAN_MODES.list,
				name: 'list',
				type: 'list',
				placeholder: 'Select a company...',
				typeOptions: { searchListMethod: COMPANY_LIST_METHOD, searchable: true },
			},
			{
				displayName: PLAN_MODES.id,
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 7',
				hint: "The company's number, as in its address in Command Center (Manage > Companies)",
				validation: [{ type: 'regex', properties: { regex: ENTITY_ID_PATTERN, errorMessage: 'A company ID is a positive whole number' } }],
			},
			{
				displayName: PLAN_MODES.name,
				name: 'name',
				type: 'string',
				placeholder: 'e.g. Contoso',
				hint: "The company's exact name as Command Center shows it; case does not matter",
			},
		],
	};
}

/**
 * In every operation's Options (the registry adds it) and in the trigger's: the MSP's credential
 * acting as a company's tenant operator, each request carrying `operatorCompanyId`.
 */
export const actForCompanyOption: INodeProperties = companyLocator({
	name: 'actForCompany',
	displayName: 'Act for Company',
	description:
		"For MSPs: run this operation as the tenant operator of one of your companies (customers), with this credential. Every request, plan lists and lookups included, is sent for that company, so it sees and creates only that company's plans and apps. Leave empty to act as the credential's own user",
});
