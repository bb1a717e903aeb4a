import { parseSchema, SchemaRegistry, ValidationError } from '../../testing/simulator/schema';
import { loadSpec, operation } from '../../testing/simulator/spec';
import { DEFAULT_PLANS, toPlanSummary } from '../../testing/simulator/plans';

const { registry } = loadSpec();

function validCreateBody(): Record<string, unknown> {
	return {
		name: 'Contoso D365',
		serverPlan: { id: 1, name: 'Server-Gold' },
		azureApp: {
			applicationId: '11111111-2222-3333-4444-555555555555',
			applicationSecret: 'c2VjcmV0',
			azureDirectoryId: '66666666-7777-8888-9999-000000000000',
			refreshToken: 'refresh',
			certificate: 'MIIK',
			certificatePassword: 'cGFzcw==',
			certificateThumbprint: 'FEEB19BA7F182BEF2C845F926221C5EDA5CC14D9',
		},
	};
}

function paths(errors: ValidationError[]): string[] {
	return errors.map((e) => e.path);
}

describe('vendored OpenAPI document', () => {
	it('maps the operations the node calls to their body schemas and path spelling', () => {
		expect(operation('CreateD365Client')).toMatchObject({ method: 'POST', path: '/v4/Dynamics365', bodySchema: 'CreateDynamics365Client' });
		expect(operation('AddD365Content')).toMatchObject({ method: 'PUT', path: '/V4/Dynamics365/{appId}/Content', bodySchema: 'Dynamics365ContentReq' });
		expect(operation('AddD365Content').pathParams.appId).toEqual({ type: 'integer', format: 'int32' });
		expect(operation('GetPlanIds').bodySchema).toBeUndefined();
	});

	it.each([
		['Exchange', 'CreateExchangeClient', 'AddExchangeContent', 'ExchangeContentReq'],
		['OneDrive', 'CreateOnedriveClient', 'AddOnedriveContent', 'OnedriveContentReq'],
		['SharePoint', 'CreateSharepointClient', 'AddSharepointContent', 'SharepointContentReq'],
		['Teams', 'CreateTeamsClient', 'AddTeamsContent', 'TeamsContentReq'],
	])('maps the %s operations, with the appId declared on the path', (workload, create, content, contentSchema) => {
		expect(operation(create)).toMatchObject({ method: 'POST', path: `/V4/Office365/${workload}`, bodySchema: create });
		expect(operation(content)).toMatchObject({ method: 'PUT', path: `/V4/Office365/${workload}/{appId}/Content`, bodySchema: contentSchema });
		expect(operation(content).pathParams.appId).toEqual({ type: 'integer', format: 'int32' });
	});

	it.each([
		['Exchange', 'GetExchangeClient'],
		['OneDrive', 'GetOnedriveClient'],
		['SharePoint', 'GetSharepointClient'],
		['Teams', 'GetTeamsClient'],
	])('maps the %s app list to its query parameters and its answer, Office365ClientsResp', (workload, list) => {
		const int32 = { schema: { type: 'integer', format: 'int32' }, required: false };
		expect(operation(list)).toMatchObject({ method: 'GET', path: `/V4/Office365/${workload}`, responseSchema: 'Office365ClientsResp' });
		expect(operation(list).queryParams).toEqual({
			pageNumber: int32,
			pageSize: int32,
			sort: { schema: { type: 'string' }, required: false },
			searchKey: { schema: { type: 'string' }, required: false },
		});
		expect(operation(list).bodySchema).toBeUndefined();
	});

	it('declares no query parameter for the operations that take none, and the answers of the ones the node calls', () => {
		for (const id of ['CreateD365Client', 'AddD365Content', 'CreateExchangeClient', 'AddTeamsContent', 'GetPlanIds', 'GetPlanSummary']) {
			expect(operation(id).queryParams).toEqual({});
		}
		expect(operation('CreateTeamsClient').responseSchema).toBe('IdName');
		expect(operation('AddSharepointContent').responseSchema).toBe('GenericResp');
		expect(operation('GetPlanSummary').responseSchema).toBe('PlanSummaryListResp');
	});

	it('holds every operation of the protection lifecycle (node-contract.md), each with its answer schema', () => {
		const lifecycle = [
			'GetOffice365Client',
			'PerformExchangeBackup',
			'PerformOnedriveBackup',
			'PerformSharepointBackup',
			'PerformTeamsBackup',
			'GetExchangeMailboxes',
			'GetOnedriveUsers',
			'GetSharepointSites',
			'GetTeamsList',
			'GetAlertsTriggered',
			'GetTriggeredAlertDetails',
			'GetCompanies',
			'CreateCompany',
			'GetCompanyDetails',
			'ModifyCompany',
		];
		for (const id of lifecycle) expect(registry.has(operation(id).responseSchema ?? 'none')).toBe(true);
	});

	it('refuses schema keywords the validator does not implement instead of ignoring them', () => {
		expect(() => parseSchema({ oneOf: [{ type: 'string' }] }, 'X')).toThrow(/unsupported schema keyword/);
		expect(() => parseSchema({ type: 'object', additionalProperties: true }, 'X')).toThrow(/additionalProperties/);
		expect(() => parseSchema({ type: 'date' }, 'X')).toThrow(/unsupported type/);
	});

	it('refuses a dangling $ref at load time', () => {
		expect(() => new SchemaRegistry({ A: { $ref: '#/components/schemas/Missing' } })).toThrow(/Missing/);
	});
});

