/**
 * An n8n AI agent onboards a tenant through the packed node, in real n8n (every target of
 * versions.json), through the n8n CLI (issue 21): the example "AI agent onboards a tenant" as
 * users import it (Manual Trigger → AI Agent 3 → OpenAI Chat Model 1.2, with the Commvault node as
 * its tool, `n8n-nodes-commvault.commvaultTool`, the Azure app in a `commvaultAzureAppApi`
 * credential). The model is a loopback OpenAI-compatible server whose answers the test scripts
 * (testing/e2e/scripted-model.ts), and which records everything the model was given.
 *
 * (1) the model calls the tool with good arguments, then answers; (2) it first passes the tenant's
 * own SharePoint site, reads the tool's answer, calls again with the admin site the answer names,
 * then answers. Asserted: what Commvault received (schema-valid, the create exactly once), what the
 * model received at each step (a `tools` schema with no secret parameter, the error text, no
 * secret anywhere), that the run did not fail at the tool, and that nothing secret is in what n8n
 * printed or stored.
 */
import type { IDataObject } from 'n8n-workflow';

import { secretsOf } from '../../testing/engine/support/canaries';
import { AZURE_APP_PFX_PASSWORD, AZURE_APP_PFX_THUMBPRINT } from '../../testing/fixtures';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN, type RecordedRequest } from '../../testing/simulator';
import { APPLICATION_ID, DIRECTORY_ID, PFX_BYTES, loadExample, nodeNamed, type Workflow } from '../../testing/e2e/commvault-workflows';
import { ExampleFolder } from '../../testing/e2e/example-folder';
import { findLeaks } from '../../testing/e2e/leaks';
import { assertSuccess, outputItems, selectedTargets, type CredentialFixture, type ExecuteResult } from '../../testing/e2e/n8n-cli';
import { ScriptedModel, type ChatRequest, type ModelRequest } from '../../testing/e2e/scripted-model';
import { HOOK_TIMEOUT, expectRun, expectSchemaValid, packedPackage } from './commvault-suite';

const EXAMPLE = 'ai-agent-onboards-tenant.json';
const WORKFLOW_ID = 'cvExampleAiAgent01';
/** The example switched from the node's fields to the credential, the fields' `$fromAI` left behind in the JSON. */
const LEFTOVER_ID = 'cvE2eAgentLeftover';
const AGENT = 'AI Agent';
const TOOL = 'Create SharePoint app';
const CREATE_PATH = '/V4/Office365/SharePoint';

/** The Azure app's secrets, held only by its credential: canaries. */
const AZURE_SECRET = `canary-e2e-AgentSécret&<App>"Key'+ 9d41`;
const OPENAI_KEY = 'sk-e2e-scripted-model-not-a-key';

const APP_NAME = 'Contoso SharePoint';
const ADMIN_SITE = 'https://contoso-admin.sharepoint.com';
const TENANT_SITE = 'https://contoso.sharepoint.com';
/** The tool's answer to the tenant's own site (helpers/sharePoint.ts), which the model must read. */
const NOT_ADMIN_SITE = 'is not the https:// address of a SharePoint Online admin site';

const CANARIES = [
	...secretsOf({ authtoken: DEFAULT_AUTHTOKEN, applicationSecret: AZURE_SECRET, certificatePassword: AZURE_APP_PFX_PASSWORD }),
	...secretsOf({ certificate: PFX_BYTES }),
];

/** The example's credentials (by the ids it names), pointing at the loopback simulator and model. */
function credentials(commvaultUrl: string, modelUrl: string): CredentialFixture[] {
	return [
		{ id: 'commvaultExample1', name: 'Commvault account', type: 'commvaultApi', data: { baseUrl: commvaultUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } },
		{
			id: 'commvaultAzureApp1',
			name: 'Azure app registration',
			type: 'commvaultAzureAppApi',
			data: {
				applicationId: APPLICATION_ID,
				applicationSecret: AZURE_SECRET,
				azureDirectoryId: DIRECTORY_ID,
				certificate: PFX_BYTES.toString('base64'),
				certificatePassword: AZURE_APP_PFX_PASSWORD,
				certificateThumbprint: AZURE_APP_PFX_THUMBPRINT,
			},
		},
		{ id: 'openAiExample001', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: OPENAI_KEY, url: modelUrl } },
	];
}

