import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/options.description';
import { isOptionalText, isPositiveInt32 } from '../../helpers/json';
import { InvalidInput, optionalText, requireEntityId, requireText } from '../../helpers/validation';
import type { Success } from '../../transport';
import type { RunContext } from '../types';
import type { CompanyOperationBody } from './operation';

export const PLAN_IDS_FIELD = 'Plan IDs';
const EMAIL_FIELD = 'Tenant Admin Email';
const CONTACT_FIELD = 'Tenant Admin Name';

const properties: INodeProperties[] = [
	{
		displayName: 'Company Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Contoso',
		description: 'The name of the new company (your customer) as Command Center will show it',
	},
	{
		displayName: 'Alias',
		name: 'alias',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. contoso',
		description: "The company's short name (its domain or NetBIOS name), unique in Commvault",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: PLAN_IDS_FIELD,
				name: 'plans',
				type: 'string',
				default: '',
				placeholder: 'e.g. 12, 31',
				description: "The IDs of your plans the company's tenant admin may choose from, separated by commas (an expression may give a list)",
			},
			{
				displayName: EMAIL_FIELD,
				name: 'email',
				type: 'string',
				default: '',
				placeholder: 'name@email.com',
				description: "The email address of the company's tenant administrator; needs the Tenant Admin Name too",
			},
			{
				displayName: CONTACT_FIELD,
				name: 'contactName',
				type: 'string',
				default: '',
				placeholder: 'e.g. Ada Admin',
				description: "The name of the company's tenant administrator; needs the Tenant Admin Email too",
			},
		],
	},
	optionsCollection(),
];

/** Commvault's answer to a create: the new company as an IdName with a positive whole-number id. */
const createdCompany: Success<IDataObject & { id: number }> = {
	expected: 'the created company (an IdName with a positive whole-number id)',
	is: (body): body is IDataObject & { id: number } => isPositiveInt32(body.id) && isOptionalText(body.name),
};

/**
 * Plan IDs as people and expressions give them: `12, 31`, `12 31`, `[12, 31]`, a number, or a
 * list; each once, in the order given; none when empty.
 */
export function planIdsOf(value: unknown): number[] | undefined {
	const parts = Array.isArray(value)
		? (value as unknown[])
		: typeof value === 'number'
			? [value]
			: typeof value === 'string'
				? value.replace(/^[\s[]+|[\s\]]+$/g, '').split(/[\s,;]+/).filter((part) => part !== '')
				: value === undefined || value === null
					? []
					: [value];
	const ids = [...new Set(parts.map((part) => requireEntityId(PLAN_IDS_FIELD, part, 'Give plan IDs (numbers) separated by commas, e.g. 12, 31.')))];
	return ids.length > 0 ? ids : undefined;
}

/** The tenant admin: both email and name, or neither (CreateCompany). */
function tenantAdminOf(additional: IDataObject): IDataObject {
	const email = optionalText(additional.email);
	const contactName = optionalText(additional.contactName);
	if ((email === undefined) !== (contactName === undefined)) {
		const [given, missing] = email === undefined ? [CONTACT_FIELD, EMAIL_FIELD] : [EMAIL_FIELD, CONTACT_FIELD];
		throw new InvalidInput(missing, `is needed with ${given}`, 'Commvault takes the tenant admin with both, or neither: add the other field, or remove this one.');
	}
	if (email === undefined) return {};
	if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new InvalidInput(EMAIL_FIELD, `is not an email address: ${JSON.stringify(email)}`);
	return { email, contactName };
}

/** The CreateCompany body for what the user gave: optional fields left empty are left out. */
export function companyBodyOf(name: unknown, alias: unknown, additional: IDataObject): IDataObject {
	const body: IDataObject = { name: requireText('Company Name', name), alias: requireText('Alias', alias), ...tenantAdminOf(additional) };
	const plans = planIdsOf(additional.plans);
	if (plans) body.plans = plans.map((id) => ({ id }));
	return body;
}

/** The operation's fields and what it does; its entry in the Operation list is in index.ts. */
export const create: CompanyOperationBody = {
	properties,
	async execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject> {
		const { parameters } = run;
		const body = companyBodyOf(parameters.get('name', i, ''), parameters.get('alias', i, ''), parameters.collection('additionalFields', i));
		const company = await run.connection.request({
			method: 'POST',
			path: '/V4/company',
			body,
			itemIndex: i,
			success: createdCompany,
			mayHaveDone: `created the company "${String(body.name)}"`,
		});
		run.created.push({ kind: 'company', itemIndex: i, id: company.id, name: String(body.name) });
		return company;
	},
};