describe('CreateDynamics365Client', () => {
	it('accepts a complete body, including fields that come through allOf', () => {
		expect(registry.validate('CreateDynamics365Client', validCreateBody())).toEqual([]);
	});

	it('accepts the minimal body and a serverPlan given by name only or with a null name', () => {
		const body = validCreateBody();
		body.azureApp = { applicationId: 'a', applicationSecret: 'c2VjcmV0', azureDirectoryId: 't' };
		expect(registry.validate('CreateDynamics365Client', body)).toEqual([]);
		expect(registry.validate('CreateDynamics365Client', { ...body, serverPlan: { name: 'Server-Gold' } })).toEqual([]);
		expect(registry.validate('CreateDynamics365Client', { ...body, serverPlan: { id: 1, name: null } })).toEqual([]);
	});

	it('rejects unknown properties at every level and suggests the intended name', () => {
		const body = validCreateBody();
		body.severPlan = { id: 1 };
		(body.azureApp as Record<string, unknown>).applicationID = 'typo';
		(body.azureApp as Record<string, unknown>).azureTenantId = 'not a Commvault field';
		const errors = registry.validate('CreateDynamics365Client', body);
		expect(errors).toEqual(
			expect.arrayContaining([
				{ path: '/severPlan', message: "unknown property (did you mean 'serverPlan'?)" },
				{ path: '/azureApp/applicationID', message: "unknown property (did you mean 'applicationId'?)" },
				{ path: '/azureApp/azureTenantId', message: 'unknown property' },
			]),
		);
		expect(errors).toHaveLength(3);
	});

	it('checks required fields from every allOf part, and rejects empty strings for them', () => {
		const body = validCreateBody();
		body.name = '';
		body.azureApp = { applicationId: '  ', refreshToken: 'r' };
		expect(registry.validate('CreateDynamics365Client', body)).toEqual(
			expect.arrayContaining([
				{ path: '/name', message: 'is required and must not be empty' },
				{ path: '/azureApp/applicationId', message: 'is required and must not be empty' },
				{ path: '/azureApp/applicationSecret', message: 'is required' },
				{ path: '/azureApp/azureDirectoryId', message: 'is required' },
			]),
		);
		expect(paths(registry.validate('CreateDynamics365Client', {})).sort()).toEqual(['/azureApp', '/name', '/serverPlan']);
	});

	it('allows an empty optional string (the node must still leave it out, which its own tests check)', () => {
		const body = validCreateBody();
		(body.azureApp as Record<string, unknown>).refreshToken = '';
		expect(registry.validate('CreateDynamics365Client', body)).toEqual([]);
	});

	it('rejects wrong types', () => {
		const body = validCreateBody();
		body.serverPlan = { id: '1', name: 7 };
		body.name = ['x'];
		expect(registry.validate('CreateDynamics365Client', body)).toEqual([
			{ path: '/name', message: 'must be a string, got an array' },
			{ path: '/serverPlan/id', message: 'must be an integer, got the string "1"' },
			{ path: '/serverPlan/name', message: 'must be a string, got number 7' },
		]);
		expect(registry.validate('CreateDynamics365Client', 'x')).toEqual([{ path: '', message: 'must be an object, got the string "x"' }]);
		expect(registry.validate('IdName', { id: 1.5 })).toEqual([{ path: '/id', message: 'must be an integer, got the number 1.5' }]);
	});

	it('enforces the int32 range', () => {
		expect(registry.validate('IdName', { id: 2147483647 })).toEqual([]);
		expect(registry.validate('IdName', { id: -2147483648 })).toEqual([]);
		expect(paths(registry.validate('IdName', { id: 2147483648 }))).toEqual(['/id']);
		expect(paths(registry.validate('IdName', { id: -2147483649 }))).toEqual(['/id']);
	});

	it('rejects null where the schema is not nullable', () => {
		const body = validCreateBody();
		body.serverPlan = null;
		(body.azureApp as Record<string, unknown>).refreshToken = null;
		expect(registry.validate('CreateDynamics365Client', body)).toEqual([
			{ path: '/serverPlan', message: 'must not be null' },
			{ path: '/azureApp/refreshToken', message: 'must not be null' },
		]);
	});
});

