/**
 * The README's demo: the built node, inside n8n-core's real WorkflowExecute, against the bundled
 * Commvault simulator on 127.0.0.1. Two tenants are onboarded (one with its SharePoint
 * certificate attached as binary data), plans chosen by name, then the output items are printed.
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

async function main(): Promise<void> {
	const sim = new CommvaultSimulator();
	const baseUrl = await sim.start();
	try {
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
				serverPlan: { __rl: true, mode: 'name', value: 'Server-Gold' },
				applicationId: '={{ $json.applicationId }}',
				applicationSecret: '={{ $json.secret }}',
				azureDirectoryId: '={{ $json.azureDirectoryId }}',
				additionalFields: {
					certificateBinaryProperty: '={{ $json.certificate ? "certificate" : "" }}',
					certificatePassword: `={{ $json.certificate ? "${AZURE_APP_PFX_PASSWORD}" : "" }}`,
					dynamics365Plan: { __rl: true, mode: 'name', value: 'D365-Standard' },
				},
			},
		});

		console.log('Requests Commvault (simulated) received:');
		for (const request of sim.requests) {
			console.log(`  ${request.method} ${request.path} -> ${request.status}${request.valid ? '' : ' INVALID'}`);
		}
		if (result.error) {
			console.error(`The node failed: ${String(result.error.message)}`);
			process.exitCode = 1;
			return;
		}
		console.log('\nOutput items of the Commvault node:');
		console.log(JSON.stringify(result.items, null, 2));
	} finally {
		await sim.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
