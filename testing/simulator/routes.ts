/**
 * Commvault's behaviour per endpoint. Handlers receive a request whose body already passed the
 * operation's schema, so they may rely on its shape; everything HTTP-specific lives in server.ts.
 */
import type { AlertBook } from './alerts';
import { newApp, toClientData } from './apps';
import type { AuthState } from './auth';
import { companyDetails, companyRef, createCompany, listCompanies, modifyCompany, visibleApps, visiblePlans } from './companies';
import { checkPkcs12, decodeBase64Strict, decodeBase64Utf8 } from './encoding';
import { jobRoutes, type SimJobs } from './jobs';
import { protectionRoutes, type SimProtection } from './protection';
import { ListSpec, listPage, QueryValues } from './lists';
import { resolvePlan, toPlanSummary } from './plans';
import type { Schema } from './schema';
import { operation, QueryParam } from './spec';
import type { Office365Workload, PlanSeed, PlanType, SimApp, SimCompany, SimPaging, SimulatorOptions, SimWorkload } from './types';

export interface Reply {
	status: number;
	headers?: Record<string, string>;
	body?: unknown;
}

export interface RouteRequest {
	body: unknown;
	pathParams: Record<string, string>;
	/** The query parameters the operation declares, converted to their schemas' types. */
	query: QueryValues;
	/** Who the Authtoken belongs to (undefined for unauthenticated routes). */
	username?: string;
	/** The company the request acts for (its `operatorCompanyId` header, checked); undefined: the MSP itself. */
	company?: number;
}

export interface SimContext {
	plans: PlanSeed[];
	apps: Map<number, SimApp>;
	nextAppId: number;
	companies: Map<number, SimCompany>;
	nextCompanyId: number;
	auth: AuthState;
	loginFailure: NonNullable<SimulatorOptions['loginFailure']>;
	paging: SimPaging;
	jobs: SimJobs;
	alerts: AlertBook;
	protection: SimProtection;
}

export interface Route {
	method: string;
	/** Matched against the path below the base path, case-insensitively (Commvault is). */
	pattern: RegExp;
	operationId: string;
	bodySchema?: string;
	pathParamSchemas: Record<string, Schema>;
	/** The query parameters the document declares (any other is refused); undefined: not checked. */
	queryParams?: Record<string, QueryParam>;
	/** A 200 answer of the simulator's own is checked against this schema (a simulator bug is a 500). */
	responseSchema?: string;
	authenticated: boolean;
	handle(ctx: SimContext, req: RouteRequest): Reply;
}

/** `errorCode` values of the simulator's own GenericResp answers. */
export const ERROR_CODES = { unauthorized: 1, invalidRequest: 2, alreadyExists: 3, notFound: 4, loginFailed: 5 } as const;

