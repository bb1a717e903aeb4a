/**
 * "Ignore SSL Issues" against a Command Center with a self-signed certificate (the simulator with
 * `tls: true`), inside n8n's engine: honoured on every request the node makes.
 */
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { CREATE_CANARIES, fullCreateParameters, pfxItem } from '../../testing/engine/support/create';

const sim = useSimulator({ tls: true });

describe('self-signed certificate', () => {
	it('creates the app when Ignore SSL Issues is on', async () => {
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters(),
			items: [pfxItem()],
			credentials: { ignoreSslIssues: true },
		});

		expect(sim.baseUrl).toMatch(/^https:/);
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([{ json: { id: 1001, name: 'Contoso Dynamics 365' }, pairedItem: { item: 0 } }]);
		const creates = sim.requestsTo('POST', '/v4/Dynamics365');
		expect(creates.map((r) => [r.status, r.valid])).toEqual([[200, true]]);
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('also looks up a server plan by name over it when Ignore SSL Issues is on', async () => {
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters({ serverPlan: { __rl: true, mode: 'name', value: 'Server-Silver' } }),
			items: [pfxItem()],
			credentials: { ignoreSslIssues: true },
		});

		expect(result.error).toBeUndefined();
		expect(sim.requestsTo('GET', '/V4/Plan/Summary')).toHaveLength(1);
		expect(sim.requestsTo('POST', '/v4/Dynamics365').map((r) => (r.body as { serverPlan: unknown }).serverPlan)).toEqual([
			{ id: 2, name: 'Server-Silver' },
		]);
	});

	it('fails with a message about the certificate that points to Ignore SSL Issues when it is off', async () => {
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters(),
			items: [pfxItem()],
			credentials: { ignoreSslIssues: false },
		});

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(/certificate/i);
		expect(result.error?.message).toContain('Ignore SSL Issues');
		expect(result.error?.context?.itemIndex).toBe(0);
		// The TLS handshake failed, so no request ever reached the server.
		expect(sim.requests).toEqual([]);
		expect(sim.apps).toEqual([]);
		expectNoSecrets(result, CREATE_CANARIES);
	});
});
