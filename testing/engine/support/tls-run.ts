/**
 * Run in a process of its own by tls-warnings.test.ts: one Create over TLS (the simulator with its
 * self-signed certificate, Ignore SSL Issues on) inside n8n's engine, printing as its last line
 * the process warnings it saw. Node emits DEP0123 once per process, so only a fresh process tells.
 */
import { join } from 'path';

import { CommvaultSimulator, DEFAULT_AUTHTOKEN } from '../../simulator';
import { runNode } from '../run';
import { createParameters } from './create';

// tsx resolves `Commvault.node` to the codex file Commvault.node.json, so the built node is loaded
// (npm test builds first), as the demo does.
const DIST = join(__dirname, '..', '..', '..', 'dist');
const { Commvault } = require(join(DIST, 'nodes', 'Commvault', 'Commvault.node.js'));
const { CommvaultApi } = require(join(DIST, 'credentials', 'CommvaultApi.credentials.js'));

async function main(): Promise<void> {
	const warnings: Array<{ name: string; code?: string; message: string }> = [];
	process.on('warning', (warning: Error & { code?: string }) => {
		warnings.push({ name: warning.name, code: warning.code, message: warning.message });
	});
	const sim = new CommvaultSimulator({ tls: true });
	await sim.start();
	try {
		const result = await runNode({
			nodeType: Commvault,
			credentialTypes: [CommvaultApi],
			credentials: { commvaultApi: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN, ignoreSslIssues: true } },
			parameters: { resource: 'dynamics365App', ...createParameters() },
			items: [{ json: {} }],
		});
		// Warnings are emitted on the next tick.
		await new Promise((resolve) => setImmediate(resolve));
		console.log(JSON.stringify({ baseUrl: sim.baseUrl, error: result.error?.message, requests: sim.requests.length, warnings }));
	} finally {
		await sim.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