/** The text of the tool's answers in a request (the messages of role `tool`), in order. */
function toolAnswers(request: ChatRequest): string[] {
	return request.messages.filter((message) => message.role === 'tool').map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content)));
}

/** Everything the model received in a request: headers but the API key's, and the whole body. */
function receivedText(request: ModelRequest): string {
	const { authorization, ...headers } = request.headers;
	void authorization;
	return `${JSON.stringify(headers)}\n${request.rawBody}`;
}

const SECRET_PARAMETER = /secret|password|token|certificate|thumbprint|credential|key/i;

/**
 * A workflow saved while Azure App Source was "fields", with the secret and the ID filled by the
 * model, then switched to "credential" by hand in its JSON: the hidden fields keep their `$fromAI`.
 */
function leftoverWorkflow(): Workflow {
	const workflow = loadExample(EXAMPLE);
	workflow.id = LEFTOVER_ID;
	workflow.name = `${workflow.name} [hidden $fromAI fields left behind]`;
	Object.assign(nodeNamed(workflow, TOOL).parameters, {
		applicationId: "={{ $fromAI('applicationId', 'The Azure application (client) ID', 'string') }}",
		applicationSecret: "={{ $fromAI('applicationSecret', 'The Azure client secret value', 'string') }}",
		azureDirectoryId: "={{ $fromAI('azureDirectoryId', 'The Azure directory (tenant) ID', 'string') }}",
	});
	return workflow;
}

const tarball = packedPackage('n8n-e2e-agent-');

