/**
 * The Get Many race: every Exchange app of a Commvault with thousands, page by page
 * (`GET /V4/Office365/Exchange`, API.md "Paging"). This package's Get Many with Return All, n8n's
 * HTTP Request node with its built-in pagination (the page number from n8n's `$pageCount`, the end
 * from the answer's `totalRecords`), the same followed by Split Out (one item per app, as this
 * node outputs), and raw axios loops. The simulator pages from 0, as the bench starts it.
 */
import axios from 'axios';
import { join } from 'path';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import type { NodeSpec, NodeTypeInput } from '../../testing/engine';
import type { CommvaultSimulator } from '../../testing/simulator';
import { DEFAULT_AUTHTOKEN } from '../../testing/simulator';
import { benchNode } from './contenders';

export const LIST_PATH = '/V4/Office365/Exchange';
export const PAGE_SIZE = 100;

/** This package's Get Many, parameters as node-contract.md names them; `searchKey` lists only the apps whose name has it. */
export function commvaultGetMany(Commvault: NodeTypeInput, searchKey?: string): NodeSpec {
	return {
		nodeType: Commvault,
		name: 'Commvault',
		parameters: { resource: 'exchangeApp', operation: 'getMany', returnAll: true, filters: searchKey === undefined ? {} : { searchKey }, options: {} },
	};
}

/**
 * n8n's HTTP Request node as a user sets it up for a page-numbered API: Pagination "Update a
 * Parameter in Each Request" with `pageNumber = {{ $pageCount }}` (0, 1, …), complete when the
 * answer holds no app or the pages so far cover its `totalRecords`. It outputs one item per page.
 */
export function httpRequestGetMany(HttpRequest: NodeTypeInput, version: number, baseUrl: string, searchKey?: string): NodeSpec {
	const query = [{ name: 'pageSize', value: String(PAGE_SIZE) }, ...(searchKey === undefined ? [] : [{ name: 'searchKey', value: searchKey }])];
	return {
		nodeType: HttpRequest,
		name: 'HTTP Request',
		typeVersion: version,
		parameters: {
			method: 'GET',
			url: `${baseUrl}${LIST_PATH}`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendQuery: true,
			queryParameters: { parameters: query },
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: 'pageNumber', value: '={{ $pageCount }}' }] },
						paginationCompleteWhen: 'other',
						completeExpression: `={{ $response.body.clients.length === 0 || $pageCount * ${PAGE_SIZE} >= $response.body.totalRecords }}`,
						limitPagesFetched: false,
						requestInterval: 0,
					},
				},
			},
		},
	};
}

/** n8n's Split Out node, from the same n8n-nodes-base as the HTTP Request node. */
export function splitOutNode(n8nInstallDir: string): NodeTypeInput {
	const base = join(n8nInstallDir, 'node_modules', 'n8n-nodes-base', 'dist');
	return (require(join(base, 'nodes', 'Transform', 'SplitOut', 'SplitOut.node.js')) as { SplitOut: NodeTypeInput }).SplitOut;
}

/** Split Out on `clients`: the HTTP Request node's pages as one item per app. */
export function splitOutClients(SplitOut: NodeTypeInput): NodeSpec {
	return { nodeType: SplitOut, name: 'Split Out', parameters: { fieldToSplitOut: 'clients', include: 'noOtherFields', options: {} } };
}

/** Every page of `url` from page 0, `inFlight` pages at a time once page 0 has said how many there are. */
export async function fetchAllPages(url: string, inFlight: number, searchKey?: string): Promise<IDataObject[]> {
	const headers = { Authtoken: DEFAULT_AUTHTOKEN, Accept: 'application/json' };
	const page = async (pageNumber: number): Promise<{ totalRecords: number; clients: IDataObject[] }> =>
		(await axios.get(url, { headers, params: { pageNumber, pageSize: PAGE_SIZE, searchKey } })).data as { totalRecords: number; clients: IDataObject[] };
	const first = await page(0);
	const pages: IDataObject[][] = [first.clients];
	let next = 1;
	const last = Math.ceil(first.totalRecords / PAGE_SIZE) - 1;
	const worker = async (): Promise<void> => {
		while (next <= last) {
			const pageNumber = next++;
			pages[pageNumber] = (await page(pageNumber)).clients;
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, inFlight) }, worker));
	return pages.flat();
}

/** axios straight from a node: `inFlight` 1 is a sequential page loop; one output item per app. */
export function rawAxiosPagesNode(): INodeType {
	return benchNode(
		'Raw Axios Pages',
		async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const apps = await fetchAllPages(this.getNodeParameter('url', 0) as string, this.getNodeParameter('inFlight', 0) as number);
			return [apps.map((json) => ({ json, pairedItem: { item: 0 } }))];
		},
		[
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'In Flight', name: 'inFlight', type: 'number', default: 1 },
		],
	);
}

export function rawAxiosGetMany(baseUrl: string, inFlight: number): NodeSpec {
	return { nodeType: rawAxiosPagesNode(), name: 'Raw Axios Pages', parameters: { url: `${baseUrl}${LIST_PATH}`, inFlight } };
}

/** The apps in a contender's output: items that are apps, or pages that hold them in `clients`. */
export function appsIn(outputs: Array<{ json: IDataObject }>): IDataObject[] {
	return outputs.flatMap(({ json }) => (Array.isArray(json.clients) ? (json.clients as IDataObject[]) : [json]));
}

/**
 * Why a run did not list every app exactly once (undefined when it did): the right number, no
 * app twice, none the simulator does not have, and no page request it refused.
 */
export function listShortfall(sim: CommvaultSimulator, outputs: Array<{ json: IDataObject }>, expected: number): string | undefined {
	const apps = appsIn(outputs);
	const ids = new Set(apps.map((app) => app.id));
	const known = new Set(sim.apps.filter((app) => app.workload === 'Exchange').map((app) => app.id));
	const unknown = [...ids].filter((id) => !known.has(id as number)).length;
	const refused = sim.requestsTo('GET', LIST_PATH).filter((r) => r.status !== 200 || !r.valid).length;
	if (apps.length === expected && ids.size === expected && unknown === 0 && refused === 0) return undefined;
	return `${apps.length} apps out of ${expected} (${ids.size} different, ${unknown} unknown), ${refused} page requests refused`;
}
