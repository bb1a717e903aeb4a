/**
 * What the real-n8n tests of the Commvault node import: the credentials (one per sign-in mode and
 * TLS case, each pointing at a loopback simulator) and the workflows, that is the example
 * workflows users import from examples/ plus error workflows built here from a few helpers.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { AssignmentValue, INode, INodeParameters } from 'n8n-workflow';

import { AZURE_APP_PFX_PASSWORD, AZURE_APP_PFX_PATH, AZURE_APP_PFX_THUMBPRINT } from '../fixtures';
import { DEFAULT_AUTHTOKEN, DEFAULT_USER } from '../simulator';
import { REPO_ROOT, type CredentialFixture, type WorkflowFixture } from './n8n-cli';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
export const COMMVAULT_TYPE = 'n8n-nodes-commvault.commvault';
export const PFX_BYTES = fs.readFileSync(AZURE_APP_PFX_PATH);

export interface CredentialRef {
	id: string;
	name: string;
}

/** `authtoken` is the credential every example workflow names; the others only the workflows built here. */
export const CREDENTIALS = {
	authtoken: { id: 'commvaultExample1', name: 'Commvault account' },
	password: { id: 'cvE2ePassword001', name: 'Commvault (user name and password)' },
	tlsIgnore: { id: 'cvE2eTlsIgnore01', name: 'Commvault (self-signed, Ignore SSL Issues on)' },
	tlsStrict: { id: 'cvE2eTlsStrict01', name: 'Commvault (self-signed, Ignore SSL Issues off)' },
	wrongPassword: { id: 'cvE2eWrongPass01', name: 'Commvault (a wrong password)' },
} as const satisfies Record<string, CredentialRef>;

/** A password the simulator refuses; a canary too. */
export const WRONG_PASSWORD = 'canary-wrong-Pässword-41c7';

/** The credentials in plain text (n8n encrypts them on import). */
export function credentialFixtures(httpBaseUrl: string, httpsBaseUrl: string): CredentialFixture[] {
	const type = 'commvaultApi';
	const authtoken = { authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN };
	return [
		{ ...CREDENTIALS.authtoken, type, data: { baseUrl: httpBaseUrl, ...authtoken, ignoreSslIssues: false } },
		{
			...CREDENTIALS.password,
			type,
			data: { baseUrl: httpBaseUrl, authentication: 'password', username: DEFAULT_USER.username, password: DEFAULT_USER.password },
		},
		{ ...CREDENTIALS.tlsIgnore, type, data: { baseUrl: httpsBaseUrl, ...authtoken, ignoreSslIssues: true } },
		{ ...CREDENTIALS.tlsStrict, type, data: { baseUrl: httpsBaseUrl, ...authtoken, ignoreSslIssues: false } },
		{
			...CREDENTIALS.wrongPassword,
			type,
			data: { baseUrl: httpBaseUrl, authentication: 'password', username: DEFAULT_USER.username, password: WRONG_PASSWORD },
		},
	];
}

// ---------------------------------------------------------------------------------------
// example workflows

export const EXAMPLES = {
	createThenAddContent: 'onboard-tenant-create-then-add-content.json',
	oneStep: 'onboard-tenant-one-step.json',
	certificate: 'onboard-tenant-with-certificate.json',
	wholeTenant: 'onboard-whole-tenant.json',
	// run by test/e2e/lifecycle.e2e.test.ts
	backUp: 'onboard-back-up-report.json',
	neverBackedUp: 'daily-mailboxes-never-backed-up.json',
} as const;

/** A node as it stands in workflow JSON. */
export type WorkflowNode = INode;

export interface Workflow extends WorkflowFixture {
	nodes: WorkflowNode[];
}

export function loadExample(file: string): Workflow {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Workflow;
}

export function nodeNamed(workflow: Workflow, name: string): WorkflowNode {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`workflow "${workflow.name}" has no node "${name}" (has ${workflow.nodes.map((n) => n.name).join(', ')})`);
	return node;
}

function isParameterObject(value: unknown): value is INodeParameters {
	return typeof value === 'object' && value !== null;
}

