/**
 * The node as an AI agent's tool, in n8n's engine (issue 21; the real agent runs are in
 * test/e2e/ai-agent.e2e.test.ts). n8n makes the tool variant by naming the type `…Tool`; an item's
 * error must come back as the tool's answer, which is what the model reads, with no secret and
 * no top-level `error` (n8n would read the node as failed, and Retry On Fail would run it again).
 */
import type { ICredentialDataDecryptedObject, INodeParameters, INodeType } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { CommvaultAzureAppApi } from '../../credentials/CommvaultAzureAppApi.credentials';
import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { AZURE_APP_PFX_PASSWORD } from '../../testing/fixtures';
import { CommvaultErrors, DEFAULT_AUTHTOKEN } from '../../testing/simulator';
import { expectNoSecrets, secretsOf } from '../../testing/engine/support/canaries';
import { planById, runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { APPLICATION_ID, DIRECTORY_ID, SERVER_PLAN_ID } from '../../testing/engine/support/create';
import { runNode, type RunNodeOptions, type RunNodeResult } from '../../testing/engine/run';

const sim = useSimulator();

const SECRET = `canary-ToolSécret&<App>"Key'+ 63d9`;
const CANARIES = secretsOf({ applicationSecret: SECRET, certificatePassword: AZURE_APP_PFX_PASSWORD });

/** The node as n8n's loader turns a `usableAsTool` node into its tool variant: same class, type name `…Tool`. */
function commvaultTool(): INodeType {
	const node = new Commvault();
	node.description = { ...node.description, name: `${node.description.name}Tool`, displayName: `${node.description.displayName} Tool` };
	return node;
}

/** A SharePoint create whose name and admin site the model fills, the Azure app in the credential. */
const TOOL_PARAMETERS: INodeParameters = {
	resource: 'sharePointApp',
	operation: 'create',
	name: "={{ $fromAI('appName', 'The new app name', 'string') }}",
	serverPlan: planById(String(SERVER_PLAN_ID)),
	tenantAdminSiteUrl: "={{ $fromAI('tenantAdminSiteUrl', 'The SharePoint admin center address', 'string') }}",
	azureAppSource: 'credential',
};
const ADMIN_SITE = 'https://contoso-admin.sharepoint.com';
const CREATE = { method: 'POST', path: '/V4/Office365/SharePoint' };

const AZURE_APP = { applicationId: APPLICATION_ID, applicationSecret: SECRET, azureDirectoryId: DIRECTORY_ID };

/** One tool call: the model's arguments are the input item's json, as n8n's agent hands them over. */
async function runTool(
	args: Record<string, string>,
	options: { parameters?: INodeParameters; azureApp?: ICredentialDataDecryptedObject; settings?: RunNodeOptions['settings'] } = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: commvaultTool(),
		credentialTypes: [CommvaultApi, CommvaultAzureAppApi],
		credentials: {
			commvaultApi: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN },
			commvaultAzureAppApi: options.azureApp ?? AZURE_APP,
		},
		parameters: { ...TOOL_PARAMETERS, ...options.parameters },
		items: [{ json: { ...args, toolCallId: 'call_1' } }],
		...(options.settings ? { settings: options.settings } : {}),
	});
}

