/**
 * The Microsoft 365 apps (Exchange, OneDrive, SharePoint, Teams) inside n8n's engine, against the
 * simulator's strict schemas: the exact body per workload, each content type, the Microsoft 365
 * plan picker, Create then content in one step, and errors and secrets as for Dynamics 365.
 * The paths, body fields and type values are the contract's, written out here.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { AZURE_APP_PFX_PASSWORD, AZURE_APP_PFX_THUMBPRINT } from '../../testing/fixtures';
import { CommvaultErrors, DEFAULT_AUTHTOKEN, type RecordedRequest, type SimWorkload } from '../../testing/simulator';
import { runListSearch } from '../../testing/engine';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { httpCodeOf, planById, runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { contentAdded } from '../../testing/engine/support/content';
import * as inputs from '../../testing/engine/support/create';

// The Azure app, its secrets and the certificate are the same as Dynamics 365's Create tests use.
const { APPLICATION_ID, APPLICATION_SECRET, CERTIFICATE_PROPERTY, CREATE_CANARIES, DIRECTORY_ID, PFX_BYTES, REFRESH_TOKEN, pfxItem } = inputs;

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const byName = (value: string): INodeParameters => ({ __rl: true, mode: 'name', value });
const ADMIN_SITE = 'https://contoso-admin.sharepoint.com';
/** Enabled Office365 plans in the simulator's seed; 23 is a disabled one, 11 a Dynamics365 plan. */
const O365_PLAN = { id: 21, name: 'O365-Mailboxes' };

interface Case {
	resource: string;
	workload: SimWorkload;
	types: string[];
	refreshToken: boolean;
}
const WORKLOADS: Case[] = [
	{ resource: 'exchangeApp', workload: 'Exchange', types: ['ALL_MAILBOXES', 'ALL_PUBLIC_FOLDERS', 'ALL_GROUP_MAILBOXES'], refreshToken: false },
	{ resource: 'oneDriveApp', workload: 'OneDrive', types: ['ALL_USERS'], refreshToken: false },
	{ resource: 'sharePointApp', workload: 'SharePoint', types: ['ALL_WEB_SITES', 'ALL_TEAMS_SITES'], refreshToken: false },
	{ resource: 'teamsApp', workload: 'Teams', types: ['ALL_TEAMS'], refreshToken: true },
];
const createPath = (workload: string): string => `/V4/Office365/${workload}`;
const contentPath = (workload: string, appId: number): string => `/V4/Office365/${workload}/${appId}/Content`;

const sim = useSimulator();

/** Valid Create parameters for the workload (SharePoint with its admin site URL), server plan by ID. */
function createParameters(c: Case, overrides: INodeParameters = {}): INodeParameters {
	return {
		resource: c.resource,
		operation: 'create',
		name: `Contoso ${c.workload}`,
		serverPlan: planById('1'),
		...(c.workload === 'SharePoint' ? { tenantAdminSiteUrl: ADMIN_SITE } : {}),
		applicationId: APPLICATION_ID,
		applicationSecret: APPLICATION_SECRET,
		azureDirectoryId: DIRECTORY_ID,
		...overrides,
	};
}

/** Every optional field the workload's schema has, the certificate from `pfxItem()`. */
function fullCreateParameters(c: Case, additional: INodeParameters = {}): INodeParameters {
	return createParameters(c, {
		additionalFields: {
			...(c.refreshToken ? { refreshToken: REFRESH_TOKEN } : {}),
			certificateBinaryProperty: CERTIFICATE_PROPERTY,
			certificatePassword: AZURE_APP_PFX_PASSWORD,
			certificateThumbprint: AZURE_APP_PFX_THUMBPRINT,
			...additional,
		},
	});
}

function addContentParameters(c: Case, overrides: INodeParameters = {}): INodeParameters {
	return { resource: c.resource, operation: 'addContent', appId: '={{ $json.id }}' as unknown as number, office365Plan: planById('21'), ...overrides };
}

function only(method: string, path: string): RecordedRequest {
	const requests = sim.requestsTo(method, path);
	expect(requests).toHaveLength(1);
	expect(requests[0].schemaErrors).toEqual([]);
	expect(requests[0].valid).toBe(true);
	return requests[0];
}

