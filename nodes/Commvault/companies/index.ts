/**
 * Companies (Commvault's MSP tenants): the one listing (`GET /V4/company`) and the resolution of a
 * company locator to its id, shared by the action node, its pickers and the trigger.
 */
export { fetchCompanies, type ListedCompany } from './listing';
export { ACT_FOR_COMPANY_FIELD, CompanyDirectory, companyRequest, findCompanyByName, resolveCompany } from './resolve';
