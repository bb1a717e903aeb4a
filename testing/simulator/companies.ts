/**
 * Companies (Commvault's MSP tenants) and acting for one: `GET/POST /V4/company`,
 * `GET/PUT /V4/company/{companyId}`, and the `operatorCompanyId` header that makes any call run as
 * the company's tenant operator (API.md). With the header a call sees the company's own plans (and
 * those the MSP gave it), its apps and itself only; without it, the MSP sees everything.
 *
 * Route handlers here use routes.ts's helpers only when they run (routes.ts registers them), so
 * the two modules may load in either order.
 */
import type { IncomingHttpHeaders } from 'http';

import { DEFAULT_COMPANY } from './plans';
import { ERROR_CODES, genericError, type Reply, type RouteRequest, type SimContext } from './routes';
import type { CompanySeed, PlanSeed, SimApp, SimCompany } from './types';

/** Company ids start far from plan and app ids, so a client that mixes them up gets an error, not a lucky match. */
export const FIRST_COMPANY_ID = 501;

// Shapes guaranteed by the schemas CreateCompany and UpdateCompany in openapi-subset.json.
interface IdName {
	id?: number;
	name?: string | null;
}
interface CreateCompanyBody {
	name: string;
	alias: string;
	email?: string;
	contactName?: string;
	plans?: IdName[];
	[other: string]: unknown;
}
interface UpdateCompanyBody {
	status?: { deactivate?: boolean; options?: { disableBackup?: boolean; disableRestore?: boolean; disableLogin?: boolean } };
	newName?: string;
	[other: string]: unknown;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const badRequest = (message: string): Reply => genericError(400, ERROR_CODES.invalidRequest, message);

/** Seeds as the simulator keeps them; ids from FIRST_COMPANY_ID unless given. */
export function seedCompanies(seeds: readonly CompanySeed[]): { companies: Map<number, SimCompany>; nextCompanyId: number } {
	const companies = new Map<number, SimCompany>();
	let nextCompanyId = FIRST_COMPANY_ID;
	for (const seed of seeds) {
		const id = seed.id ?? nextCompanyId;
		if (companies.has(id) || id === DEFAULT_COMPANY.id) throw new Error(`Duplicate company id ${id}`);
		nextCompanyId = Math.max(nextCompanyId, id + 1);
		companies.set(id, {
			id,
			name: seed.name,
			alias: seed.alias ?? seed.name.replace(/\W+/g, '').toLowerCase(),
			status: seed.status ?? 'ACTIVE',
			planIds: [...(seed.planIds ?? [])],
			creationTime: 1_700_000_000 + id,
		});
	}
	return { companies, nextCompanyId };
}

/**
 * The company a request acts for (its `operatorCompanyId` header), or undefined for none; a
 * header that names no company the caller can operate is refused before anything is done.
 */
export function actingCompany(ctx: SimContext, headers: IncomingHttpHeaders): { company?: number } | { reply: Reply } {
	const raw = headers.operatorcompanyid;
	if (raw === undefined) return {};
	const text = Array.isArray(raw) ? raw.join(',') : raw;
	if (!/^\d+$/.test(text)) return { reply: badRequest(`operatorCompanyId must be a company id, got '${text}'.`) };
	const company = ctx.companies.get(Number(text));
	if (!company || company.status === 'DELETED') {
		return { reply: genericError(403, ERROR_CODES.unauthorized, `You cannot operate the company with id ${text}: it does not exist.`) };
	}
	return { company: company.id };
}

/** The company an entity created with `company` in effect belongs to, as Commvault's IdName. */
export function companyRef(ctx: SimContext, company: number | undefined): { id: number; name: string } {
	const found = company === undefined ? undefined : ctx.companies.get(company);
	return found ? { id: found.id, name: found.name } : { ...DEFAULT_COMPANY };
}

/** The plans a call sees: the MSP all of them; a company those it owns and those the MSP gave it. */
export function visiblePlans(ctx: SimContext, company: number | undefined): PlanSeed[] {
	if (company === undefined) return ctx.plans;
	const given = new Set(ctx.companies.get(company)?.planIds ?? []);
	return ctx.plans.filter((plan) => plan.company?.id === company || given.has(plan.id));
}

/** The apps a call sees: the MSP all of them; a company its own. */
export function visibleApps(ctx: SimContext, company: number | undefined): SimApp[] {
	const apps = [...ctx.apps.values()];
	return company === undefined ? apps : apps.filter((app) => app.company.id === company);
}

/** `CompanySummary`, key order as the schema lists it. */
function toCompanySummary(company: SimCompany): Record<string, unknown> {
	return {
		id: company.id,
		name: company.name,
		GUID: `C0FFEE00-0000-4000-8000-${String(company.id).padStart(12, '0')}`,
		alias: company.alias,
		isReseller: false,
		associatedEntitiesCount: 0,
		status: company.status,
	};
}

/** The companies a call may see: a company acting sees itself only. */
function visibleCompanies(ctx: SimContext, company: number | undefined): SimCompany[] {
	const companies = [...ctx.companies.values()];
	return company === undefined ? companies : companies.filter((candidate) => candidate.id === company);
}

/** `GET /V4/company` (`CompanyListResponse`): deleted companies only with `includeDeletedCompanies=true`. */
export function listCompanies(ctx: SimContext, req: RouteRequest): Reply {
	const includeDeleted = req.query.includeDeletedCompanies === true;
	const companies = visibleCompanies(ctx, req.company).filter((company) => includeDeleted || company.status !== 'DELETED');
	return ok({ companies: companies.map(toCompanySummary), companyCount: companies.length });
}

function sameText(a: string, b: string): boolean {
	return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** `POST /V4/company`: name and alias unique (deleted companies aside), email and contactName together, plans the caller sees. */
export function createCompany(ctx: SimContext, req: RouteRequest): Reply {
	const body = req.body as CreateCompanyBody;
	if (body.name.trim() === '') return badRequest('name is required.');
	if (body.alias.trim() === '') return badRequest('alias is required.');
	if ((body.email === undefined) !== (body.contactName === undefined)) return badRequest('email and contactName must be given together.');
	const live = [...ctx.companies.values()].filter((company) => company.status !== 'DELETED');
	if (live.some((company) => sameText(company.name, body.name))) return badRequest(`A company with the name '${body.name}' already exists.`);
	if (live.some((company) => sameText(company.alias, body.alias))) return badRequest(`A company with the alias '${body.alias}' already exists.`);
	const plans = visiblePlans(ctx, req.company);
	const planIds: number[] = [];
	for (const ref of body.plans ?? []) {
		const plan = ref.id ? plans.find((p) => p.id === ref.id) : plans.find((p) => typeof ref.name === 'string' && sameText(p.name, ref.name));
		if (!plan) return badRequest(`Plan ${ref.id ? `with id ${ref.id}` : `'${ref.name ?? ''}'`} does not exist.`);
		planIds.push(plan.id);
	}
	const id = ctx.nextCompanyId++;
	ctx.companies.set(id, {
		id,
		name: body.name,
		alias: body.alias,
		status: 'ACTIVE',
		planIds,
		creationTime: Math.floor(Date.now() / 1000),
		...(body.email === undefined ? {} : { email: body.email, contactName: body.contactName }),
	});
	return ok({ id, name: body.name });
}

/** The path's company, if the caller may see it and it is not deleted. */
function companyOf(ctx: SimContext, req: RouteRequest): { found: SimCompany } | { reply: Reply } {
	const id = Number(req.pathParams.companyId);
	const found = visibleCompanies(ctx, req.company).find((candidate) => candidate.id === id);
	if (!found || found.status === 'DELETED') return { reply: genericError(404, ERROR_CODES.notFound, `Company with id ${id} does not exist.`) };
	return { found };
}

/** `GET /V4/company/{companyId}` (`Company`). */
export function companyDetails(ctx: SimContext, req: RouteRequest): Reply {
	const company = companyOf(ctx, req);
	if ('reply' in company) return company.reply;
	const { found } = company;
	const plans = ctx.plans.filter((plan) => found.planIds.includes(plan.id)).map((plan) => ({ id: plan.id, name: plan.name }));
	return ok({
		id: found.id,
		creationTime: found.creationTime,
		plans,
		contacts: found.email === undefined ? [] : [{ email: found.email, name: found.contactName ?? '' }],
	});
}

/** `PUT /V4/company/{companyId}`: deactivate (with its options), activate, rename. */
export function modifyCompany(ctx: SimContext, req: RouteRequest): Reply {
	const company = companyOf(ctx, req);
	if ('reply' in company) return company.reply;
	const { found } = company;
	const body = req.body as UpdateCompanyBody;
	const { status } = body;
	if (status?.options !== undefined && status.deactivate !== true && found.status !== 'DEACTIVATED') {
		return badRequest('Deactivation options can only be set for a deactivated company.');
	}
	if (body.newName !== undefined) {
		if ([...ctx.companies.values()].some((other) => other.id !== found.id && other.status !== 'DELETED' && sameText(other.name, body.newName ?? ''))) {
			return badRequest(`A company with the name '${body.newName}' already exists.`);
		}
		found.name = body.newName;
	}
	if (status?.deactivate === true) found.status = 'DEACTIVATED';
	if (status?.deactivate === false) found.status = 'ACTIVE';
	if (status?.options !== undefined) found.deactivation = { ...found.deactivation, ...status.options };
	return ok({ errorCode: 0, errorMessage: null });
}
