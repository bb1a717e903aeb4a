/**
 * The README's demo: the built node, inside n8n-core's real WorkflowExecute, against the bundled
 * Commvault simulator on 127.0.0.1. Two tenants are onboarded (one with its SharePoint
 * certificate attached as binary data), plans chosen by name. Prints what went in (every field
 * the node sends, by the name the editor gives it), each request Commvault received with the item
 * it came from, the output items and a one-line summary.
 *
 *   npm ci && npm run demo
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import type { INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { runNode, type RunNodeResult } from '../testing/engine';
import { AZURE_APP_PFX_PASSWORD, AZURE_APP_PFX_PATH } from '../testing/fixtures';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN, type RecordedRequest } from '../testing/simulator';

// The demo exercises what users install: the compiled package in dist/, not the sources.
const { Commvault } = require(join(__dirname, '..', 'dist', 'nodes', 'Commvault', 'Commvault.node.js'));
const { CommvaultApi } = require(join(__dirname, '..', 'dist', 'credentials', 'CommvaultApi.credentials.js'));
const { CONCURRENCY_DEFAULT } = require(join(__dirname, '..', 'dist', 'nodes', 'Commvault', 'descriptions', 'options.description.js'));

export interface DemoTenant {
	tenant: string;
	applicationId: string;
	azureDirectoryId: string;
	secret: string;
	certificate: boolean;
}

export const TENANTS: DemoTenant[] = [
	{
		tenant: 'Contoso',
		applicationId: '6f1c2a9e-8d3b-4c5a-9e7f-1a2b3c4d5e6f',
		azureDirectoryId: '0f8fad5b-d9cb-469f-a165-70867728950e',
		secret: 'Zx8Q~demo.client.secret.value_1',
		certificate: true,
	},
	{
		tenant: 'Fabrikam',
		applicationId: '7a2d3b0f-9e4c-4d6b-8f80-2b3c4d5e6f70',
		azureDirectoryId: '1e2d3c4b-5a69-4788-96a5-b4c3d2e1f0a9',
		secret: 'Yw7P~demo.client.secret.value_2',
		certificate: false,
	},
];

const SERVER_PLAN = 'Server-Gold';
const DYNAMICS_365_PLAN = 'D365-Standard';
const CERTIFICATE_FILE = 'azure-app.pfx';
const appName = (t: DemoTenant) => `${t.tenant} Dynamics 365`;

const PARAMETERS: INodeParameters = {
	resource: 'dynamics365App',
	operation: 'create',
	name: '={{ $json.tenant }} Dynamics 365',
	serverPlan: { __rl: true, mode: 'name', value: SERVER_PLAN },
	applicationId: '={{ $json.applicationId }}',
	applicationSecret: '={{ $json.secret }}',
	azureDirectoryId: '={{ $json.azureDirectoryId }}',
	additionalFields: {
		certificateBinaryProperty: '={{ $json.certificate ? "certificate" : "" }}',
		certificatePassword: `={{ $json.certificate ? "${AZURE_APP_PFX_PASSWORD}" : "" }}`,
		dynamics365Plan: { __rl: true, mode: 'name', value: DYNAMICS_365_PLAN },
	},
};

/** A field's label as the editor shows it, read from the node's description (additional fields included). */
export function fieldLabel(name: string): string {
	const description = (new Commvault() as { description: INodeTypeDescription }).description;
	const all = description.properties.flatMap((p) => [p, ...((p.type === 'collection' ? p.options : []) as INodeProperties[])]);
	const found = all.find((p) => p.name === name);
	if (!found) throw new Error(`The node has no field named ${name}`);
	return found.displayName;
}

/** A secret is never printed, not even a demo's: only that it is there. */
function masked(secret: string): string {
	return `${'•'.repeat(8)} (${secret.length} characters; the node sends it base64-encoded)`;
}

const line = (label: string, value: string) => `    ${label.padEnd(28)}${value}`;

/** What goes in: per item, every field the node sends for it, under the editor's name. */
export function inputLines(tenants: DemoTenant[], certificateBytes: number): string[] {
	const lines = ['What goes in: one input item per tenant, into Commvault → Dynamics 365 App → Create'];
	for (const [index, t] of tenants.entries()) {
		lines.push(`  item ${index}: ${t.tenant}`);
		lines.push(line(fieldLabel('name'), `${appName(t)}  (from {{ $json.tenant }} Dynamics 365)`));
		lines.push(line(fieldLabel('applicationId'), t.applicationId));
		lines.push(line(fieldLabel('azureDirectoryId'), t.azureDirectoryId));
		lines.push(line(fieldLabel('applicationSecret'), masked(t.secret)));
		if (t.certificate) {
			lines.push(
				line(fieldLabel('certificateBinaryProperty'), `certificate: the binary property holding ${CERTIFICATE_FILE} (${certificateBytes} bytes; sent base64-encoded)`),
			);
			lines.push(line(fieldLabel('certificatePassword'), masked(AZURE_APP_PFX_PASSWORD)));
		} else {
			lines.push(line(fieldLabel('certificateBinaryProperty'), 'empty: no certificate is sent'));
			lines.push(line(fieldLabel('certificatePassword'), 'empty'));
		}
	}
	lines.push('  node fields, the same for every item:');
	lines.push(line(fieldLabel('serverPlan'), `by name: ${SERVER_PLAN}`));
	lines.push(line(fieldLabel('dynamics365Plan'), `by name: ${DYNAMICS_365_PLAN} (all environments added right after creating)`));
	return lines;
}

