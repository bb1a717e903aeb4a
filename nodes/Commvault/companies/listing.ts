import type { IDataObject } from 'n8n-workflow';

import { isObject, isPositiveInt32 } from '../helpers/json';
import type { CommvaultRequester, Success } from '../transport';

/** One company of `GET /V4/company` (CompanySummary), kept as Commvault returned it. */
export type ListedCompany = IDataObject & { id: number; name?: string };

type CompanyList = IDataObject & { companies?: ListedCompany[] | null; companyCount?: number };

/** Commvault's CompanyListResponse: its companies (or null when there are none) and how many. */
const companyList: Success<CompanyList> = {
	expected: 'a list of companies (CompanyListResponse, with companies and companyCount)',
	is: (body): body is CompanyList => {
		const { companies, companyCount } = body;
		if (companies === undefined && companyCount === undefined) return false;
		if (companyCount !== undefined && !(Number.isInteger(companyCount) && (companyCount as number) >= 0)) return false;
		if (companies === undefined || companies === null) return true;
		return Array.isArray(companies) && companies.every((company) => isObject(company) && isPositiveInt32(company.id));
	},
};

/**
 * `GET /V4/company`: every company the caller may see, in one answer. Commvault's document
 * declares no paging for it (only `includeDeletedCompanies`), so a limit is the caller's to apply.
 */
export async function fetchCompanies(
	connection: CommvaultRequester,
	wanted: { includeDeleted?: boolean } = {},
	itemIndex?: number,
): Promise<ListedCompany[]> {
	const answer = await connection.request({
		method: 'GET',
		path: '/V4/company',
		query: wanted.includeDeleted ? { includeDeletedCompanies: true } : undefined,
		itemIndex,
		success: companyList,
	});
	return answer.companies ?? [];
}
