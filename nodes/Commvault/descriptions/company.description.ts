import type { INodeProperties } from 'n8n-workflow';

import { entityLocator } from '../plans/locator';

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
	return entityLocator({
		...options,
		entity: 'company',
		label: 'company',
		listMethod: COMPANY_LIST_METHOD,
		where: 'Manage > Companies',
		idPlaceholder: 'e.g. 7',
		namePlaceholder: 'e.g. Contoso',
	});
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
