/**
 * Create's Options > If App Exists inside n8n's engine: a re-run of a half-done batch (or an
 * execution n8n ran again after a worker crash) gets the app that exists instead of Commvault's
 * 409. The simulator refuses a name any app has (409, as Commvault does); the workload's list is
 * scripted (support/pages.ts) with the apps the simulator holds.
 */
import type { INodeParameters } from 'n8n-workflow';

import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { planById, httpCodeOf, runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { APPLICATION_ID, APPLICATION_SECRET, DIRECTORY_ID } from '../../testing/engine/support/create';
import { appsNamed, listRequests, servePages } from '../../testing/engine/support/pages';

const sim = useSimulator();

const EXISTING = 'Contoso Exchange';

function create(name: string, ifExists?: string, additionalFields: INodeParameters = {}): INodeParameters {
	return {
		resource: 'exchangeApp',
		operation: 'create',
		name,
		serverPlan: planById('1'),
		applicationId: APPLICATION_ID,
		applicationSecret: APPLICATION_SECRET,
		azureDirectoryId: DIRECTORY_ID,
		additionalFields,
		options: ifExists ? { ifExists } : {},
	};
}

/** The app the simulator holds under another case, listed among apps whose names only look like it. */
function existingExchangeApp(): number {
	const app = sim.addApp({ id: 7001, name: 'contoso exchange', workload: 'Exchange' });
	const [lookalike, longer] = appsNamed(2, 'Contoso Exchange', 7100);
	servePages(sim, 'Exchange', [{ ...longer, name: 'Contoso Exchange 2' }, { ...appsNamed(1, '', app.id)[0], name: app.name }, { ...lookalike, name: 'Contoso ExchangeX' }], 'zero', EXISTING);
	return app.id;
}

const creates = (): number => sim.requestsTo('POST', '/V4/Office365/Exchange').length;

describe('Create, Options > If App Exists', () => {
	it('Return Existing App: a name Commvault refuses (409) outputs the app that has it, alreadyExisted true; a new one alreadyExisted false', async () => {
		const id = existingExchangeApp();
		const result = await runCommvault(sim, {
			parameters: create('={{ $json.name }}', 'returnExisting'),
			items: [{ json: { name: EXISTING } }, { json: { name: 'Fabrikam Exchange' } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.items[0].json).toMatchObject({ id, name: 'contoso exchange', alreadyExisted: true, serverPlan: { id: 1, name: 'Server Plan Gold' } });
		expect(result.items[1].json).toEqual({ id: 7002, name: 'Fabrikam Exchange', alreadyExisted: false });
		// Looked up by the name sent, in the workload's own list; each create sent once.
		expect(listRequests(sim, 'Exchange').map((request) => request.query.searchKey)).toEqual([EXISTING]);
		expect(creates()).toBe(2);
	});

	it('the content step, when asked, runs for the existing app as for a new one', async () => {
		const id = existingExchangeApp();
		const result = await runCommvault(sim, { parameters: create(EXISTING, 'returnExisting', { office365Plan: planById('21') }) });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id, alreadyExisted: true, content: { added: true, contentType: 'ALL_MAILBOXES', plan: { id: 21 } } });
		expect(sim.requestsTo('PUT', `/V4/Office365/Exchange/${id}/Content`)).toHaveLength(1);
		expect(sim.app(id)?.content).toHaveLength(1);
	});

	it("no app of the workload has the name (another workload's app has it): the item fails with Commvault's message", async () => {
		sim.addApp({ name: 'Shared Name', workload: 'OneDrive' });
		servePages(sim, 'Exchange', appsNamed(2, 'Shared Name', 8000).map((app, index) => ({ ...app, name: `Shared Name ${index + 2}` })), 'zero', 'Shared Name');
		const result = await runCommvault(sim, { parameters: create('Shared Name', 'returnExisting') });
		expect(result.error?.message).toContain('An instance by this name already exists.');
		expect(httpCodeOf(result.error)).toBe('409');
		expect(listRequests(sim, 'Exchange')).toHaveLength(1);
		expect(creates()).toBe(1);
	});

	it('a create whose answer was lost is neither looked up nor sent again: the item says the app may exist', async () => {
		sim.respondNext({ method: 'POST', path: '/V4/Office365/Exchange' }, { afterSimulating: true, destroySocket: true });
		const result = await runCommvault(sim, { parameters: create('Lost Answer', 'returnExisting') });
		expect(result.error?.message).toMatch(/may have created the Exchange app "Lost Answer"/);
		expect(creates()).toBe(1);
		expect(listRequests(sim, 'Exchange')).toEqual([]);
		expect(sim.app('Lost Answer')).toBeDefined();
	});

	it("Fail (the default): the 409 fails the item with Commvault's message, and nothing is looked up", async () => {
		existingExchangeApp();
		const result = await runCommvault(sim, { parameters: create(EXISTING) });
		expect(result.error?.message).toContain('An instance by this name already exists.');
		expect(listRequests(sim, 'Exchange')).toEqual([]);
	});

	it('is offered for the Microsoft 365 apps only: Commvault has no V4 list of Dynamics 365 apps to look one up in', () => {
		const optionsOf = (resource: string): string[] =>
			((new Commvault().description.properties.find(
				(p) => p.name === 'options' && (p.displayOptions?.show?.resource as string[]).includes(resource) && (p.displayOptions?.show?.operation as string[]).includes('create'),
			)?.options ?? []) as Array<{ name: string }>).map((option) => option.name);
		expect(optionsOf('dynamics365App')).not.toContain('ifExists');
		for (const resource of ['exchangeApp', 'oneDriveApp', 'sharePointApp', 'teamsApp']) expect(optionsOf(resource)).toContain('ifExists');
	});
});
