/**
 * The packed n8n-nodes-commvault inside real n8n (every target of versions.json), as users run
 * it: installed by package name into the user folder's community nodes, credentials and workflows
 * imported with the n8n CLI, each workflow run with `n8n execute`, against the Commvault simulator
 * on loopback. Asserts on what n8n printed (the run JSON) and on what the simulator received.
 *
 * Per target (commvault-target.ts): one user folder, one import of all credentials and one of all
 * workflows (each n8n command starts n8n, 4-8 s), one plain-HTTP and one self-signed-HTTPS
 * simulator, reset before each case. The workflows (commvault-workflows.ts) are the example
 * workflows from examples/, imported as users get them (the certificate example with two values of
 * the user's own substituted, see certificateExample), and error workflows built from helpers.
 * The last case searches everything n8n printed and stored for secrets (leaks.ts).
 */
import { AZURE_APP_PFX_PASSWORD, AZURE_APP_PFX_THUMBPRINT } from '../../testing/fixtures';
import { DEFAULT_USER, type CommvaultSimulator, type RecordedRequest } from '../../testing/simulator';
import { HOOK_TIMEOUT, expectRun, expectSchemaValid, packedPackage } from './commvault-suite';
import { CommvaultTarget } from '../../testing/e2e/commvault-target';
import {
	APPLICATION_ID,
	APPLICATION_SECRET,
	COMMVAULT_NODE,
	DIRECTORY_ID,
	EXAMPLE_INPUT_NODE,
	EXAMPLE_SECRET,
	PFX_BYTES,
	REFRESH_TOKEN,
	WORKFLOW,
	wholeTenantSecret,
} from '../../testing/e2e/commvault-workflows';
import { assertSuccess, nodeError, outputItems, selectedTargets, type ExecuteResult } from '../../testing/e2e/n8n-cli';

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The azureApp Commvault must receive for a tenant of the workflows: the secret base64-encoded, plus `more`. */
const sentAzureApp = (secret: string, more: Record<string, string> = {}): Record<string, string> => ({
	applicationId: APPLICATION_ID,
	applicationSecret: base64(secret),
	azureDirectoryId: DIRECTORY_ID,
	...more,
});
/** The certificate fields: base64 of the fixture's exact bytes, and of its password. */
const SENT_CERTIFICATE = { certificate: PFX_BYTES.toString('base64'), certificatePassword: base64(AZURE_APP_PFX_PASSWORD) };

const writes = (requests: RecordedRequest[]): string[] =>
	requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

interface CreateBody {
	name: string;
	serverPlan: unknown;
	azureApp: Record<string, string>;
}
const createBodies = (sim: CommvaultSimulator): CreateBody[] =>
	sim.requestsTo('POST', '/v4/Dynamics365').map((r) => r.body as CreateBody);

const tarball = packedPackage('n8n-e2e-commvault-');

