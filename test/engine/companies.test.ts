/**
 * The company resource inside n8n's engine (node-contract.md, "Resource company"): Create posts
 * CreateCompany, Get Many lists GET /V4/company, Deactivate puts UpdateCompany's status. Bodies as
 * Commvault receives them, outputs as the contract says, errors before anything is sent, and a
 * create whose answer was lost is never sent again.
 */
import type { INodeParameters } from 'n8n-workflow';

import { runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { byId, byName, companyHeader, fromList, nodeRequests } from '../../testing/engine/support/companies';
import { CommvaultErrors, CUSTOMERS, DELETED_COMPANY, MSP_COMPANIES, MSP_PLANS, SHARED_PLAN_ID, TWINS } from '../../testing/simulator';

const sim = useSimulator({ companies: MSP_COMPANIES, plans: MSP_PLANS });
const [contoso, fabrikam] = CUSTOMERS;

const create = (overrides: INodeParameters = {}): INodeParameters => ({ resource: 'company', operation: 'create', name: 'Woodgrove', alias: 'woodgrove', ...overrides });
const getMany = (overrides: INodeParameters = {}): INodeParameters => ({ resource: 'company', operation: 'getMany', ...overrides });
const deactivate = (companyId: INodeParameters, overrides: INodeParameters = {}): INodeParameters => ({
	resource: 'company',
	operation: 'deactivate',
	companyId,
	...overrides,
});
const posted = (): unknown[] => sim.requestsTo('POST', '/V4/company').map((request) => request.body);

describe('Company › Create', () => {
	it('posts name and alias, outputs {id, name} as Commvault returned them', async () => {
		const result = await runCommvault(sim, { parameters: create({ name: ' Woodgrove Bank\u200B', alias: '\uFEFFwoodgrove ' }) });
		expect(result.error).toBeUndefined();
		expect(posted()).toEqual([{ name: 'Woodgrove Bank', alias: 'woodgrove' }]);
		expect(sim.requestsTo('POST', '/V4/company')[0].rawBody).toBe('{"name":"Woodgrove Bank","alias":"woodgrove"}');
		const created = sim.company('Woodgrove Bank');
		expect(result.items.map((item) => item.json)).toEqual([{ id: created?.id, name: 'Woodgrove Bank' }]);
	});

	it.each([
		['"12, 31" text', `${SHARED_PLAN_ID}, 1`],
		['spaces and brackets', `[ ${SHARED_PLAN_ID} 1 ]`],
		['a list from an expression', `={{ [${SHARED_PLAN_ID}, "1", ${SHARED_PLAN_ID}] }}`],
	])('with the tenant admin and plan IDs as %s: plans [{id}…] each once, email and contactName', async (_form, plans) => {
		const result = await runCommvault(sim, {
			parameters: create({ additionalFields: { email: 'ada@woodgrove.example', contactName: 'Ada Admin', plans } }),
		});
		expect(result.error).toBeUndefined();
		expect(posted()).toEqual([
			{ name: 'Woodgrove', alias: 'woodgrove', email: 'ada@woodgrove.example', contactName: 'Ada Admin', plans: [{ id: SHARED_PLAN_ID }, { id: 1 }] },
		]);
		expect(sim.company('Woodgrove')?.planIds).toEqual([SHARED_PLAN_ID, 1]);
	});

	it.each([
		['the email without the name', { email: 'ada@woodgrove.example' }, /^Tenant Admin Name: is needed with Tenant Admin Email \(item 0\)$/],
		['the name without the email', { contactName: 'Ada Admin' }, /^Tenant Admin Email: is needed with Tenant Admin Name \(item 0\)$/],
		['an email that is not one', { email: 'ada', contactName: 'Ada' }, /^Tenant Admin Email: is not an email address: "ada" \(item 0\)$/],
		['a plan ID that is not one', { plans: '12, Gold' }, /^Plan IDs: must be a positive whole number \(an ID\), got "Gold" \(item 0\)$/],
	])('%s fails the item, naming the field, before anything is sent', async (_case, additionalFields, message) => {
		const result = await runCommvault(sim, { parameters: create({ additionalFields }) });
		expect(result.error?.message).toMatch(message);
		expect(nodeRequests(sim.requests)).toEqual([]);
	});

	it.each([
		['name', { name: ' ' }, /^Company Name: is required/],
		['alias (from an expression: n8n refuses an empty required field itself)', { alias: '={{ "" }}' }, /^Alias: is required/],
	])('an empty %s fails the item, naming the field', async (_field, overrides, message) => {
		const result = await runCommvault(sim, { parameters: create(overrides) });
		expect(result.error?.message).toMatch(message);
		expect(posted()).toEqual([]);
	});

	it("Commvault's refusal (a taken name) fails the item with Commvault's own message", async () => {
		const result = await runCommvault(sim, { parameters: create({ name: 'contoso', alias: 'other' }) });
		expect(result.error?.message).toBe("A company with the name 'contoso' already exists.");
		expect(result.error?.description).toContain('HTTP 400');
	});

	it('an answer cut after Commvault created the company: it may exist, with its name; the create is not sent again', async () => {
		sim.respondNext({ method: 'POST', path: '/V4/company' }, { afterSimulating: true, destroySocket: true });
		const result = await runCommvault(sim, { parameters: create() });
		expect(result.error?.message).toMatch(/^Commvault may have created the company "Woodgrove": the request POST \/V4\/company was sent, but/);
		expect(posted()).toHaveLength(1);
		expect(sim.company('Woodgrove')).toBeDefined();
	});

	it('an answer that is not an IdName fails the item', async () => {
		sim.respondNext({ method: 'POST', path: '/V4/company' }, { body: { name: 'Woodgrove' } });
		const result = await runCommvault(sim, { parameters: create() });
		expect(result.error?.message).toMatch(/the created company \(an IdName with a positive whole-number id\)/);
	});
});

describe('Company › Get Many', () => {
	it('one item per company, Commvault\'s fields as returned, paired to the input item; no query without Include Deleted', async () => {
		const result = await runCommvault(sim, { parameters: getMany({ returnAll: true }) });
		expect(result.error).toBeUndefined();
		const [request] = sim.requestsTo('GET', '/V4/company');
		expect(request.query).toEqual({});
		expect(result.items.map((item) => item.json)).toEqual((request.responseBody as { companies: unknown[] }).companies);
		expect(result.items.map((item) => item.json.name)).toEqual([...CUSTOMERS, ...TWINS].map((company) => company.name));
		expect(result.items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
	});

	it('Include Deleted asks for includeDeletedCompanies=true and outputs the deleted company too', async () => {
		const result = await runCommvault(sim, { parameters: getMany({ returnAll: true, filters: { includeDeleted: true } }) });
		expect(sim.requestsTo('GET', '/V4/company')[0].query).toEqual({ includeDeletedCompanies: 'true' });
		expect(result.items.map((item) => item.json.name)).toContain(DELETED_COMPANY.name);
	});

	it('the limit (default 50) caps the companies from the one answer', async () => {
		const two = await runCommvault(sim, { parameters: getMany({ limit: 2 }) });
		expect(two.items.map((item) => item.json.id)).toEqual([contoso.id, fabrikam.id]);
		const byDefault = await runCommvault(sim, { parameters: getMany() });
		expect(byDefault.items).toHaveLength(5);
		expect(sim.requestsTo('GET', '/V4/company')).toHaveLength(2);
	});

	it('an answer that is not a company list fails the item', async () => {
		sim.respondNext({ method: 'GET', path: '/V4/company' }, { body: { companies: [{ name: 'no id' }] } });
		const result = await runCommvault(sim, { parameters: getMany() });
		expect(result.error?.message).toMatch(/a list of companies \(CompanyListResponse/);
	});
});

describe('Company › Deactivate', () => {
	it('puts the status with the three options (all true by default) and outputs {companyId, deactivated: true}', async () => {
		const result = await runCommvault(sim, { parameters: deactivate(fromList(contoso.id)) });
		expect(result.error).toBeUndefined();
		const [request] = sim.requestsTo('PUT', `/V4/company/${contoso.id}`);
		expect(request.rawBody).toBe('{"status":{"deactivate":true,"options":{"disableBackup":true,"disableRestore":true,"disableLogin":true}}}');
		expect(result.items.map((item) => item.json)).toEqual([{ companyId: contoso.id, deactivated: true }]);
		expect(sim.company(contoso.id)?.status).toBe('DEACTIVATED');
	});

	it('each option as set; by name, looked up case-insensitively, the lookup before the change', async () => {
		const result = await runCommvault(sim, { parameters: deactivate(byName(' FABRIKAM '), { disableBackup: false, disableLogin: false }) });
		expect(result.error).toBeUndefined();
		expect(nodeRequests(sim.requests).map((request) => `${request.method} ${request.path}`)).toEqual(['GET /V4/company', `PUT /V4/company/${fabrikam.id}`]);
		expect(sim.company(fabrikam.id)?.deactivation).toEqual({ disableBackup: false, disableRestore: true, disableLogin: false });
	});

	it.each([
		['a name no company has', byName('Nobody'), /^Company: no company is named "Nobody"/],
		['a name two companies have', byName('tailspin'), /^Company: 2 companies are named "tailspin"/],
		['nothing (from an expression)', fromList('={{ "" }}'), /^Company: is required: pick a company or enter its ID/],
		['an ID that is not one (from an expression)', byId('={{ "Contoso" }}'), /^Company: must be a positive whole number \(an ID\)/],
	])('%s fails the item before anything is changed', async (_case, companyId, message) => {
		const result = await runCommvault(sim, { parameters: deactivate(companyId) });
		expect(result.error?.message).toMatch(message);
		expect(sim.requests.filter((request) => request.method === 'PUT')).toEqual([]);
	});

	it("a company Commvault does not know fails with Commvault's message", async () => {
		const result = await runCommvault(sim, { parameters: deactivate(byId(9999)) });
		expect(result.error?.message).toBe('Company with id 9999 does not exist.');
	});

	it('acting for a company, the lookup and the change are sent as that company', async () => {
		const result = await runCommvault(sim, { parameters: deactivate(byName('Contoso'), { options: { actForCompany: byId(contoso.id) } }) });
		expect(result.error).toBeUndefined();
		expect(nodeRequests(sim.requests).map(companyHeader)).toEqual([String(contoso.id), String(contoso.id)]);
	});

	it('an answer cut after the change says Commvault may have deactivated the company', async () => {
		sim.respondNext({ method: 'PUT', path: `/V4/company/${contoso.id}` }, { afterSimulating: true, destroySocket: true });
		const result = await runCommvault(sim, { parameters: deactivate(byId(contoso.id)) });
		expect(result.error?.message).toMatch(new RegExp(`^Commvault may have deactivated the company ${contoso.id}`));
		expect(sim.requestsTo('PUT', `/V4/company/${contoso.id}`)).toHaveLength(1);
	});
});

it('a run that stops at a failed Company › Create names every company it created before (id and name), and nothing after is sent', async () => {
	const result = await runCommvault(sim, {
		parameters: create({ name: '={{ $json.name }}', alias: '={{ $json.name.toLowerCase().replace(/\\W+/g, "") }}', options: { concurrency: 1 } }),
		// Contoso exists: the third item is refused; the fourth is never sent.
		items: ['Woodgrove', 'Tailspin Toys', contoso.name, 'Litware'].map((name) => ({ json: { name } })),
	});
	const [woodgrove, tailspin] = ['Woodgrove', 'Tailspin Toys'].map((name) => sim.company(name));
	expect(result.error?.message).toBe(
		`A company with the name '${contoso.name}' already exists. Before the run stopped, it created 2 companies in Commvault (listed in the details): do not create them again.`,
	);
	expect(result.error?.description).toContain(`Companies this run created (id and name): ${woodgrove?.id} "Woodgrove", ${tailspin?.id} "Tailspin Toys".`);
	expect(result.error?.description).not.toContain('Apps this run created');
	expect(posted().map((body) => (body as { name: string }).name)).toEqual(['Woodgrove', 'Tailspin Toys', contoso.name]);
});

it('one company created before the stop: "1 company", "it"', async () => {
	const result = await runCommvault(sim, {
		parameters: create({ name: '={{ $json.name }}', alias: '={{ $json.name.toLowerCase() }}', options: { concurrency: 1 } }),
		items: ['Woodgrove', fabrikam.name].map((name) => ({ json: { name } })),
	});
	expect(result.error?.message).toMatch(/\. Before the run stopped, it created 1 company in Commvault \(listed in the details\): do not create it again\.$/);
	expect(result.error?.description).toContain(`Companies this run created (id and name): ${sim.company('Woodgrove')?.id} "Woodgrove".`);
});

it('with Continue On Fail a failed company item comes out as {error} paired to it, and the others go on', async () => {
	sim.failNext({ method: 'POST', path: '/V4/company' }, CommvaultErrors.unavailable());
	const result = await runCommvault(sim, {
		parameters: create({ name: '={{ $json.name }}', alias: '={{ $json.name.toLowerCase() }}', options: { concurrency: 1 } }),
		items: [{ json: { name: 'First' } }, { json: { name: 'Second' } }],
		continueOnFail: true,
	});
	expect(result.items.map((item) => [item.pairedItem, item.json.error ?? item.json.name])).toEqual([
		[{ item: 0 }, 'Service is temporarily unavailable. Please try again later.'],
		[{ item: 1 }, 'Second'],
	]);
});