/** The node of an example that a test substitutes a value in; throws if the example no longer has it there. */
function substitute(workflow: Workflow, nodeName: string, parameterPath: string[], value: string): void {
	const key = parameterPath[parameterPath.length - 1];
	let holder: unknown = nodeNamed(workflow, nodeName).parameters;
	for (const step of parameterPath.slice(0, -1)) holder = isParameterObject(holder) ? holder[step] : undefined;
	if (!isParameterObject(holder) || typeof holder[key] !== 'string') {
		throw new Error(`example "${workflow.name}": node "${nodeName}" has no parameter ${parameterPath.join('.')} to substitute`);
	}
	holder[key] = value;
}

/** The Set node of every example that holds what users must edit, secrets included. */
export const EXAMPLE_INPUT_NODE = 'Edit me before the first run';

function isAssignment(value: unknown): value is AssignmentValue {
	return isParameterObject(value) && typeof value.name === 'string' && 'value' in value;
}

/** The assignments of a Set node 3.x as it stands in workflow JSON (live objects: edit them to substitute). */
function assignmentsOf(workflow: Workflow, nodeName: string): AssignmentValue[] {
	const holder = nodeNamed(workflow, nodeName).parameters.assignments;
	const list: unknown = isParameterObject(holder) ? holder.assignments : undefined;
	if (!Array.isArray(list)) throw new Error(`example "${workflow.name}": node "${nodeName}" is not a Set node with assignments`);
	return list.filter(isAssignment);
}

function exampleInput(workflow: Workflow, name: string): AssignmentValue {
	const assignment = assignmentsOf(workflow, EXAMPLE_INPUT_NODE).find((a) => a.name === name);
	if (!assignment || typeof assignment.value !== 'string') {
		throw new Error(`example "${workflow.name}": "${EXAMPLE_INPUT_NODE}" sets no ${name} to substitute`);
	}
	return assignment;
}

/** What users type into the examples as the Application Secret (a placeholder: a canary here). */
export function exampleApplicationSecret(file: string): string {
	return exampleInput(loadExample(file), 'applicationSecret').value as string;
}

/**
 * The certificate example with the two values that are the user's own replaced: where the .pfx
 * lies (the example reads `/home/node/.n8n-files/azure-app.pfx`, the allowed file folder of n8n's
 * Docker image; the test has a copy of testing/fixtures/azure-app.pfx in its user folder) and the
 * certificate's password in "Edit me before the first run" (the placeholder would not open the
 * fixture; the simulator checks that the password opens the certificate, as Commvault does). Everything else runs as users get it.
 */
export function certificateExample(pfxPath: string, id?: string): Workflow {
	const workflow = loadExample(EXAMPLES.certificate);
	substitute(workflow, 'Read Certificate', ['fileSelector'], pfxPath);
	exampleInput(workflow, 'certificatePassword').value = AZURE_APP_PFX_PASSWORD;
	if (id) {
		workflow.id = id;
		workflow.name = `${workflow.name} [${id}]`;
	}
	return workflow;
}

// ---------------------------------------------------------------------------------------
// workflows built for the error cases

/** Typed into the Application Secret of the workflows built here; non-ASCII so a wrong encoding shows. */
export const APPLICATION_SECRET = 'canary-e2e-Sécret~Äpp-5c1d';
export const REFRESH_TOKEN = 'canary-e2e-refresh-0.AXkA-8b3e';
export const APPLICATION_ID = '6f1c2a9e-8d3b-4c5a-9e7f-1a2b3c4d5e6f';
export const DIRECTORY_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

export interface Tenant {
	appName: string;
	applicationId: string;
	azureDirectoryId: string;
}

export function tenant(appName: string, applicationId = APPLICATION_ID): Tenant {
	return { appName, applicationId, azureDirectoryId: DIRECTORY_ID };
}

type NodeSpec = Omit<WorkflowNode, 'id' | 'position'>;
type NodeSettings = Pick<WorkflowNode, 'onError' | 'alwaysOutputData'>;