describe('Dynamics365ContentReq', () => {
	it('accepts the documented body', () => {
		expect(registry.validate('Dynamics365ContentReq', { type: 'ALL_ENVIRONMENTS', dynamics365plan: { id: 11 } })).toEqual([]);
	});

	it("rejects 'dynamics365Plan' (capital P), which Commvault would silently ignore", () => {
		expect(registry.validate('Dynamics365ContentReq', { type: 'ALL_ENVIRONMENTS', dynamics365Plan: { id: 11 } })).toEqual([
			{ path: '/dynamics365plan', message: 'is required' },
			{ path: '/dynamics365Plan', message: "unknown property (did you mean 'dynamics365plan'?)" },
		]);
	});

	it('rejects a value outside the enum', () => {
		expect(registry.validate('Dynamics365ContentReq', { type: 'all_environments', dynamics365plan: { id: 11 } })).toEqual([
			{ path: '/type', message: 'must be one of "ALL_ENVIRONMENTS", got "all_environments"' },
		]);
	});
});

describe('response schemas', () => {
	it("accept the simulator's own plan answers (items, $ref'd enums, nullable arrays)", () => {
		const summary = { plans: DEFAULT_PLANS.map(toPlanSummary), plansCount: DEFAULT_PLANS.length };
		expect(registry.validate('PlanSummaryListResp', summary)).toEqual([]);
		expect(registry.validate('PlanSummaryListResp', { plans: null, plansCount: 0 })).toEqual([]);
		expect(registry.validate('EntityDetails', { entities: DEFAULT_PLANS.map((p) => ({ id: p.id, name: p.name })) })).toEqual([]);
	});

	it('reports bad array items with their index', () => {
		expect(registry.validate('PlanSummaryListResp', { plans: [{ planType: 'Server' }, { planType: 'Nope', RPO: -1 }] })).toEqual([
			{ path: '/plans/1/planType', message: expect.stringContaining('must be one of') },
			{ path: '/plans/1/RPO', message: 'must be >= 0' },
		]);
	});
});