describe.each(selectedTargets().map((t) => [t.label, t] as const))('an AI agent onboards a tenant in %s', (_label, spec) => {
	const sim = new CommvaultSimulator();
	const model = new ScriptedModel();
	const folder = new ExampleFolder();

	beforeAll(async () => {
		const [commvaultUrl, modelUrl] = [await sim.start(), await model.start()];
		await folder.setup(spec.label, tarball(), credentials(commvaultUrl, modelUrl), [loadExample(EXAMPLE), leftoverWorkflow()]);
	}, HOOK_TIMEOUT);
	afterAll(async () => {
		await sim.stop();
		await model.stop();
	});
	beforeEach(() => sim.reset());

	const runExample = (workflowId = WORKFLOW_ID): Promise<ExecuteResult> => folder.execute(workflowId);

	const creates = (): RecordedRequest[] => sim.requestsTo('POST', CREATE_PATH);

	/** What every request to the model must be: one tool, whose schema offers only the two arguments, and no secret anywhere. */
	function expectModelNeverGotASecret(): void {
		expect(model.requests.length).toBeGreaterThan(0);
		for (const [index, request] of model.requests.entries()) {
			const tools = request.body.tools ?? [];
			expect({ index, tools: tools.length }).toEqual({ index, tools: 1 });
			const parameters = Object.keys(tools[0].function.parameters?.properties ?? {}).sort();
			expect({ index, parameters }).toEqual({ index, parameters: ['appName', 'tenantAdminSiteUrl'] });
			expect(parameters.filter((name) => SECRET_PARAMETER.test(name))).toEqual([]);
			expect(findLeaks([{ place: `model request ${index + 1}`, text: receivedText(request) }], CANARIES)).toEqual([]);
		}
	}

	it('(1) the model creates the app from the credential-held Azure app, then answers', async () => {
		model.script([
			{ call: { appName: APP_NAME, tenantAdminSiteUrl: ADMIN_SITE } },
			(request) => ({ answer: `Created: ${toolAnswers(request).join(' ')}` }),
		]);
		const run = assertSuccess(await runExample());

		expectRun(run, () => {
			// Commvault: the create once, schema-valid, the Azure app as the credential holds it; then its content.
			expectSchemaValid(sim.requests);
			expect(creates()).toHaveLength(1);
			const body = creates()[0].body as IDataObject;
			expect(body).toMatchObject({ name: APP_NAME, tenantAdminSiteURL: ADMIN_SITE, serverPlan: { id: 1 } });
			expect(body.azureApp).toEqual({
				applicationId: APPLICATION_ID,
				applicationSecret: Buffer.from(AZURE_SECRET, 'utf8').toString('base64'),
				azureDirectoryId: DIRECTORY_ID,
				certificate: PFX_BYTES.toString('base64'),
				certificatePassword: Buffer.from(AZURE_APP_PFX_PASSWORD, 'utf8').toString('base64'),
				certificateThumbprint: AZURE_APP_PFX_THUMBPRINT,
			});
			const app = sim.app(APP_NAME);
			expect(sim.requestsTo('PUT', `${CREATE_PATH}/${app?.id}/Content`)).toHaveLength(1);

			// The model: asked twice; the second time it had the created app as the tool's answer.
			expect(model.requests).toHaveLength(2);
			expect(toolAnswers(model.requests[0].body)).toEqual([]);
			const [answer] = toolAnswers(model.requests[1].body);
			expect(answer).toContain(`"id":${app?.id}`);
			expect(answer).toContain(APP_NAME);
			expectModelNeverGotASecret();

			// The agent's output is the model's final answer.
			expect(outputItems(run, AGENT)[0].json.output).toBe(`Created: ${answer}`);
		});
	});

	it('(2) a wrong argument comes back to the model, which corrects it from the error text; the run does not fail', async () => {
		model.script([
			{ call: { appName: APP_NAME, tenantAdminSiteUrl: TENANT_SITE } },
			// The model reads the tool's answer: the admin site it names is the corrected argument.
			(request) => {
				const named = /admin site is (https:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+)/i.exec(toolAnswers(request).join(' '))?.[1];
				return { call: { appName: APP_NAME, tenantAdminSiteUrl: named ?? 'the answer named no admin site' } };
			},
			{ answer: 'Contoso SharePoint was created in Commvault.' },
		]);
		const run = await runExample();

		expectRun(run, () => {
			expect(run.error).toBeUndefined();
			expect(run.status).toBe('success');

			// The model was asked three times: the first answer was the error, not a failed run.
			expect(model.requests).toHaveLength(3);
			const [refusal] = toolAnswers(model.requests[1].body);
			expect(refusal).toContain(NOT_ADMIN_SITE);
			expect(refusal).toContain('tenantAdminSiteUrl');
			expect(refusal).toContain(ADMIN_SITE);
			expect(refusal).toContain('Correct this argument and call the tool again.');
			expect(toolAnswers(model.requests[2].body)).toHaveLength(2);
			expectModelNeverGotASecret();

			// Commvault: nothing for the wrong call, the corrected create once, schema-valid.
			expectSchemaValid(sim.requests);
			expect(creates()).toHaveLength(1);
			expect(creates()[0].body).toMatchObject({ name: APP_NAME, tenantAdminSiteURL: ADMIN_SITE });

			// n8n recorded both tool runs: the first one answered, it did not fail.
			const toolRuns = run.runData[TOOL] ?? [];
			expect(toolRuns).toHaveLength(2);
			expect(toolRuns.map((task) => task.error)).toEqual([undefined, undefined]);
			expect(outputItems(run, AGENT)[0].json.output).toBe('Contoso SharePoint was created in Commvault.');
		});
	});

	it('(3) `$fromAI` left in the hidden Azure fields: the model is not offered them, the credential is used', async () => {
		model.script([{ call: { appName: APP_NAME, tenantAdminSiteUrl: ADMIN_SITE } }, { answer: 'Done.' }]);
		const run = assertSuccess(await runExample(LEFTOVER_ID));

		expectRun(run, () => {
			expect(model.requests).toHaveLength(2);
			expectModelNeverGotASecret();
			expectSchemaValid(sim.requests);
			expect(creates()).toHaveLength(1);
			expect((creates()[0].body as IDataObject).azureApp).toMatchObject({
				applicationId: APPLICATION_ID,
				applicationSecret: Buffer.from(AZURE_SECRET, 'utf8').toString('base64'),
			});
		});
	});

	it('nothing secret in what n8n printed or stored (the tool arguments it keeps included)', async () => {
		const { leaks, stored } = await folder.leaks(CANARIES);
		expect(stored.map((execution) => [execution.workflowId, execution.status])).toEqual([
			[WORKFLOW_ID, 'success'],
			[WORKFLOW_ID, 'success'],
			[LEFTOVER_ID, 'success'],
		]);
		// The tool's arguments are stored (its input): only the name and the admin site.
		expect(JSON.stringify(stored[1].data.resultData.runData[TOOL])).toContain(TENANT_SITE);
		expect(leaks).toEqual([]);
	});
});