const SIGN_IN = new Set(['/Login', '/V4/PlanIds']);
const apiCalls = (): string[] => sim.requests.filter((r) => !SIGN_IN.has(r.path)).map((r) => `${r.method} ${r.path}`);

describe.each(WORKLOADS)('$resource', (c) => {
	describe('Create', () => {
		it(`sends exactly the required fields of Create${c.workload === 'OneDrive' ? 'Onedrive' : c.workload === 'SharePoint' ? 'Sharepoint' : c.workload}Client, in its order`, async () => {
			const result = await runCommvault(sim, { parameters: createParameters(c) });

			expect(result.error).toBeUndefined();
			expect(only('POST', createPath(c.workload)).rawBody).toBe(
				JSON.stringify({
					name: `Contoso ${c.workload}`,
					serverPlan: { id: 1 },
					...(c.workload === 'SharePoint' ? { tenantAdminSiteURL: ADMIN_SITE } : {}),
					azureApp: { applicationId: APPLICATION_ID, applicationSecret: base64(APPLICATION_SECRET), azureDirectoryId: DIRECTORY_ID },
				}),
			);
			expect(result.items).toEqual([{ json: { id: 1001, name: `Contoso ${c.workload}` }, pairedItem: { item: 0 } }]);
			expect(sim.app(1001)).toMatchObject({ workload: c.workload, decoded: { applicationSecret: APPLICATION_SECRET } });
			expect(apiCalls()).toEqual([`POST ${createPath(c.workload)}`]);
		});

		it(`maps every optional field its schema has${c.refreshToken ? ' (the refresh token too)' : ', and no refresh token'}, byte for byte`, async () => {
			const result = await runCommvault(sim, { parameters: fullCreateParameters(c), items: [pfxItem()] });

			expect(result.error).toBeUndefined();
			const { azureApp } = JSON.parse(only('POST', createPath(c.workload)).rawBody) as { azureApp: Record<string, string> };
			expect(azureApp).toEqual({
				applicationId: APPLICATION_ID,
				applicationSecret: base64(APPLICATION_SECRET),
				azureDirectoryId: DIRECTORY_ID,
				...(c.refreshToken ? { refreshToken: REFRESH_TOKEN } : {}),
				certificate: PFX_BYTES.toString('base64'),
				certificatePassword: base64(AZURE_APP_PFX_PASSWORD),
				certificateThumbprint: AZURE_APP_PFX_THUMBPRINT,
			});
			expect(sim.app(1001)?.decoded.certificate?.equals(PFX_BYTES)).toBe(true);
			expectNoSecrets(result, CREATE_CANARIES);
		});

		it.each(c.types.map((type, index) => [type, index === 0]))(
			'then adds content type %s (the default: %s) with the Microsoft 365 plan, in one step',
			async (type, isDefault) => {
				const additionalFields: INodeParameters = { office365Plan: byName('o365-mailboxes') };
				if (!isDefault) additionalFields.contentType = type;
				const result = await runCommvault(sim, { parameters: createParameters(c, { additionalFields }) });

				expect(result.error).toBeUndefined();
				expect(apiCalls()).toEqual(['GET /V4/Plan/Summary', `POST ${createPath(c.workload)}`, `PUT ${contentPath(c.workload, 1001)}`]);
				expect(only('PUT', contentPath(c.workload, 1001)).rawBody).toBe(JSON.stringify({ type, office365plan: O365_PLAN }));
				expect(result.items[0].json).toEqual({ id: 1001, name: `Contoso ${c.workload}`, content: contentAdded(O365_PLAN, type) });
				expect(sim.app(1001)?.content).toEqual([{ type, plan: O365_PLAN }]);
			},
		);

		it("Commvault's 409 for a name that exists fails the item with Commvault's message", async () => {
			sim.addApp({ name: `Contoso ${c.workload}`, workload: c.workload });
			const result = await runCommvault(sim, { parameters: createParameters(c) });

			expect(result.error?.message).toBe('An instance by this name already exists.');
			expect(httpCodeOf(result.error)).toBe('409');
			expect(sim.requestsTo('POST', createPath(c.workload)).map((r) => [r.status, r.valid])).toEqual([[409, true]]);
		});
	});

	describe('Add Content', () => {
		it.each(c.types)('sends exactly {"type":"%s","office365plan":{"id":21}} and outputs what was added', async (type) => {
			sim.addApp({ id: 1001, name: 'Seeded', workload: c.workload });
			const parameters = addContentParameters(c, c.types.length > 1 || type !== c.types[0] ? { contentType: type } : {});
			const result = await runCommvault(sim, { parameters, items: [{ json: { id: 1001 } }] });

			expect(result.error).toBeUndefined();
			const request = only('PUT', contentPath(c.workload, 1001));
			expect(request.path).toBe(contentPath(c.workload, 1001));
			expect(request.rawBody).toBe(JSON.stringify({ type, office365plan: { id: 21 } }));
			expect(result.items).toEqual([{ json: { appId: 1001, ...contentAdded({ id: 21 }, type) }, pairedItem: { item: 0 } }]);
			expect(sim.app(1001)?.content).toEqual([{ type, plan: O365_PLAN }]);
		});

		it("an app of another workload: Commvault's 404 message is the error", async () => {
			sim.addApp({ id: 1001, name: 'A Dynamics 365 app' });
			const result = await runCommvault(sim, { parameters: addContentParameters(c), items: [{ json: { id: 1001 } }] });

			expect(result.error?.message).toBe(`${c.workload} app with id 1001 does not exist.`);
			expect(httpCodeOf(result.error)).toBe('404');
		});
	});
});

