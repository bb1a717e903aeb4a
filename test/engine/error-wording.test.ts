/**
 * n8n's error classes replace a message that merely contains a Node.js error code (EPERM in
 * "RolePermission", EEXIST in "preexisting", EACCES in "FreeAccess") by a generic sentence such
 * as "Operation not permitted, make sure you have the right permissions". Commvault's own words,
 * and messages quoting the user's names, must reach the user as written.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CommvaultErrors, DEFAULT_USER } from '../../testing/simulator';
import type { RunNodeResult } from '../../testing/engine/run';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { httpCodeOf, runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { CREATE_CANARIES, createParameters, fullCreateParameters, pfxItem } from '../../testing/engine/support/create';

const sim = useSimulator();
const CREATE = { method: 'POST', path: '/v4/Dynamics365' };
const byName = (value: string): INodeParameters => ({ __rl: true, mode: 'name', value });

/** One of n8n's generic replacements, which must never stand where the node's own message was. */
const GENERIC = /Operation not permitted|already exists|does not exist|access permissions|refused the connection/;

function expectMessage(result: RunNodeResult, message: string): void {
	expect(result.status).toBe('error');
	expect(result.error?.message).toBe(message);
	expect(result.error?.message).not.toMatch(GENERIC);
	expect(result.error?.context?.itemIndex).toBe(0);
}

describe("Commvault's own message survives n8n's error classes", () => {
	it.each([
		['a 403 whose message contains "RolePermission" (EPERM)', 403, 'User lacks RolePermission on this company.'],
		['a 409 whose message contains "preexisting" (EEXIST)', 409, 'A preexisting client has the name Contoso Dynamics 365.'],
		['a 400 whose message contains "FreeAccess" (EACCES)', 400, 'Tenant FreeAccess cannot be used.'],
	])('%s', async (_what, status, message) => {
		sim.respondNext(CREATE, CommvaultErrors.generic(status, 5, message));
		const result = await runCommvault(sim, { parameters: fullCreateParameters(), items: [pfxItem()] });

		expectMessage(result, message);
		expect(result.error?.description).toBe(`Commvault answered HTTP ${status} (errorCode 5) to POST /v4/Dynamics365.`);
		expect(httpCodeOf(result.error)).toBe(String(status));
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(1);
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('also in an error reported with HTTP 200, and in the {error} item under Continue On Fail', async () => {
		sim.respondNext(CREATE, CommvaultErrors.errListIn200(5, 'User lacks RolePermission on this company.'));
		const result = await runCommvault(sim, { parameters: createParameters(), continueOnFail: true });

		expect(result.items).toEqual([
			{
				json: {
					error: 'User lacks RolePermission on this company.',
					description: 'Commvault answered HTTP 200 (errorCode 5) to POST /v4/Dynamics365.',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a refused login of a user whose name contains "Permissions" names that user', async () => {
		const result = await runCommvault(sim, {
			parameters: createParameters(),
			credentials: { authentication: 'password', username: 'SharePermissions', password: DEFAULT_USER.password },
		});

		expect(result.error?.message).toMatch(/^Commvault login failed for user "SharePermissions": /);
		expect(result.error?.message).not.toMatch(GENERIC);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(0);
	});
});

describe('the partial-failure message of Create → Add Content', () => {
	it('keeps saying that the app "SharePermissions" WAS created, with its id', async () => {
		sim.respondNext({ method: 'PUT', path: '/V4/Dynamics365/1001/Content' }, CommvaultErrors.generic(500, 17, 'Content could not be added.'));
		const result = await runCommvault(sim, {
			parameters: createParameters({ name: 'SharePermissions', additionalFields: { dynamics365Plan: byName('D365-Standard') } }),
			continueOnFail: true,
		});

		expect(result.items).toHaveLength(1);
		const { json } = result.items[0];
		expect(json.error).toBe(
			'The Dynamics 365 app "SharePermissions" WAS created (id 1001), but adding its environments to the Dynamics 365 plan failed: Content could not be added.',
		);
		expect(json.description).toBe(
			'Do not create the app again. Run Add Content with App ID 1001 to finish. Commvault answered HTTP 500 (errorCode 17) to PUT /V4/Dynamics365/1001/Content.',
		);
		expect(json.createdApp).toEqual({ id: 1001, name: 'SharePermissions' });
		expect(sim.app(1001)?.name).toBe('SharePermissions');
	});
});

describe('input errors quoting what the user entered', () => {
	it('a plan name containing "Permissions" (EPERM) is named in the message, with its hint', async () => {
		const result = await runCommvault(sim, { parameters: createParameters({ serverPlan: byName('CorePermissions') }) });

		expectMessage(result, 'Server Plan: no server plan is named "CorePermissions" (item 0)');
		expect(result.error?.description).toMatch(/^Pick the plan from the list, or check its name in Command Center/);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(0);
	});

	it('a certificate file whose name contains "preexisting" (EEXIST) is named in the message', async () => {
		const result = await runCommvault(sim, {
			parameters: fullCreateParameters(),
			items: [pfxItem({}, Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'), 'preexisting-app.pem')],
		});

		expectMessage(
			result,
			'Certificate File Field: holds a file ("preexisting-app.pem") that is not a PKCS#12 certificate (.pfx/.p12) (item 0)',
		);
		expect(result.error?.description).toMatch(/^Export the certificate with its private key as \.pfx\/\.p12/);
		expect(sim.requests).toHaveLength(0);
		expectNoSecrets(result, CREATE_CANARIES);
	});
});