/** A manual trigger followed by `nodes` in a row. */
function chain(id: string, name: string, nodes: NodeSpec[]): Workflow {
	const all: NodeSpec[] = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, ...nodes];
	const placed: WorkflowNode[] = all.map((node, i) => ({
		...node,
		id: `e2e00000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
		position: [i * 220, 0],
	}));
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < placed.length; i++) {
		connections[placed[i].name] = { main: [[{ node: placed[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name: `e2e: ${name}`, nodes: placed, connections };
}

/** One item per tenant (or any object): a Set node emits the list, Split Out makes the items. */
function tenantItems(tenants: readonly object[]): NodeSpec[] {
	return [
		{
			name: 'Tenants',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ tenants }), options: {} },
		},
		{
			name: 'One Item Per Tenant',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'tenants', include: 'noOtherFields', options: {} },
		},
	];
}

export const COMMVAULT_NODE = 'Commvault';

/** The Commvault node creating an app from the item's tenant fields; `parameters` are merged over the defaults. */
export function createNode(credential: CredentialRef, parameters: INodeParameters = {}, settings: NodeSettings = {}): NodeSpec {
	return {
		name: COMMVAULT_NODE,
		type: COMMVAULT_TYPE,
		typeVersion: 1,
		parameters: {
			resource: 'dynamics365App',
			operation: 'create',
			name: '={{ $json.appName }}',
			serverPlan: { __rl: true, mode: 'name', value: 'Server-Gold' },
			applicationId: '={{ $json.applicationId }}',
			applicationSecret: APPLICATION_SECRET,
			azureDirectoryId: '={{ $json.azureDirectoryId }}',
			additionalFields: {},
			options: {},
			...parameters,
		},
		credentials: { commvaultApi: credential },
		...settings,
	};
}

/** Tenants → one Create per item, with the given credential and node settings. */
export function createWorkflow(
	id: string,
	name: string,
	opts: { tenants: Tenant[]; credential?: CredentialRef; parameters?: INodeParameters; settings?: NodeSettings },
): Workflow {
	return chain(id, name, [
		...tenantItems(opts.tenants),
		createNode(opts.credential ?? CREDENTIALS.authtoken, opts.parameters, opts.settings),
	]);
}

/** One tenant created with `credential`: the workflows that are about the credential, not the tenant. */
function oneTenantWith(credential: CredentialRef, id: string, name: string, tenantName: string): Workflow {
	return createWorkflow(id, name, { tenants: [tenant(tenantName)], credential });
}

/**
 * Items (one per entry of `items`) → the Commvault node with exactly `parameters` (no defaults:
 * any resource and operation, e.g. a Get Many).
 */
export function itemsThenCommvault(id: string, name: string, items: readonly object[], parameters: INodeParameters): Workflow {
	return chain(id, name, [
		...tenantItems(items),
		{ name: COMMVAULT_NODE, type: COMMVAULT_TYPE, typeVersion: 1, parameters, credentials: { commvaultApi: CREDENTIALS.authtoken } },
	]);
}

/**
 * The certificate made upstream by core nodes, the way a workflow gets it from a form, a vault or
 * an API as base64: Set holds it, Convert to File turns it into binary data (n8n keeps it on
 * disk: N8N_DEFAULT_BINARY_DATA_MODE=filesystem), then Create attaches it with every optional field.
 * Convert to File emits empty json, so Create's fields are typed in, not taken from the item.
 */
export function certificateFromBase64Workflow(id: string, appName: string): Workflow {
	return chain(id, 'certificate made by Set + Convert to File', [
		{
			name: 'Certificate As Base64',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: {
				mode: 'manual',
				assignments: { assignments: [{ id: 'c1', name: 'pfx', value: PFX_BYTES.toString('base64'), type: 'string' }] },
				options: {},
			},
		},
		{
			name: 'To File',
			type: 'n8n-nodes-base.convertToFile',
			typeVersion: 1.1,
			parameters: {
				operation: 'toBinary',
				sourceProperty: 'pfx',
				binaryPropertyName: 'cert',
				options: { fileName: 'azure-app.pfx', mimeType: 'application/x-pkcs12' },
			},
		},
		createNode(CREDENTIALS.authtoken, {
			name: appName,
			applicationId: APPLICATION_ID,
			azureDirectoryId: DIRECTORY_ID,
			additionalFields: {
				certificateBinaryProperty: 'cert',
				certificatePassword: AZURE_APP_PFX_PASSWORD,
				certificateThumbprint: AZURE_APP_PFX_THUMBPRINT,
				refreshToken: REFRESH_TOKEN,
			},
		}),
	]);
}

// ---------------------------------------------------------------------------------------
// what one n8n user folder gets

/** The secret users type into the examples (a placeholder, and a canary in the tests). */
export const EXAMPLE_SECRET = exampleApplicationSecret(EXAMPLES.oneStep);

/** The whole-tenant example keeps its secret in one Set node upstream; the tests check it is the same canary. */
export function wholeTenantSecret(): string {
	const node = nodeNamed(loadExample(EXAMPLES.wholeTenant), 'Azure App Secret');
	const assignments = (node.parameters.assignments as { assignments: Array<{ name: string; value: string }> }).assignments;
	return assignments.find((a) => a.name === 'applicationSecret')?.value ?? '';
}

export const WORKFLOW = {
	createThenAddContent: 'cvExampleCreateAdd1',
	oneStep: 'cvExampleOneStep01',
	certificate: 'cvExampleCertific1',
	wholeTenant: 'cvExampleTenant001',
	certificateMissing: 'cvE2eCertMissing1',
	continueOnFail: 'cvE2eContinue0001',
	conflict: 'cvE2eConflict0001',
	tlsIgnoreOn: 'cvE2eTlsIgnoreOn1',
	tlsIgnoreOff: 'cvE2eTlsIgnoreOff',
	certificateToFile: 'cvE2eCertToFile01',
	password: 'cvE2ePassword0001',
	wrongPassword: 'cvE2eWrongPass001',
} as const;

/**
 * Nodes whose output is the test's or the user's own data, not the Commvault node's (see leaks.ts):
 * the examples' input node holds the secrets users type in, as its output.
 */
const USER_DATA_NODES: Record<string, string[]> = {
	[WORKFLOW.certificateToFile]: ['Certificate As Base64'],
	// The example's one place for the secret, a node the user edits: its output is the user's own data.
	[WORKFLOW.wholeTenant]: ['Azure App Secret'],
	[WORKFLOW.createThenAddContent]: [EXAMPLE_INPUT_NODE],
	[WORKFLOW.oneStep]: [EXAMPLE_INPUT_NODE],
	[WORKFLOW.certificate]: [EXAMPLE_INPUT_NODE],
	[WORKFLOW.certificateMissing]: [EXAMPLE_INPUT_NODE],
	// examples/onboard-back-up-report.json (test/e2e/lifecycle.e2e.test.ts)
	cvExampleBackup001: [EXAMPLE_INPUT_NODE],
};

export function userDataNodesOf(workflowId: string): string[] {
	return USER_DATA_NODES[workflowId] ?? [];
}

/** Every workflow of the tests, imported in one go; `pfxPath` is where the certificate example finds its file. */
export function allWorkflows(pfxPath: string): Workflow[] {
	const examples = [
		loadExample(EXAMPLES.createThenAddContent),
		loadExample(EXAMPLES.oneStep),
		certificateExample(pfxPath),
		loadExample(EXAMPLES.wholeTenant),
	];
	const ids = examples.map((w) => w.id).join(', ');
	if (ids !== [WORKFLOW.createThenAddContent, WORKFLOW.oneStep, WORKFLOW.certificate, WORKFLOW.wholeTenant].join(', ')) {
		throw new Error(`the example workflows have other ids than the tests run: ${ids}`);
	}
	return [
		...examples,
		certificateExample(path.join(path.dirname(pfxPath), 'no-such-file.pfx'), WORKFLOW.certificateMissing),
		createWorkflow(WORKFLOW.continueOnFail, 'three tenants, the second invalid, Continue On Fail', {
			tenants: [tenant('Tenant One'), tenant('Tenant Two', 'not-a-guid'), tenant('Tenant Three')],
			settings: { onError: 'continueRegularOutput' },
		}),
		createWorkflow(WORKFLOW.conflict, 'an app name that exists', { tenants: [tenant('Existing Tenant')] }),
		oneTenantWith(CREDENTIALS.tlsIgnore, WORKFLOW.tlsIgnoreOn, 'self-signed HTTPS, Ignore SSL Issues on', 'TLS Tenant'),
		oneTenantWith(CREDENTIALS.tlsStrict, WORKFLOW.tlsIgnoreOff, 'self-signed HTTPS, Ignore SSL Issues off', 'TLS Tenant'),
		certificateFromBase64Workflow(WORKFLOW.certificateToFile, 'Certificate Tenant'),
		oneTenantWith(CREDENTIALS.wrongPassword, WORKFLOW.wrongPassword, 'a wrong password', 'Wrong Password Tenant'),
		createWorkflow(WORKFLOW.password, 'user name and password credential', {
			tenants: [tenant('unused')],
			credential: CREDENTIALS.password,
			// a new app per execution: the workflow runs several times against one simulator
			parameters: { name: "={{ 'Password Tenant ' + $execution.id }}" },
		}),
	];
}