describe('Exchange: a refresh token never reaches a schema without one', () => {
	it('is left out even when the parameters carry one (a workflow switched from another resource)', async () => {
		const [exchange] = WORKLOADS;
		const result = await runCommvault(sim, { parameters: createParameters(exchange, { additionalFields: { refreshToken: REFRESH_TOKEN } }) });

		expect(result.error).toBeUndefined();
		expect(only('POST', '/V4/Office365/Exchange').body).not.toHaveProperty('azureApp.refreshToken');
	});
});

describe('Add Content: App ID and content type', () => {
	const [exchange] = WORKLOADS;

	it('an empty App ID (the field has no default) fails naming the field, and nothing is sent', async () => {
		const result = await runCommvault(sim, { parameters: addContentParameters(exchange, { appId: '' as unknown as number }) });

		expect(result.error?.message).toBe('App ID: is required (item 0)');
		expect(result.error?.description).toContain('"id" field of a Create output');
		expect(sim.requests).toEqual([]);
	});

	it('a content type of another workload (from an expression) fails naming the field, and nothing is sent', async () => {
		sim.addApp({ id: 1001, name: 'Seeded', workload: 'Exchange' });
		const result = await runCommvault(sim, {
			parameters: addContentParameters(exchange, { contentType: '={{ $json.type }}' }),
			items: [{ json: { id: 1001, type: 'ALL_TEAMS' } }],
		});

		expect(result.error?.message).toBe('Content Type: "ALL_TEAMS" is not a content type of a Exchange app (item 0)');
		expect(result.error?.description).toBe('Use one of ALL_MAILBOXES, ALL_PUBLIC_FOLDERS, ALL_GROUP_MAILBOXES.');
		expect(sim.requests).toEqual([]);
	});
});