describe.each(selectedTargets().map((t) => [t.label, t] as const))('n8n-nodes-commvault in %s', (_label, spec) => {
	const target = new CommvaultTarget(spec);
	const { http, https } = target;
	const execute = (workflowId: string): Promise<ExecuteResult> => target.execute(workflowId);

	beforeAll(() => target.setup(tarball()), HOOK_TIMEOUT);
	beforeEach(() => target.resetSimulators());
	afterAll(() => target.teardown());

	describe('example workflows (examples/*.json, as users import them)', () => {
		it('Create, then Add Content: creates the app and adds all its environments to D365-Standard', async () => {
			const run = assertSuccess(await execute(WORKFLOW.createThenAddContent));
			expectRun(run, () => {
				expect(outputItems(run, 'Create Dynamics 365 App').map((i) => i.json)).toEqual([{ id: 1001, name: 'Contoso Dynamics 365' }]);
				expect(outputItems(run, 'Add All Environments')).toEqual([
					expect.objectContaining({ json: expect.objectContaining({ appId: 1001, added: true }), pairedItem: { item: 0 } }),
				]);
				expect(writes(http.requests)).toEqual(['POST /v4/Dynamics365', 'PUT /V4/Dynamics365/1001/Content']);
				expectSchemaValid(http.requests);
				expect(createBodies(http)).toEqual([
					{
						name: 'Contoso Dynamics 365',
						serverPlan: expect.objectContaining({ name: 'Server-Gold' }),
						azureApp: sentAzureApp(EXAMPLE_SECRET),
					},
				]);
				expect(http.requestsTo('PUT', '/V4/Dynamics365/1001/Content')[0].body).toEqual({
					type: 'ALL_ENVIRONMENTS',
					dynamics365plan: expect.objectContaining({ name: 'D365-Standard' }),
				});
				expect(http.app(1001)).toMatchObject({
					serverPlan: { id: 1, name: 'Server-Gold' },
					decoded: { applicationSecret: EXAMPLE_SECRET },
					content: [{ type: 'ALL_ENVIRONMENTS', plan: { id: 11, name: 'D365-Standard' } }],
				});
			});
		});

		it('one step: Create with a Dynamics 365 plan outputs the app and its content answer', async () => {
			const run = assertSuccess(await execute(WORKFLOW.oneStep));
			expectRun(run, () => {
				expect(outputItems(run, 'Create Dynamics 365 App')).toEqual([
					{
						json: { id: 1001, name: 'Contoso Dynamics 365', content: expect.objectContaining({ added: true }) },
						pairedItem: { item: 0 },
					},
				]);
				expect(writes(http.requests)).toEqual(['POST /v4/Dynamics365', 'PUT /V4/Dynamics365/1001/Content']);
				expectSchemaValid(http.requests);
				expect(createBodies(http)[0].azureApp.applicationSecret).toBe(base64(EXAMPLE_SECRET));
				expect(http.app(1001)).toMatchObject({
					name: 'Contoso Dynamics 365',
					content: [{ type: 'ALL_ENVIRONMENTS', plan: { id: 11, name: 'D365-Standard' } }],
				});
			});
		});

		it('with certificate: Read/Write Files from Disk → Set → Create sends the exact .pfx bytes', async () => {
			const run = assertSuccess(await execute(WORKFLOW.certificate));
			expectRun(run, () => {
				// the file went to n8n's binary store on disk, the Set node kept it, and the tenant fields
				const [read] = outputItems(run, 'Read Certificate');
				expect(read.binary?.certificate).toMatchObject({ fileName: 'azure-app.pfx', id: expect.stringMatching(/^filesystem/) });
				const [tenantItem] = outputItems(run, EXAMPLE_INPUT_NODE);
				expect(tenantItem.binary?.certificate?.id).toBe(read.binary?.certificate.id);
				expect(tenantItem.json).toMatchObject({ appName: 'Contoso Dynamics 365', applicationId: APPLICATION_ID });

				expect(outputItems(run, 'Create Dynamics 365 App').map((i) => i.json)).toEqual([
					{ id: 1001, name: 'Contoso Dynamics 365', content: expect.objectContaining({ added: true }) },
				]);
				expect(writes(http.requests)).toEqual(['POST /v4/Dynamics365', 'PUT /V4/Dynamics365/1001/Content']);
				expectSchemaValid(http.requests);
				const [body] = createBodies(http);
				expect(body.azureApp).toEqual(sentAzureApp(EXAMPLE_SECRET, SENT_CERTIFICATE));
				expect(http.app(1001)?.decoded.certificate?.equals(PFX_BYTES)).toBe(true);
			});
		});

		it('whole tenant from one ticket: five apps (Dynamics 365, Exchange, OneDrive, SharePoint, Teams), each added to its plan', async () => {
			expect(wholeTenantSecret()).toBe(EXAMPLE_SECRET);
			const run = assertSuccess(await execute(WORKFLOW.wholeTenant));
			expectRun(run, () => {
				const paths = [
					['/v4/Dynamics365', '/V4/Dynamics365/1001/Content'],
					['/V4/Office365/Exchange', '/V4/Office365/Exchange/1002/Content'],
					['/V4/Office365/OneDrive', '/V4/Office365/OneDrive/1003/Content'],
					['/V4/Office365/SharePoint', '/V4/Office365/SharePoint/1004/Content'],
					['/V4/Office365/Teams', '/V4/Office365/Teams/1005/Content'],
				];
				expect(writes(http.requests)).toEqual(paths.flatMap(([create, content]) => [`POST ${create}`, `PUT ${content}`]));
				expectSchemaValid(http.requests);
				const creates = http.requests.filter((r) => r.method === 'POST');
				expect(creates.map((r) => r.body)).toEqual(
					['Dynamics 365', 'Exchange', 'OneDrive', 'SharePoint', 'Teams'].map((product) => ({
						name: `Contoso ${product}`,
						serverPlan: { id: 1, name: 'Server-Gold' },
						...(product === 'SharePoint' ? { tenantAdminSiteURL: 'https://contoso-admin.sharepoint.com' } : {}),
						azureApp: sentAzureApp(EXAMPLE_SECRET),
					})),
				);
				const D365 = { id: 11, name: 'D365-Standard' };
				const O365 = { id: 21, name: 'O365-Mailboxes' };
				expect(http.apps.map((app) => [app.workload, app.name, app.decoded.applicationSecret, app.content])).toEqual([
					['Dynamics365', 'Contoso Dynamics 365', EXAMPLE_SECRET, [{ type: 'ALL_ENVIRONMENTS', plan: D365 }]],
					['Exchange', 'Contoso Exchange', EXAMPLE_SECRET, [{ type: 'ALL_MAILBOXES', plan: O365 }]],
					['OneDrive', 'Contoso OneDrive', EXAMPLE_SECRET, [{ type: 'ALL_USERS', plan: O365 }]],
					['SharePoint', 'Contoso SharePoint', EXAMPLE_SECRET, [{ type: 'ALL_WEB_SITES', plan: O365 }]],
					['Teams', 'Contoso Teams', EXAMPLE_SECRET, [{ type: 'ALL_TEAMS', plan: O365 }]],
				]);
				expect(outputItems(run, 'Create Exchange App')).toEqual([
					{
						json: {
							id: 1002,
							name: 'Contoso Exchange',
							content: { plan: O365, contentType: 'ALL_MAILBOXES', added: true, commvaultAnswer: { errorCode: 0, errorMessage: null } },
						},
						pairedItem: { item: 0 },
					},
				]);
				expect(outputItems(run, 'Summary').map((i) => i.json)).toEqual([
					{
						tenant: 'Contoso',
						dynamics365AppId: 1001,
						exchangeAppId: 1002,
						oneDriveAppId: 1003,
						sharePointAppId: 1004,
						teamsAppId: 1005,
						summary: 'Contoso: 5 apps created, each added to its plan (D365-Standard, O365-Mailboxes)',
					},
				]);
			});
		});

		it('with certificate: a .pfx that is not there fails in Create, naming the field, and sends nothing', async () => {
			const run = await execute(WORKFLOW.certificateMissing);
			expectRun(run, () => {
				expect(run.exitCode).toBe(1);
				expect(run.error?.node?.name).toBe('Create Dynamics 365 App');
				expect(run.error?.message).toMatch(/^Certificate File Field.*"certificate".*no binary data \(item 0\)$/);
				expect(run.error?.description).toMatch(/Read\/Write Files from Disk/);
				expect(writes(http.requests)).toEqual([]);
				expect(http.apps).toEqual([]);
			});
		});
	});

	describe('errors', () => {
		it('Continue On Fail: three items, the second with an invalid Application ID → three items out, two apps created', async () => {
			const run = assertSuccess(await execute(WORKFLOW.continueOnFail));
			expectRun(run, () => {
				const items = outputItems(run, COMMVAULT_NODE);
				// Items 0 and 2 are out at once (Concurrency 5): which one the simulator numbers
				// first is the wire's order, so each id is the one its app got.
				const idOf = (name: string): number | undefined => http.apps.find((app) => app.name === name)?.id;
				expect(new Set([idOf('Tenant One'), idOf('Tenant Three')])).toEqual(new Set([1001, 1002]));
				expect(items).toEqual([
					{ json: { id: idOf('Tenant One'), name: 'Tenant One' }, pairedItem: { item: 0 } },
					{
						json: {
							error: expect.stringMatching(/^Application \(Client\) ID: .*GUID.*\(item 1\)$/),
							description: expect.any(String),
						},
						pairedItem: { item: 1 },
					},
					{ json: { id: idOf('Tenant Three'), name: 'Tenant Three' }, pairedItem: { item: 2 } },
				]);
				expect(writes(http.requests)).toEqual(['POST /v4/Dynamics365', 'POST /v4/Dynamics365']);
				expect(createBodies(http).map((b) => b.name).sort()).toEqual(['Tenant One', 'Tenant Three']);
				expectSchemaValid(http.requests);
			});
		});

		it("Commvault's 409 fails the run with Commvault's own message", async () => {
			http.addApp({ name: 'Existing Tenant' });
			const run = await execute(WORKFLOW.conflict);
			expectRun(run, () => {
				expect(run.exitCode).toBe(1);
				expect(run.status).toBe('error');
				expect(run.error?.message).toBe('An instance by this name already exists.');
				const error = nodeError(run, COMMVAULT_NODE);
				expect(error).toMatchObject({ message: 'An instance by this name already exists.', httpCode: '409' });
				expect(error?.description).toMatch(/HTTP 409.*POST \/v4\/Dynamics365/);
				expect(http.requestsTo('POST', '/v4/Dynamics365').map((r) => [r.status, r.valid])).toEqual([[409, true]]);
				expect(http.apps.map((a) => a.name)).toEqual(['Existing Tenant']);
			});
		});

		it('self-signed HTTPS with Ignore SSL Issues on: creates the app', async () => {
			const run = assertSuccess(await execute(WORKFLOW.tlsIgnoreOn));
			expectRun(run, () => {
				expect(https.baseUrl).toMatch(/^https:/);
				expect(outputItems(run, COMMVAULT_NODE).map((i) => i.json)).toEqual([{ id: 1001, name: 'TLS Tenant' }]);
				expect(writes(https.requests)).toEqual(['POST /v4/Dynamics365']);
				expectSchemaValid(https.requests);
				expect(http.requests).toEqual([]);
			});
		});

		it('self-signed HTTPS with Ignore SSL Issues off: fails, pointing to Ignore SSL Issues, and nothing arrives', async () => {
			const run = await execute(WORKFLOW.tlsIgnoreOff);
			expectRun(run, () => {
				expect(run.exitCode).toBe(1);
				expect(run.error?.message).toMatch(/certificate/i);
				expect(run.error?.message).toContain('Ignore SSL Issues');
				expect(nodeError(run, COMMVAULT_NODE)?.message).toBe(run.error?.message);
				expect(https.requests).toEqual([]);
				expect(https.apps).toEqual([]);
			});
		});

		it('a certificate made by Set + Convert to File (binary on disk) arrives byte for byte, with every optional field', async () => {
			const run = assertSuccess(await execute(WORKFLOW.certificateToFile));
			expectRun(run, () => {
				expect(outputItems(run, 'To File')[0].binary?.cert?.id).toMatch(/^filesystem/);
				expect(outputItems(run, COMMVAULT_NODE)).toEqual([{ json: { id: 1001, name: 'Certificate Tenant' }, pairedItem: { item: 0 } }]);
				expectSchemaValid(http.requests);
				expect(createBodies(http)).toEqual([
					{
						name: 'Certificate Tenant',
						serverPlan: expect.objectContaining({ name: 'Server-Gold' }),
						azureApp: sentAzureApp(APPLICATION_SECRET, {
							refreshToken: REFRESH_TOKEN,
							certificateThumbprint: AZURE_APP_PFX_THUMBPRINT,
							...SENT_CERTIFICATE,
						}),
					},
				]);
				expect(http.app(1001)?.decoded).toMatchObject({ applicationSecret: APPLICATION_SECRET, certificatePassword: AZURE_APP_PFX_PASSWORD });
				expect(http.app(1001)?.decoded.certificate?.equals(PFX_BYTES)).toBe(true);
			});
		});
	});

	describe('user name and password credential', () => {
		it('signs in once, reuses the token n8n stored in the next execution, and signs in again after it expires', async () => {
			const logins = () => http.requestsTo('POST', '/Login');
			const creates = () => http.requestsTo('POST', '/v4/Dynamics365');
			const tokenOf = (login: RecordedRequest) => (login.responseBody as { token: string }).token;

			const first = assertSuccess(await execute(WORKFLOW.password));
			expectRun(first, () => {
				expect(logins().map((r) => [r.body, r.status])).toEqual([
					[{ username: DEFAULT_USER.username, password: base64(DEFAULT_USER.password) }, 200],
				]);
				expect(creates().map((r) => [r.status, r.headers.authtoken])).toEqual([[200, tokenOf(logins()[0])]]);
				expect(outputItems(first, COMMVAULT_NODE).map((i) => i.json)).toEqual([
					{ id: 1001, name: expect.stringMatching(/^Password Tenant \d+$/) },
				]);
			});

			// a new n8n process: the login token comes from the credential n8n saved after the first run
			const second = assertSuccess(await execute(WORKFLOW.password));
			expectRun(second, () => {
				expect(logins()).toHaveLength(1);
				expect(creates().map((r) => [r.status, r.headers.authtoken])[1]).toEqual([200, tokenOf(logins()[0])]);
				expect(outputItems(second, COMMVAULT_NODE).map((i) => i.json.id)).toEqual([1002]);
			});

			http.expireLoginTokens();
			const seenBefore = http.requests.length;
			const third = assertSuccess(await execute(WORKFLOW.password));
			expectRun(third, () => {
				const during = http.requests.slice(seenBefore);
				expect(during[0].status).toBe(401);
				expect(during.filter((r) => r.path === '/Login').map((r) => r.status)).toEqual([200]);
				expect(logins()).toHaveLength(2);
				const renewed = tokenOf(logins()[1]);
				expect(renewed).not.toBe(tokenOf(logins()[0]));
				expect(creates().map((r) => [r.status, r.headers.authtoken])[2]).toEqual([200, renewed]);
				expect(outputItems(third, COMMVAULT_NODE).map((i) => i.json.id)).toEqual([1003]);
				expect(new Set(http.apps.map((a) => a.name)).size).toBe(3);
				expectSchemaValid(http.requests);
			});
		});
	});

	describe('secrets', () => {
		it('none in anything n8n printed (every import and execute, failed runs included) or stored in its executions', async () => {
			const { executions } = target;
			expect(executions.length).toBeGreaterThan(0);
			expect(executions.some((e) => e.status === 'error')).toBe(true);
			// the password workflow's login tokens are canaries too (when it ran: jest -t may filter it out)
			if (executions.some((e) => e.workflowId === WORKFLOW.password)) expect(target.loginTokenCount).toBeGreaterThan(0);
			const { leaks, stored } = await target.leaks();
			expect(stored).toEqual(executions.map((e) => [e.workflowId, e.status]));
			expect(leaks).toEqual([]);
		});
	});
});