/** The body's field names, nested ones as parent.child, for a reader to see what was sent. */
export function bodyFields(body: unknown, prefix = ''): string[] {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
	return Object.entries(body).flatMap(([key, value]) => {
		const path = `${prefix}${key}`;
		const nested = key === 'serverPlan' ? [] : bodyFields(value, `${path}.`);
		return nested.length > 0 ? nested : [path];
	});
}

export interface CreatedApp {
	id: number;
	name: string;
}

/** Which input item a request served, found from the app name it carries or the app id in its path. */
export function itemOf(request: RecordedRequest, tenants: DemoTenant[], apps: CreatedApp[]): number | undefined {
	const named = (request.body as { name?: unknown } | undefined)?.name;
	const byId = /\/Dynamics365\/(\d+)\//.exec(request.path);
	const name = typeof named === 'string' ? named : apps.find((app) => byId && app.id === Number(byId[1]))?.name;
	const index = tenants.findIndex((t) => appName(t) === name);
	return index === -1 ? undefined : index;
}

/** Each request in arrival order, with the item it came from and what it carried or got. */
export function requestLines(requests: RecordedRequest[], tenants: DemoTenant[], apps: CreatedApp[]): string[] {
	const lines = ['Requests Commvault (simulated) received, in the order they arrived:'];
	for (const request of requests) {
		const call = `  ${request.method} ${request.path} -> ${request.status}${request.valid ? '' : ' INVALID'}`;
		const item = itemOf(request, tenants, apps);
		if (item === undefined) {
			lines.push(`${call}   for all items: the plan names looked up once`);
		} else if (request.method === 'POST') {
			const created = apps.find((app) => app.name === appName(tenants[item]));
			lines.push(`${call}   item ${item} (${tenants[item].tenant}): creates app id ${created?.id ?? '?'}; sent ${bodyFields(request.body).join(', ')}`);
		} else {
			lines.push(`${call}   item ${item} (${tenants[item].tenant}): adds all environments to ${DYNAMICS_365_PLAN}`);
		}
	}
	const creates = requests.filter((r) => r.method === 'POST').map((r) => itemOf(r, tenants, apps));
	lines.push(
		`  Why the ids: the node sends up to ${CONCURRENCY_DEFAULT} items at a time (Options > Concurrency), so the items' requests`,
		`  interleave, and Commvault numbers new apps in the order their creates arrive (here: item ${creates.join(', then item ')}).`,
		"  The output keeps the input's order; each output item's pairedItem names the input item it answers.",
	);
	return lines;
}

/** One line a person reads first, from what Commvault (simulated) now holds, in the items' order. */
export function summary(apps: Array<CreatedApp & { content: Array<{ plan: { name: string }; type: string }> }>, tenants: DemoTenant[]): string {
	const ordered = tenants.flatMap((t, item) => apps.filter((app) => app.name === appName(t)).map((app) => ({ app, item })));
	const plans = [...new Set(apps.flatMap((app) => app.content.map((c) => c.plan.name)))];
	const allAdded = apps.length > 0 && apps.every((app) => app.content.some((c) => c.type === 'ALL_ENVIRONMENTS'));
	const list = ordered.map(({ app, item }) => `item ${item}: ${app.name}, id ${app.id}`).join('; ');
	const created = `${apps.length} app${apps.length === 1 ? '' : 's'} created (${list})`;
	if (allAdded && plans.length === 1) return `${created}; all environments added to plan ${plans[0]}`;
	if (plans.length === 0) return `${created}; no environments added to a plan`;
	return `${created}; environments added to plans ${plans.join(', ')}`;
}

export interface DemoRun {
	lines: string[];
	requests: RecordedRequest[];
	result: RunNodeResult;
}

/** Runs the demo against a simulator of its own and returns what it prints. */
export async function runDemo(): Promise<DemoRun> {
	const sim = new CommvaultSimulator();
	const baseUrl = await sim.start();
	try {
		const pfx = readFileSync(AZURE_APP_PFX_PATH);
		const lines = [...inputLines(TENANTS, pfx.length), ''];
		const result = await runNode({
			nodeType: Commvault,
			credentialTypes: [CommvaultApi],
			credentials: { commvaultApi: { baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } },
			items: TENANTS.map((t) => ({
				json: { ...t },
				binary: t.certificate ? { certificate: { data: pfx, mimeType: 'application/x-pkcs12', fileName: CERTIFICATE_FILE } } : undefined,
			})),
			parameters: PARAMETERS,
		});
		lines.push(...requestLines(sim.requests, TENANTS, sim.apps));
		if (result.error) {
			lines.push('', `The node failed: ${String(result.error.message)}`);
		} else {
			lines.push('', 'Output items of the Commvault node (pairedItem: the input item each one answers):');
			lines.push(JSON.stringify(result.items, null, 2));
			lines.push('', `Summary: ${summary(sim.apps, TENANTS)}.`);
		}
		return { lines, requests: sim.requests, result };
	} finally {
		await sim.stop();
	}
}

if (require.main === module) {
	runDemo()
		.then(({ lines, result }) => {
			console.log(lines.join('\n'));
			if (result.error) process.exitCode = 1;
		})
		.catch((error: unknown) => {
			console.error(error);
			process.exit(1);
		});
}