describe('SharePoint: Tenant Admin Site URL', () => {
	const sharePoint = WORKLOADS[2];
	const withUrl = (tenantAdminSiteUrl: string) => createParameters(sharePoint, { tenantAdminSiteUrl });

	it.each([
		['  https://contoso-admin.sharepoint.com  ', 'https://contoso-admin.sharepoint.com'],
		['https://fabrikam-admin.sharepoint.us/', 'https://fabrikam-admin.sharepoint.us/'],
	])('%j is sent as %j', async (typed, sent) => {
		const result = await runCommvault(sim, { parameters: withUrl(typed) });

		expect(result.error).toBeUndefined();
		expect((only('POST', '/V4/Office365/SharePoint').body as { tenantAdminSiteURL: string }).tenantAdminSiteURL).toBe(sent);
	});

	it.each([
		['https://contoso.sharepoint.com', "That is the tenant's SharePoint site; its admin site is https://contoso-admin.sharepoint.com."],
		['contoso.sharepoint.com/sites/hr', "That is the tenant's SharePoint site; its admin site is https://contoso-admin.sharepoint.com."],
		['http://contoso-admin.sharepoint.com', "the tenant's name followed by -admin, e.g. https://contoso-admin.sharepoint.com for the tenant contoso."],
		['https://contoso-admin.example.com', "the tenant's name followed by -admin, e.g. https://contoso-admin.sharepoint.com for the tenant contoso."],
	])('%j fails before anything is sent, with a hint', async (typed, hint) => {
		const result = await runCommvault(sim, { parameters: withUrl(typed) });

		expect(result.error?.message).toBe('Tenant Admin Site URL: is not the https:// address of a SharePoint Online admin site (item 0)');
		expect(result.error?.description).toContain(hint);
		expect(sim.requests).toEqual([]);
	});

	it('an empty one fails as required', async () => {
		const result = await runCommvault(sim, { parameters: withUrl('={{ $json.site }}'), items: [{ json: {} }] });

		expect(result.error?.message).toMatch(/^Tenant Admin Site URL: is required/);
		expect(sim.requests).toEqual([]);
	});
});

describe('Microsoft 365 plan picker (office365Plan)', () => {
	const [exchange] = WORKLOADS;

	it('lists only enabled Office365 plans, sorted by name, with the plan ID as value', async () => {
		const outcome = await runListSearch({
			nodeType: Commvault,
			credentialTypes: [CommvaultApi],
			credentials: { commvaultApi: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } },
			method: 'searchOffice365Plans',
			parameters: { resource: 'exchangeApp', operation: 'addContent' },
			path: 'parameters.office365Plan',
		});

		expect(outcome.results).toEqual([
			{ name: 'M365 Standard (EU)', value: '22' },
			{ name: 'O365-Mailboxes', value: '21' },
		]);
	});

	it('resolves a name case-insensitively to {id, name}', async () => {
		sim.addApp({ id: 1001, name: 'Seeded', workload: 'Exchange' });
		const result = await runCommvault(sim, {
			parameters: addContentParameters(exchange, { office365Plan: byName('m365 standard (eu)') }),
			items: [{ json: { id: 1001 } }],
		});

		expect(result.error).toBeUndefined();
		expect(only('PUT', contentPath('Exchange', 1001)).body).toEqual({ type: 'ALL_MAILBOXES', office365plan: { id: 22, name: 'M365 Standard (EU)' } });
	});

	it.each([
		['D365-Standard', '"D365-Standard" (ID 11) is a Dynamics365 plan, not a Microsoft 365 plan'],
		['O365-Retired', 'the Microsoft 365 plan "O365-Retired" (ID 23) is disabled'],
		['O365-Platinum', 'no Microsoft 365 plan is named "O365-Platinum"'],
	])('a name %j that is not a usable Microsoft 365 plan fails naming the field; no content is sent', async (name, problem) => {
		const result = await runCommvault(sim, { parameters: addContentParameters(exchange, { office365Plan: byName(name) }), items: [{ json: { id: 1001 } }] });

		expect(result.error?.message).toBe(`Microsoft 365 Plan: ${problem} (item 0)`);
		expect(result.error?.description).toContain('type Office365');
		expect(apiCalls()).toEqual(['GET /V4/Plan/Summary']);
	});

	it('in Create, a plan that cannot be resolved creates nothing', async () => {
		const result = await runCommvault(sim, { parameters: createParameters(exchange, { additionalFields: { office365Plan: byName('D365-Standard') } }) });

		expect(result.error?.message).toMatch(/^Microsoft 365 Plan: .* not a Microsoft 365 plan \(item 0\)$/);
		expect(sim.apps).toEqual([]);
	});

	it('in Create, a Content Type without a plan is an error, not a silent "no content"', async () => {
		const result = await runCommvault(sim, { parameters: createParameters(exchange, { additionalFields: { contentType: 'ALL_PUBLIC_FOLDERS' } }) });

		expect(result.error?.message).toBe('Content Type: is set, but no Microsoft 365 Plan is (item 0)');
		expect(sim.requests).toEqual([]);
	});
});

