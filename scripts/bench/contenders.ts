/**
 * What the benchmark races, each as a node in n8n-core's WorkflowExecute: this package's built
 * node, n8n's own HTTP Request node (from the n8n install the e2e tier caches), and raw axios
 * loops in a node of their own. All send the same POST /v4/Dynamics365 body per item.
 */
import axios from 'axios';
import { join } from 'path';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { CredentialTypeInput, NodeSpec, NodeTypeInput } from '../../testing/engine';
import { DEFAULT_AUTHTOKEN } from '../../testing/simulator';

export const REPO_ROOT = join(__dirname, '..', '..');

/** The built package, as n8n loads it (run `npm run build` first; `npm run bench` does). */
export function builtPackage(): { Commvault: NodeTypeInput; CommvaultApi: CredentialTypeInput } {
	const { Commvault } = require(join(REPO_ROOT, 'dist', 'nodes', 'Commvault', 'Commvault.node.js'));
	const { CommvaultApi } = require(join(REPO_ROOT, 'dist', 'credentials', 'CommvaultApi.credentials.js'));
	return { Commvault, CommvaultApi };
}

/** n8n's HTTP Request node and Header Auth credential, from an n8n install's n8n-nodes-base. */
export function httpRequestNode(n8nInstallDir: string): { HttpRequest: NodeTypeInput; HttpHeaderAuth: CredentialTypeInput; version: number } {
	const base = join(n8nInstallDir, 'node_modules', 'n8n-nodes-base', 'dist');
	const { HttpRequest } = require(join(base, 'nodes', 'HttpRequest', 'HttpRequest.node.js'));
	const { HttpHeaderAuth } = require(join(base, 'credentials', 'HttpHeaderAuth.credentials.js'));
	return { HttpRequest, HttpHeaderAuth, version: new HttpRequest().currentVersion as number };
}

export const SERVER_PLAN_ID = 1;

/** One input item per tenant; app names are unique per run, as Commvault requires. */
export function tenantItems(count: number, tag: string): Array<{ json: IDataObject }> {
	return Array.from({ length: count }, (_, i) => ({
		json: {
			name: `Bench ${tag} ${i}`,
			applicationId: '6f1c2a9e-8d3b-4c5a-9e7f-1a2b3c4d5e6f',
			azureDirectoryId: '0f8fad5b-d9cb-469f-a165-70867728950e',
			secret: `Zx8Q~bench.client.secret.${i}`,
		},
	}));
}

/** The body this package's node sends for a tenant item, built by hand for the other contenders. */
export function createBody(json: IDataObject): IDataObject {
	return {
		name: json.name,
		serverPlan: { id: SERVER_PLAN_ID },
		azureApp: {
			applicationId: json.applicationId,
			applicationSecret: Buffer.from(String(json.secret), 'utf8').toString('base64'),
			azureDirectoryId: json.azureDirectoryId,
		},
	};
}

/** This package's Create; `concurrency` goes to options.concurrency (a node that lacks it ignores it). */
export function commvaultCreate(Commvault: NodeTypeInput, concurrency?: number, additionalFields: INodeParameters = {}): NodeSpec {
	return {
		nodeType: Commvault,
		name: 'Commvault',
		parameters: {
			resource: 'dynamics365App',
			operation: 'create',
			name: '={{ $json.name }}',
			serverPlan: { __rl: true, mode: 'id', value: String(SERVER_PLAN_ID) },
			applicationId: '={{ $json.applicationId }}',
			applicationSecret: '={{ $json.secret }}',
			azureDirectoryId: '={{ $json.azureDirectoryId }}',
			additionalFields,
			options: concurrency === undefined ? {} : { concurrency },
		},
	};
}

/** n8n's HTTP Request node as a user would set it up for the same call: Header Auth, JSON body. */
export function httpRequestCreate(HttpRequest: NodeTypeInput, version: number, baseUrl: string): NodeSpec {
	return {
		nodeType: HttpRequest,
		name: 'HTTP Request',
		typeVersion: version,
		parameters: {
			method: 'POST',
			url: `${baseUrl}/v4/Dynamics365`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody:
				`={{ JSON.stringify({ name: $json.name, serverPlan: { id: ${SERVER_PLAN_ID} }, azureApp: { applicationId: $json.applicationId, ` +
				'applicationSecret: $json.secret.base64Encode(), azureDirectoryId: $json.azureDirectoryId } }) }}',
			options: {},
		},
	};
}

export const HEADER_AUTH = { name: 'Authtoken', value: DEFAULT_AUTHTOKEN };

/** A one-input, one-output node of the bench's own, named after what it does. */
export function benchNode(
	displayName: string,
	execute: INodeType['execute'],
	properties: INodeTypeDescription['properties'] = [],
): INodeType {
	const name = displayName.replace(/\W+(\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toLowerCase());
	const main = [NodeConnectionTypes.Main];
	const description: INodeTypeDescription = { displayName, name, description: displayName, defaults: { name: displayName },
		group: ['transform'], version: 1, inputs: main, outputs: main, properties };
	return { description, execute };
}

/**
 * axios straight from a node: what the work costs without n8n's request helpers, credentials and
 * parameter resolution. `inFlight` 1 is a sequential loop; more keeps that many requests going.
 */
export function rawAxiosNode(): INodeType {
	return benchNode(
		'Raw Axios Loop',
		async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData();
			const url = this.getNodeParameter('url', 0) as string;
			const inFlight = Math.max(1, this.getNodeParameter('inFlight', 0) as number);
			const out: INodeExecutionData[] = new Array(items.length);
			let next = 0;
			const worker = async (): Promise<void> => {
				while (next < items.length) {
					const i = next++;
					const response = await axios.post(url, createBody(items[i].json), {
						headers: { Authtoken: DEFAULT_AUTHTOKEN, 'Content-Type': 'application/json' },
					});
					out[i] = { json: response.data as IDataObject, pairedItem: { item: i } };
				}
			};
			await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
			return [out];
		},
		[
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'In Flight', name: 'inFlight', type: 'number', default: 1 },
		],
	);
}

export function rawAxiosCreate(baseUrl: string, inFlight: number): NodeSpec {
	return {
		nodeType: rawAxiosNode(),
		name: 'Raw Axios Loop',
		parameters: { url: `${baseUrl}/v4/Dynamics365`, inFlight },
	};
}
