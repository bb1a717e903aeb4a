import { RunListing } from '../helpers/listing';
import { clean } from '../helpers/text';
import { InvalidInput, requireEntityId } from '../helpers/validation';
import { isLocator, planMode } from '../plans/kinds';
import type { CommvaultRequester } from '../transport';
import { fetchCompanies, type ListedCompany } from './listing';

/** How messages name Options > Act for Company. */
export const ACT_FOR_COMPANY_FIELD = 'Options > Act for Company';

const COMPANY_ID_HINT = `The ${planMode('list')} and ${planMode('id')} modes take the numeric company ID (Command Center, Manage > Companies). To give the company's name, switch the field to ${planMode('name')}.`;

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && clean(value) === '');
}

/**
 * What a company locator asks for: nothing (left empty: the MSP itself), an id now, or a name to
 * look up. A bare value (an expression that gave the whole field) is an id.
 */
export function companyRequest(field: string, locator: unknown): undefined | { id: number } | { name: string } {
	const mode = isLocator(locator) ? locator.mode : 'id';
	const value = isLocator(locator) ? locator.value : locator;
	if (isEmpty(value)) return undefined;
	if (mode === 'name') {
		if (typeof value !== 'string' && typeof value !== 'number') throw new InvalidInput(field, 'must be the name of a company');
		return { name: clean(String(value)) };
	}
	return { id: requireEntityId(field, value, COMPANY_ID_HINT) };
}

/**
 * Exact, case-insensitive: acting for a company whose name merely resembles the one given would
 * put a customer's data in another customer's company, and with two of that name guessing is
 * worse than asking for the ID.
 */
export function findCompanyByName(companies: ListedCompany[], field: string, name: string): number {
	const wanted = name.toLowerCase();
	const matches = companies.filter((company) => typeof company.name === 'string' && clean(company.name).toLowerCase() === wanted);
	if (matches.length === 1) return matches[0].id;
	if (matches.length > 1) {
		throw new InvalidInput(
			field,
			`${matches.length} companies are named "${name}" (IDs ${matches.map((company) => company.id).join(', ')}); select the company by ID instead`,
			`Switch the field to ${planMode('id')} and enter the ID of the company you mean.`,
		);
	}
	throw new InvalidInput(
		field,
		`no company is named "${name}"`,
		'Pick the company from the list, or check its name in Command Center under Manage > Companies (a deleted company cannot be used).',
	);
}

/**
 * Resolves company locators for one execution: a name is looked up in `GET /V4/company` as the
 * given connection sees it, listed at most once however many items name companies; an ID is
 * taken as it is, with no request.
 */
export class CompanyDirectory {
	private readonly listing: RunListing<ListedCompany[]>;

	constructor(connection: CommvaultRequester) {
		this.listing = new RunListing(async (itemIndex) => await fetchCompanies(connection, {}, itemIndex));
	}

	/** The company's id, or undefined when the locator is empty. */
	async resolve(field: string, locator: unknown, itemIndex?: number): Promise<number | undefined> {
		const wanted = companyRequest(field, locator);
		if (wanted === undefined || 'id' in wanted) return wanted?.id;
		return findCompanyByName(await this.listing.get(itemIndex), field, wanted.name);
	}
}

/**
 * The id of the company an `options.actForCompany` value names, or undefined when it is empty,
 * for one caller (a trigger's poll, a picker): `connection.actingFor(id)` then sends as that
 * company. The lookup by name is sent as the MSP (with no company), before anything else; a name
 * matching no company or several throws, naming the field.
 */
export async function resolveCompany(
	locator: unknown,
	connection: CommvaultRequester,
	itemIndex?: number,
	field = ACT_FOR_COMPANY_FIELD,
): Promise<number | undefined> {
	return await new CompanyDirectory(connection).resolve(field, locator, itemIndex);
}
