import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { fetchCompanies, resolveCompany, ACT_FOR_COMPANY_FIELD, type ListedCompany } from '../companies';
import { COMPANY_LIST_METHOD } from '../descriptions/company.description';
import { plansOfKind, PLAN_KINDS, type PlanKind, type PlanSummary } from '../plans/kinds';
import { isNodeError, operationError } from '../helpers/errors';
import { redactError, type RedactableError } from '../helpers/redaction';
import { InvalidInput } from '../helpers/validation';
import { fetchPlanSummaries } from '../plans/listing';
import { CommvaultConnection } from '../transport';

/**
 * Plans that share a name (possible across companies) would look identical in the list, so
 * those carry their ID; a plan that is usable but not fully enabled carries its status.
 */
function label(plan: PlanSummary, sharedNames: Set<string>): string {
	const notes: string[] = [];
	if (plan.status && plan.status !== 'ENABLED') notes.push(plan.status);
	if (sharedNames.has(plan.name.toLowerCase())) notes.push(`ID ${plan.id}`);
	return notes.length > 0 ? `${plan.name} (${notes.join(', ')})` : plan.name;
}

function namesUsedTwice(names: string[]): Set<string> {
	const seen = new Set<string>();
	const twice = new Set<string>();
	for (const name of names) {
		const key = name.toLowerCase();
		if (seen.has(key)) twice.add(key);
		seen.add(key);
	}
	return twice;
}

function matchesFilter(filter: string | undefined): (name: string) => boolean {
	const wanted = filter?.trim().toLowerCase() ?? '';
	return (name) => wanted === '' || name.toLowerCase().includes(wanted);
}

async function searchPlans(context: ILoadOptionsFunctions, kind: PlanKind, filter?: string): Promise<INodeListSearchResult> {
	const plans = plansOfKind(await listed(context, async (connection) => await plansFor(context, connection)), kind);
	const sharedNames = namesUsedTwice(plans.map((plan) => plan.name));
	const wanted = matchesFilter(filter);
	const results: INodeListSearchItems[] = plans
		.filter((plan) => wanted(plan.name))
		.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id)
		.map((plan) => ({ name: label(plan, sharedNames), value: String(plan.id) }));
	return { results };
}

/**
 * The plans as the node's Options > Act for Company sees them: with a company set, that company's
 * (the picker must not offer a plan the run could not use), else the credential user's own.
 */
async function plansFor(context: ILoadOptionsFunctions, connection: CommvaultConnection): Promise<PlanSummary[]> {
	const locator = context.getCurrentNodeParameter('options.actForCompany');
	const value = typeof locator === 'object' && locator !== null && 'value' in locator ? locator.value : locator;
	if (typeof value === 'string' && value.startsWith('=')) {
		throw new InvalidInput(
			ACT_FOR_COMPANY_FIELD,
			'is an expression the editor cannot work out, so it cannot tell whose plans to list',
			"Enter the plan by ID or by name, or set the company by ID or name while you pick the plan.",
		);
	}
	const company = await resolveCompany(locator, connection);
	return await fetchPlanSummaries(connection.actingFor(company));
}

/** Companies that share a name carry their ID; one that is not active carries its status. */
function companyLabel(company: ListedCompany, sharedNames: Set<string>): string {
	const name = company.name ?? `ID ${company.id}`;
	const notes: string[] = [];
	if (typeof company.status === 'string' && company.status !== 'ACTIVE') notes.push(company.status);
	if (sharedNames.has(name.toLowerCase())) notes.push(`ID ${company.id}`);
	return notes.length > 0 ? `${name} (${notes.join(', ')})` : name;
}

/** The companies the credential's user may act for (deleted ones left out), as the MSP sees them. */
async function searchCompanies(context: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const companies = (await listed(context, async (connection) => await fetchCompanies(connection))).filter(
		(company): company is ListedCompany & { name: string } => typeof company.name === 'string',
	);
	const sharedNames = namesUsedTwice(companies.map((company) => company.name));
	const wanted = matchesFilter(filter);
	const results: INodeListSearchItems[] = companies
		.filter((company) => wanted(company.name))
		.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id - b.id)
		.map((company) => ({ name: companyLabel(company, sharedNames), value: String(company.id) }));
	return { results };
}

/**
 * A picker's listing, or its error with no secret in it: the editor shows a picker's error as it
 * is, and Commvault's refusal may quote the Authtoken, login token or password it was sent.
 */
async function listed<T>(context: ILoadOptionsFunctions, list: (connection: CommvaultConnection) => Promise<T>): Promise<T> {
	const connection = new CommvaultConnection(context);
	try {
		return await list(connection);
	} catch (caught) {
		throw await pickerError(context, connection, caught);
	}
}

async function pickerError(context: ILoadOptionsFunctions, connection: CommvaultConnection, caught: unknown): Promise<RedactableError> {
	const error = isNodeError(caught)
		? caught
		: operationError(context.getNode(), {
				message: caught instanceof Error ? caught.message : String(caught),
				description: caught instanceof InvalidInput ? caught.hint : undefined,
			});
	redactError(error, await connection.credentialSecrets(), []);
	return error;
}

type ListSearchMethod = (this: ILoadOptionsFunctions, filter?: string) => Promise<INodeListSearchResult>;

/** One list method per plan kind, named as the kind's pickers name it (`PLAN_KINDS[kind].listMethod`), and the companies'. */
export const listSearch: Record<string, ListSearchMethod> = {
	...Object.fromEntries(
		(Object.keys(PLAN_KINDS) as PlanKind[]).map((kind): [string, ListSearchMethod] => [
			PLAN_KINDS[kind].listMethod,
			async function (this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchPlans(this, kind, filter);
			},
		]),
	),
	[COMPANY_LIST_METHOD]: async function (this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return await searchCompanies(this, filter);
	},
};
