/**
 * The README's demo: the built node, inside n8n-core's real WorkflowExecute, against the bundled
 * Commvault simulator on 127.0.0.1. Two tenants are onboarded (one with its SharePoint
 * certificate attached as binary data), plans chosen by name. Prints what went in, the requests
 * Commvault received, the output items and a one-line summary.
 *
 *   npm ci && npm run demo
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { runNode } from '../test/engine';
import { AZURE_APP_PFX_PASSWORD, AZURE_APP_PFX_PATH } from '../test/fixtures';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN } from '../test/simulator';

// The demo exercises what users install: the compiled package in dist/, not the sources.
const { Commvault } = require(join(__dirname, '..', 'dist', 'nodes', 'Commvault', 'Commvault.node.js'));
const { CommvaultApi } = require(join(__dirname, '..', 'dist', 'credentials', 'CommvaultApi.credentials.js'));

const tenants = [
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

/** A secret is never printed, not even a demo's: only that it is there. */
function masked(secret: string): string {
	return `${'•'.repeat(8)} (${secret.length} characters; the node sends it base64-encoded)`;
}

function printInput(): void {
	console.log('What goes in: one input item per tenant, into Commvault → Dynamics 365 App → Create');
	for (const [index, t] of tenants.entries()) {
		console.log(`  item ${index}: ${t.tenant}`);
		console.log(`    Application (Client) ID     ${t.applicationId}`);
		console.log(`    Azure Directory (Tenant) ID ${t.azureDirectoryId}`);
		console.log(`    Application Secret          ${masked(t.secret)}`);
		console.log(`    SharePoint certificate      ${t.certificate ? 'azure-app.pfx, as binary property "certificate"' : 'none'}`);
	}
	console.log('  node fields, the same for every item:');
	console.log('    App Name                    {{ $json.tenant }} Dynamics 365');
	console.log(`    Server Plan                 by name: ${SERVER_PLAN}`);
	console.log(`    Dynamics 365 Plan           by name: ${DYNAMICS_365_PLAN} (add all environments right after creating)`);
	console.log('');
}

/** One line a person reads first, from what Commvault (simulated) now holds, not from the node's output. */
function summary(sim: CommvaultSimulator): string {
	const apps = sim.apps;
	const plans = [...new Set(apps.flatMap((app) => app.content.map((c) => c.plan.name)))];
	const allAdded = apps.length > 0 && apps.every((app) => app.content.some((c) => c.type === 'ALL_ENVIRONMENTS'));
	const created = `${apps.length} app${apps.length === 1 ? '' : 's'} created (${apps.map((app) => `${app.name}, id ${app.id}`).join('; ')})`;
	if (allAdded && plans.length === 1) return `${created}; all environments added to plan ${plans[0]}`;
	if (plans.length === 0) return `${created}; no environments added to a plan`;
	return `${created}; environments added to plans ${plans.join(', ')}`;
}

async function main(): Promise<void> {
	const sim = new CommvaultSimulator();
	const baseUrl = await sim.start();
	try {
		printInput();
		const pfx = readFileSync(AZURE_APP_PFX_PATH);
		const result = await runNode({
			nodeType: Commvault,
			credentialTypes: [CommvaultApi],
			credentials: { commvaultApi: { baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } },
			items: tenants.map((t) => ({
				json: t,
				binary: t.certificate
					? { certificate: { data: pfx, mimeType: 'application/x-pkcs12', fileName: 'azure-app.pfx' } }
					: undefined,
			})),
			parameters: {
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
			},
		});

		console.log('Requests Commvault (simulated) received:');
		for (const request of sim.requests) {
			console.log(`  ${request.method} ${request.path} -> ${request.status}${request.valid ? '' : ' INVALID'}`);
		}
		if (result.error) {
			console.error(`\nThe node failed: ${String(result.error.message)}`);
			process.exitCode = 1;
			return;
		}
		console.log('\nOutput items of the Commvault node (pairedItem: the input item each one answers):');
		console.log(JSON.stringify(result.items, null, 2));
		console.log(`\nSummary: ${summary(sim)}.`);
	} finally {
		await sim.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