describe('an input error is the tool’s answer, not a failed execution', () => {
	it('a wrong argument from the model: the answer names the argument and what to do, nothing is sent', async () => {
		const result = await runTool({ appName: 'Contoso SharePoint', tenantAdminSiteUrl: 'https://contoso.sharepoint.com' });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const answer = result.items[0].json;
		expect(answer).toEqual({
			failed: true,
			message: 'The argument "tenantAdminSiteUrl" (Tenant Admin Site URL): is not the https:// address of a SharePoint Online admin site',
			details: "That is the tenant's SharePoint site; its admin site is https://contoso-admin.sharepoint.com.",
			advice: 'Correct this argument and call the tool again.',
		});
		expect(answer).not.toHaveProperty('error');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(sim.requestsTo('POST', '/V4/Office365/SharePoint')).toHaveLength(0);
		expectNoSecrets(result, CANARIES);
	});

	it("the issue's case, Azure app in the node's fields: an Application ID that is not a GUID is named by its key", async () => {
		const result = await runTool(
			{ appName: 'Contoso SharePoint', tenantAdminSiteUrl: ADMIN_SITE, applicationId: 'not-a-guid-123' },
			{
				parameters: {
					azureAppSource: 'fields',
					applicationId: "={{ $fromAI('applicationId', 'The Azure application (client) ID', 'string') }}",
					applicationSecret: SECRET,
					azureDirectoryId: DIRECTORY_ID,
				},
			},
		);

		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			failed: true,
			message: 'The argument "applicationId" (Application (Client) ID): is not an Azure ID (expected a GUID such as 00000000-0000-0000-0000-000000000000)',
			advice: 'Correct this argument and call the tool again.',
		});
		expect(sim.requestsTo(CREATE.method, CREATE.path)).toHaveLength(0);
		expectNoSecrets(result, CANARIES);
	});

	it('the corrected call creates the app, once', async () => {
		const result = await runTool({ appName: 'Contoso SharePoint', tenantAdminSiteUrl: ADMIN_SITE });

		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ name: 'Contoso SharePoint' });
		expect(sim.requestsTo('POST', '/V4/Office365/SharePoint').map((request) => request.valid)).toEqual([true]);
		expectNoSecrets(result, CANARIES);
	});

	it("a value of the tool's setup (the credential) is not the model's to fix, and the answer says so", async () => {
		const result = await runTool({ appName: 'Setup problem', tenantAdminSiteUrl: ADMIN_SITE }, { azureApp: { ...AZURE_APP, applicationId: 'contoso' } });

		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			failed: true,
			message: expect.stringMatching(/^The "Commvault: Azure App Registration API" credential's Application \(Client\) ID: is not an Azure ID/),
			advice: expect.stringContaining('not an argument'),
		});
		expect(sim.requestsTo('POST', '/V4/Office365/SharePoint')).toHaveLength(0);
	});

	it('the same wrong value in the plain node still fails the run (the tool answer is for tools only)', async () => {
		const result = await runCommvault(sim, {
			parameters: { ...TOOL_PARAMETERS, name: 'Plain', tenantAdminSiteUrl: 'https://contoso.sharepoint.com' },
			azureApp: AZURE_APP,
		});
		expect(result.error?.message).toMatch(/^Tenant Admin Site URL: is not the https:\/\/ address/);
	});
});

describe("Commvault's error is the tool's answer too, worded for a reader who cannot see the editor", () => {
	it('a 409 quoting the secret: the answer carries Commvault\'s message, redacted', async () => {
		sim.respondNext(CREATE, CommvaultErrors.generic(409, 2, `An app named Contoso already exists (secret ${SECRET})`));
		const result = await runTool({ appName: 'Contoso', tenantAdminSiteUrl: ADMIN_SITE });

		expect(result.error).toBeUndefined();
		const answer = result.items[0].json;
		expect(answer.failed).toBe(true);
		expect(answer.message).toContain('An app named Contoso already exists');
		expect(answer.message).toContain('[redacted]');
		expect(answer.message).not.toMatch(/\(item 0\)/);
		expect(answer.advice).toMatch(/Commvault's answer/);
		expectNoSecrets(result, CANARIES);
	});

	it('a create whose answer was lost is not sent again, also with Retry On Fail on the tool', async () => {
		sim.respondNext(CREATE, { afterSimulating: true, destroySocket: true });
		const result = await runTool({ appName: 'Lost answer', tenantAdminSiteUrl: ADMIN_SITE }, { settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } });

		expect(result.error).toBeUndefined();
		expect(result.items[0].json.message).toMatch(/may have created the SharePoint app "Lost answer"/);
		expect(sim.requestsTo('POST', '/V4/Office365/SharePoint')).toHaveLength(1);
	});
});