describe('Create then content: the second step fails, and the error says the app WAS created', () => {
	const teams = WORKLOADS[3];

	it("names the app, its id, what was being added and Commvault's message; with Continue On Fail the item carries createdApp", async () => {
		sim.failNext({ method: 'PUT', path: contentPath('Teams', 1001) }, CommvaultErrors.unavailable());
		const parameters = fullCreateParameters(teams, { office365Plan: byName('O365-Mailboxes') });

		const result = await runCommvault(sim, { parameters: { ...parameters, name: '={{ $json.tenant }}' }, items: [pfxItem({ tenant: 'Fabrikam Teams' }), pfxItem({ tenant: 'Northwind Teams' })], continueOnFail: true });

		expect(result.items).toEqual([
			{
				json: {
					error:
						'The Teams app "Fabrikam Teams" WAS created (id 1001), but adding its teams to the Microsoft 365 plan failed: Service is temporarily unavailable. Please try again later.',
					description: expect.stringMatching(/^Do not create the app again\. Run Add Content with App ID 1001 to finish\./) as unknown as string,
					createdApp: { id: 1001, name: 'Fabrikam Teams' },
				},
				pairedItem: { item: 0 },
			},
			{ json: { id: 1002, name: 'Northwind Teams', content: contentAdded(O365_PLAN, 'ALL_TEAMS') }, pairedItem: { item: 1 } },
		]);
		expect(sim.app(1001)).toMatchObject({ workload: 'Teams', content: [] });
		expect(sim.app(1002)?.content).toEqual([{ type: 'ALL_TEAMS', plan: O365_PLAN }]);
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('without Continue On Fail the run stops with the same message and the 503', async () => {
		sim.failNext({ method: 'PUT', path: contentPath('Exchange', 1001) }, CommvaultErrors.errorCodeIn200(7, 'Mailbox discovery failed.'));
		const result = await runCommvault(sim, {
			parameters: createParameters(WORKLOADS[0], { additionalFields: { office365Plan: planById('21'), contentType: 'ALL_GROUP_MAILBOXES' } }),
		});

		expect(result.error?.message).toBe(
			'The Exchange app "Contoso Exchange" WAS created (id 1001), but adding its group mailboxes to the Microsoft 365 plan failed: Mailbox discovery failed.',
		);
		expect(sim.requestsTo('POST', '/V4/Office365/Exchange')).toHaveLength(1);
	});
});

describe('secrets', () => {
	/** Every secret the request of `c` carries (no refresh token where the schema has none), quoted back. */
	const echoOf = (c: Case): string =>
		[
			`secret ${APPLICATION_SECRET} (${base64(APPLICATION_SECRET)})`,
			...(c.refreshToken ? [`token ${REFRESH_TOKEN}`] : []),
			`password ${AZURE_APP_PFX_PASSWORD} / ${base64(AZURE_APP_PFX_PASSWORD)}`,
			`certificate ${PFX_BYTES.toString('base64')}`,
			`credential ${DEFAULT_AUTHTOKEN}`,
		].join('; ');

	it.each(WORKLOADS)('$resource: Commvault echoing every secret in its error leaks none of them', async (c) => {
		const ECHO = echoOf(c);
		sim.respondNext({ method: 'POST', path: createPath(c.workload) }, CommvaultErrors.generic(400, 2, ECHO));

		const stopped = await runCommvault(sim, { parameters: fullCreateParameters(c), items: [pfxItem()] });
		sim.respondNext({ method: 'POST', path: createPath(c.workload) }, CommvaultErrors.errListIn200(2, ECHO));
		const continued = await runCommvault(sim, { parameters: fullCreateParameters(c), items: [pfxItem()], continueOnFail: true });

		expect(stopped.error?.message).toContain('[redacted]');
		expect(continued.items[0].json.error).toEqual(expect.stringContaining('[redacted]'));
		for (const result of [stopped, continued]) expectNoSecrets(result, CREATE_CANARIES);
	});

	it('a successful create and content step outputs no secret', async () => {
		const result = await runCommvault(sim, { parameters: fullCreateParameters(WORKLOADS[3], { office365Plan: planById('22') }), items: [pfxItem()] });

		expect(result.error).toBeUndefined();
		expectNoSecrets(result, CREATE_CANARIES);
	});
});