/** Key order as in Commvault's documented 409: errorMessage first. */
export function genericError(status: number, errorCode: number, errorMessage: string): Reply {
	return { status, body: { errorMessage, errorCode } };
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const badRequest = (message: string): Reply => genericError(400, ERROR_CODES.invalidRequest, message);

// Shapes guaranteed by the schemas in openapi-subset.json (and SimLoginReq in spec.ts).
interface IdName {
	id?: number;
	name?: string | null;
}
interface LoginBody {
	username: string;
	password: string;
}
interface CreateBody {
	name: string;
	serverPlan: IdName;
	tenantAdminSiteURL?: string;
	azureApp: {
		applicationId: string;
		applicationSecret: string;
		azureDirectoryId: string;
		refreshToken?: string;
		certificate?: string;
		certificatePassword?: string;
		certificateThumbprint?: string;
	};
}
type ContentBody = { type: string; group?: { GUID?: string; name?: string } } & Record<string, IdName>;

interface WorkloadFacts {
	create: string;
	content: string;
	/** The content body's plan field, spelt as the schema spells it (lower-case `p`). */
	planField: string;
	planType: PlanType;
	label: string;
}

/**
 * The apps Commvault onboards alike: an operation to create one and one to add its content.
 * Which fields each body takes comes from the operations' schemas, not from here.
 */
export const WORKLOADS: Record<SimWorkload, WorkloadFacts> = {
	Dynamics365: { create: 'CreateD365Client', content: 'AddD365Content', planField: 'dynamics365plan', planType: 'Dynamics365', label: 'Dynamics 365' },
	Exchange: { create: 'CreateExchangeClient', content: 'AddExchangeContent', planField: 'office365plan', planType: 'Office365', label: 'Exchange' },
	OneDrive: { create: 'CreateOnedriveClient', content: 'AddOnedriveContent', planField: 'office365plan', planType: 'Office365', label: 'OneDrive' },
	SharePoint: { create: 'CreateSharepointClient', content: 'AddSharepointContent', planField: 'office365plan', planType: 'Office365', label: 'SharePoint' },
	Teams: { create: 'CreateTeamsClient', content: 'AddTeamsContent', planField: 'office365plan', planType: 'Office365', label: 'Teams' },
};

/** The operations listing a workload's apps; Commvault has none for Dynamics 365. */
const LIST_OPERATIONS: Record<Office365Workload, string> = {
	Exchange: 'GetExchangeClient',
	OneDrive: 'GetOnedriveClient',
	SharePoint: 'GetSharepointClient',
	Teams: 'GetTeamsClient',
};
const OFFICE365_WORKLOADS = Object.keys(LIST_OPERATIONS) as Office365Workload[];

/** Content types that protect one group, which the body must then name (`group`); no other type takes one. */
const GROUP_CONTENT_TYPES = new Set(['AD_GROUP', 'GROUP']);

/** Commvault connects to the tenant's SharePoint admin center, which lives at https://<tenant>-admin.sharepoint.<cloud>. */
const SHAREPOINT_ADMIN_SITE = /^https:\/\/[a-z0-9][a-z0-9-]*-admin\.sharepoint\.(com|us|de|cn)\/?$/i;

function login(ctx: SimContext, req: RouteRequest): Reply {
	const body = req.body as LoginBody;
	const result = ctx.auth.login(body.username, body.password);
	if (!result.ok) {
		const message = 'Login failed: invalid username or password';
		return ctx.loginFailure === 'http401'
			? genericError(401, ERROR_CODES.loginFailed, message)
			: ok({ errList: [{ errorCode: ERROR_CODES.loginFailed, errLogMessage: message }] });
	}
	return ok({
		aliasName: '1',
		userGUID: 'F0E1D2C3-B4A5-4697-8877-665544332211',
		loginAttempts: 0,
		remainingLockTime: 0,
		smtpAddress: `${result.username}@example.invalid`,
		userName: result.username,
		providerType: 1,
		ccn: 0,
		token: result.token,
		forcePasswordChange: false,
		isAccountLocked: false,
	});
}

function whoAmI(_ctx: SimContext, req: RouteRequest): Reply {
	return ok({ user: { userName: req.username, userId: 1, userGUID: 'F0E1D2C3-B4A5-4697-8877-665544332211' } });
}

function planIds(ctx: SimContext, req: RouteRequest): Reply {
	return ok({ entities: visiblePlans(ctx, req.company).map((p) => ({ id: p.id, name: p.name })) });
}

function planSummary(ctx: SimContext, req: RouteRequest): Reply {
	const plans = visiblePlans(ctx, req.company);
	return ok({ plans: plans.map(toPlanSummary), plansCount: plans.length });
}

/** App names are client names, unique in the CommCell whatever the workload. */
const createApp = (workload: SimWorkload): Handler => (ctx, req) => {
	const body = req.body as CreateBody;
	const taken = [...ctx.apps.values()].some((app) => app.name.toLowerCase() === body.name.toLowerCase());
	if (taken) return genericError(409, ERROR_CODES.alreadyExists, 'An instance by this name already exists.');

	const plan = resolvePlan(visiblePlans(ctx, req.company), body.serverPlan, 'Server');
	if (!plan.ok) return badRequest(`serverPlan: ${plan.message}`);

	if (body.tenantAdminSiteURL !== undefined && !SHAREPOINT_ADMIN_SITE.test(body.tenantAdminSiteURL)) {
		return badRequest('tenantAdminSiteURL is not the URL of a SharePoint Online admin site.');
	}

	const decoded = decodeAzureApp(body.azureApp);
	if (typeof decoded === 'string') return badRequest(decoded);

	const id = ctx.nextAppId++;
	const app = newApp(id, body.name, workload, { id: plan.plan.id, name: plan.plan.name });
	app.company = companyRef(ctx, req.company);
	if (body.tenantAdminSiteURL !== undefined) app.tenantAdminSiteURL = body.tenantAdminSiteURL;
	app.azureApp = { ...body.azureApp };
	app.decoded = decoded;
	ctx.apps.set(id, app);
	return ok({ id, name: body.name });
};

/** Decodes the base64 fields Commvault requires; a string return is the error message. */
function decodeAzureApp(azureApp: CreateBody['azureApp']): SimApp['decoded'] | string {
	const applicationSecret = decodeBase64Utf8(azureApp.applicationSecret);
	if (applicationSecret === undefined) return 'azureApp.applicationSecret must be base64 encoded.';
	const decoded: SimApp['decoded'] = { applicationSecret };
	if (azureApp.certificatePassword !== undefined) {
		decoded.certificatePassword = decodeBase64Utf8(azureApp.certificatePassword);
		if (decoded.certificatePassword === undefined) return 'azureApp.certificatePassword must be base64 encoded.';
	}
	if (azureApp.certificate !== undefined) {
		decoded.certificate = decodeBase64Strict(azureApp.certificate);
		if (!decoded.certificate) return 'azureApp.certificate must be the base64 encoded content of a .pfx or .p12 file.';
		const check = checkPkcs12(decoded.certificate, decoded.certificatePassword ?? '');
		if (check === 'not-pkcs12') return 'azureApp.certificate is not a valid .pfx or .p12 file.';
		if (check === 'wrong-password') return 'azureApp.certificatePassword is not the password of the certificate.';
	}
	return decoded;
}

/** An app of another workload is not found under this workload's path, as in Commvault. */
const addContent = (workload: SimWorkload): Handler => (ctx, req) => {
	const facts = WORKLOADS[workload];
	const body = req.body as ContentBody;
	const appId = Number(req.pathParams.appId);
	const app = visibleApps(ctx, req.company).find((candidate) => candidate.id === appId);
	if (app?.workload !== workload) return genericError(404, ERROR_CODES.notFound, `${facts.label} app with id ${appId} does not exist.`);
	const plan = resolvePlan(visiblePlans(ctx, req.company), body[facts.planField], facts.planType);
	if (!plan.ok) return badRequest(`${facts.planField}: ${plan.message}`);
	const needsGroup = GROUP_CONTENT_TYPES.has(body.type);
	if (needsGroup && !body.group?.GUID && !body.group?.name) return badRequest(`group (GUID or name) is required for type ${body.type}.`);
	if (!needsGroup && body.group !== undefined) return badRequest(`group is only for type ${[...GROUP_CONTENT_TYPES].join(' or ')}.`);
	app.content.push({ type: body.type, plan: { id: plan.plan.id, name: plan.plan.name }, ...(body.group ? { group: { ...body.group } } : {}) });
	return ok({ errorCode: 0, errorMessage: null });
};

/** The order apps are listed in unless `sort` says otherwise: by id, the order they were created in. */
const APP_LIST: ListSpec<SimApp> = {
	sortFields: {
		id: (app) => app.id,
		name: (app) => app.name,
		backupHealthPercentage: (app) => app.stats.backupHealthPercentage,
		itemsBackedUp: (app) => app.stats.itemsBackedUp,
		backupSize: (app) => app.stats.backupSize,
		associatedEntities: (app) => app.stats.associatedEntities,
	},
	searchText: (app) => app.name,
};

/** `GET /V4/Office365/{workload}` (`Office365ClientsResp`), and `GET /V4/Office365` with each app's `type`. */
const listApps = (workloads: readonly Office365Workload[], withType: boolean): Handler => (ctx, req) => {
	const apps = visibleApps(ctx, req.company).filter((app) => (workloads as readonly SimWorkload[]).includes(app.workload));
	const result = listPage(apps, req.query, APP_LIST, ctx.paging);
	if (!result.ok) return badRequest(result.message);
	const clients = result.page.map((app) => (withType ? { ...toClientData(app), type: app.workload.toUpperCase() } : toClientData(app)));
	return ok({ totalRecords: result.totalRecords, clients });
};

type Handler = Route['handle'];

/** A route for an operation in the OpenAPI document: path, body schema and path params come from it. */
function documented(operationId: string, handle: Handler): Route {
	const op = operation(operationId);
	return {
		method: op.method,
		pattern: pathPattern(op.path),
		operationId,
		bodySchema: op.bodySchema,
		pathParamSchemas: op.pathParams,
		queryParams: op.queryParams,
		responseSchema: op.responseSchema,
		authenticated: true,
		handle,
	};
}

/** A route Commvault has but its OpenAPI document does not describe (known from its clients). */
function undocumented(method: string, path: string, operationId: string, handle: Handler, extra: Partial<Route> = {}): Route {
	return { method, pattern: pathPattern(path), operationId, pathParamSchemas: {}, authenticated: true, handle, ...extra };
}

function pathPattern(templated: string): RegExp {
	const escaped = templated.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
	return new RegExp(`^${escaped.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`, 'i');
}

export const ROUTES: readonly Route[] = [
	undocumented('POST', '/Login', 'Login', login, { authenticated: false, bodySchema: 'SimLoginReq' }),
	undocumented('GET', '/v2/WhoAmI', 'WhoAmI', whoAmI),
	undocumented('POST', '/WhoAmI', 'WhoAmI', whoAmI),
	...(Object.keys(WORKLOADS) as SimWorkload[]).flatMap((workload) => [
		documented(WORKLOADS[workload].create, createApp(workload)),
		documented(WORKLOADS[workload].content, addContent(workload)),
	]),
	...OFFICE365_WORKLOADS.map((workload) => documented(LIST_OPERATIONS[workload], listApps([workload], false))),
	documented('GetOffice365Client', listApps(OFFICE365_WORKLOADS, true)),
	documented('GetPlanIds', planIds),
	documented('GetPlanSummary', planSummary),
	documented('GetAlertsTriggered', (ctx) => ctx.alerts.list()),
	documented('GetTriggeredAlertDetails', (ctx, req) => ctx.alerts.details(req)),
	// companies.ts uses this module's helpers: wrapped, so that either module may load first.
	documented('GetCompanies', (ctx, req) => listCompanies(ctx, req)),
	documented('CreateCompany', (ctx, req) => createCompany(ctx, req)),
	documented('GetCompanyDetails', (ctx, req) => companyDetails(ctx, req)),
	documented('ModifyCompany', (ctx, req) => modifyCompany(ctx, req)),
	...jobRoutes(documented),
	...protectionRoutes(documented),
];
