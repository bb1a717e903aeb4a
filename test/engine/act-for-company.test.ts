/**
 * Options > Act for Company (node-contract.md, "Every operation: options.actForCompany"): every
 * request of every operation, plan lists and lookups included, carries `operatorCompanyId` when it
 * is set and none when not; items acting for different companies never mix, under concurrency;
 * a company name that matches none or two fails the item before anything else is sent; the
 * sign-in is the MSP's, shared; another credential's requests never carry a company.
 */
import type { INodeParameters, INodeProperties } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { runListSearch } from '../../testing/engine';
import { httpCodeOf, runCommvault, runCommvaultAtOnce, useSimulator } from '../../testing/engine/support/commvault';
import {
	byId,
	byName,
	companyHeader,
	fromList,
	nodeRequests,
	operationParameters,
	workloadOf,
} from '../../testing/engine/support/companies';
import { CommvaultErrors, CUSTOMERS, customerPlans, DEFAULT_AUTHTOKEN, generateProtectedItems, DEFAULT_USER, MSP_COMPANIES, MSP_PLANS, SHARED_PLAN_ID, TWINS } from '../../testing/simulator';

const sim = useSimulator({ companies: MSP_COMPANIES, plans: MSP_PLANS });
const [contoso, fabrikam, northwind] = CUSTOMERS;
const PASSWORD = { authentication: 'password', username: DEFAULT_USER.username, password: DEFAULT_USER.password };
const description = new Commvault().description;

/** Every resource › operation the node offers, read from its description. */
function everyOperation(): Array<[string, string]> {
	const operationLists = description.properties.filter((property) => property.name === 'operation');
	return operationLists.flatMap((list) => {
		const [resource] = (list.displayOptions?.show?.resource ?? []) as string[];
		return (list.options ?? []).map((option) => [resource, String((option as { value: string }).value)] as [string, string]);
	});
}

function withOptions(parameters: INodeParameters, options: INodeParameters): INodeParameters {
	return { ...parameters, options: { ...(parameters.options as INodeParameters | undefined), ...options } };
}

describe('the option, on every operation', () => {
	it.each(everyOperation())('%s › %s has Options > Act for Company: a company locator listing GET /V4/company, empty by default', (resource, operation) => {
		const options = description.properties.find(
			(property) =>
				property.name === 'options' &&
				(property.displayOptions?.show?.resource as string[] | undefined)?.includes(resource) &&
				(property.displayOptions?.show?.operation as string[] | undefined)?.includes(operation),
		);
		const option = (options?.options as INodeProperties[] | undefined)?.find((candidate) => candidate.name === 'actForCompany');
		expect(option).toMatchObject({ type: 'resourceLocator', default: { mode: 'list', value: '' } });
		expect(option?.modes?.map((mode) => mode.name)).toEqual(['list', 'id', 'name']);
		expect(option?.modes?.[0].typeOptions?.searchListMethod).toBe('searchCompanies');
		expect(typeof new Commvault().methods.listSearch.searchCompanies).toBe('function');
	});
});

describe('the header on every request of every operation', () => {
	/** An app of Contoso's; for the job resource, a job of such an app. */
	const seedApp = (resource: string, name: string): number => {
		const app = sim.addApp({ name, workload: resource === 'job' ? 'Exchange' : workloadOf(resource), companyId: contoso.id });
		return resource === 'job' ? sim.jobs.add({ clientId: app.id, clientName: app.name }).jobId : app.id;
	};

	it.each(everyOperation())('%s › %s: set, every request carries the company; not set, none does', async (resource, operation) => {
		const parameters = operationParameters(resource, operation, contoso, seedApp(resource, `Seeded ${resource}`));
		if (!parameters) throw new Error(`testing/engine/support/companies.ts has no parameters for ${resource} › ${operation}: add them`);

		const acting = await runCommvault(sim, { parameters: withOptions(parameters, { actForCompany: byId(contoso.id) }), credentials: PASSWORD });
		expect(acting.error).toBeUndefined();
		const sent = nodeRequests(sim.requests);
		expect(sent.length).toBeGreaterThan(0);
		expect(sent.map((request) => `${request.method} ${request.path} ${companyHeader(request)}`)).toEqual(
			sent.map((request) => `${request.method} ${request.path} ${contoso.id}`),
		);
		// The sign-in is the MSP's own: it never acts for a company.
		expect(sim.requestsTo('POST', '/Login').map(companyHeader)).toEqual([undefined]);

		// The same operation, the company left empty: its own requests carry none (the MSP sees every plan and app).
		sim.clearRequests();
		const plain = withOptions(operationParameters(resource, operation, contoso, seedApp(resource, `Seeded ${resource} again`), ' again') ?? {}, {
			actForCompany: fromList(''),
		});
		const notActing = await runCommvault(sim, { parameters: plain, credentials: PASSWORD });
		expect(notActing.error).toBeUndefined();
		expect(nodeRequests(sim.requests).length).toBeGreaterThan(0);
		expect(sim.requests.filter((request) => companyHeader(request) !== undefined)).toEqual([]);
	});

	it('picked from the list it is the same: the id of the company picked', async () => {
		const result = await runCommvault(sim, {
			parameters: withOptions(operationParameters('exchangeApp', 'getMany', fabrikam, 0) ?? {}, { actForCompany: fromList(fabrikam.id) }),
		});
		expect(result.error).toBeUndefined();
		expect(nodeRequests(sim.requests).map(companyHeader)).toEqual([String(fabrikam.id)]);
	});
});

describe('items acting for different companies in one run', () => {
	const ITEMS = 30;
	const items = Array.from({ length: ITEMS }, (_, i) => {
		const customer = CUSTOMERS[i % CUSTOMERS.length];
		return { json: { companyId: customer.id, company: customer.name, name: `${customer.name} tenant ${String(i).padStart(2, '0')}` } };
	});
	const customerOfName = (name: string): (typeof CUSTOMERS)[number] => {
		const found = CUSTOMERS.find((customer) => name.startsWith(`${customer.name} `));
		if (!found) throw new Error(`no customer for ${name}`);
		return found;
	};

	it.each([
		['by ID', { __rl: true, mode: 'id', value: '={{ $json.companyId }}' }],
		['by name', { __rl: true, mode: 'name', value: '={{ $json.company }}' }],
	])('a mixed batch of 3 companies %s under concurrency 10: each request carries its own item\'s company, plans included', async (_mode, locator) => {
		sim.latencyMs = (request) => (request.method === 'POST' ? 5 + (request.seq % 7) * 3 : 2);
		try {
			const result = await runCommvault(sim, {
				parameters: {
					resource: 'exchangeApp',
					operation: 'create',
					name: '={{ $json.name }}',
					serverPlan: { __rl: true, mode: 'name', value: '={{ $json.company }} Gold' },
					applicationId: operationParameters('exchangeApp', 'create', contoso, 0)?.applicationId ?? '',
					applicationSecret: 'canary-secret',
					azureDirectoryId: operationParameters('exchangeApp', 'create', contoso, 0)?.azureDirectoryId ?? '',
					additionalFields: { office365Plan: { __rl: true, mode: 'name', value: '={{ $json.company }} Mail' } },
					options: { concurrency: 10, actForCompany: locator },
				},
				items,
				credentials: PASSWORD,
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(ITEMS);
			expect(sim.peakInFlight).toBeGreaterThan(3);

			// Every create and content request carries the company of the item it was sent for.
			const creates = sim.requestsTo('POST', '/V4/Office365/Exchange');
			expect(creates).toHaveLength(ITEMS);
			for (const request of creates) {
				const { name } = request.body as { name: string };
				expect([name, companyHeader(request)]).toEqual([name, String(customerOfName(name).id)]);
			}
			for (const app of sim.apps) {
				const customer = customerOfName(app.name);
				expect({ app: app.name, company: app.company, plan: app.serverPlan.id, content: app.content.map((c) => c.plan.id) }).toEqual({
					app: app.name,
					company: { id: customer.id, name: customer.name },
					plan: customerPlans(customer).server.id,
					content: [customerPlans(customer).office365.id],
				});
			}
			// One plan listing per company, each sent as that company; a name lookup of the companies as the MSP.
			expect(sim.requestsTo('GET', '/V4/Plan/Summary').map(companyHeader).sort()).toEqual(CUSTOMERS.map((c) => String(c.id)).sort());
			expect(sim.requestsTo('GET', '/V4/company').map(companyHeader)).toEqual(_mode === 'by name' ? [undefined] : []);
			// One sign-in for the whole batch, whatever the companies.
			expect(sim.requestsTo('POST', '/Login')).toHaveLength(1);
			expect(nodeRequests(sim.requests).every((request) => companyHeader(request) !== undefined || request.path === '/V4/company')).toBe(true);
		} finally {
			sim.latencyMs = 0;
		}
	});

	it('a plan of another company is not found: the item acting for Contoso cannot use Fabrikam\'s plan', async () => {
		const parameters = operationParameters('exchangeApp', 'create', contoso, 0) ?? {};
		const result = await runCommvault(sim, {
			parameters: withOptions({ ...parameters, serverPlan: byName(customerPlans(fabrikam).server.name), additionalFields: {} }, { actForCompany: byId(contoso.id) }),
		});
		expect(result.error?.message).toMatch(/no server plan is named "Fabrikam Gold"/);
		expect(sim.requestsTo('POST', '/V4/Office365/Exchange')).toHaveLength(0);

		sim.clearRequests();
		const byItsId = await runCommvault(sim, {
			parameters: withOptions({ ...parameters, serverPlan: byId(customerPlans(fabrikam).server.id), additionalFields: {} }, { actForCompany: byId(contoso.id) }),
		});
		expect(byItsId.error?.message).toContain(`Plan with id ${customerPlans(fabrikam).server.id} does not exist`);
		// The error says for which company the request was sent.
		expect(byItsId.error?.description).toContain(`to POST /V4/Office365/Exchange for company ${contoso.id}.`);
		expect(sim.apps).toHaveLength(0);
	});
});

describe("another company's app, through the whole lifecycle", () => {
	/** Fabrikam's mailbox app, with a mailbox and a finished backup job. */
	const seedTheirs = (): { appId: number; jobId: number } => {
		const appId = sim.addApp({ name: 'Fabrikam mail', workload: 'Exchange', companyId: fabrikam.id }).id;
		sim.protection.set(appId, generateProtectedItems(1, { prefix: 'Fabrikam' }));
		return { appId, jobId: sim.jobs.add({ clientId: appId, runSeconds: 0 }).jobId };
	};
	const run = (parameters: INodeParameters, company: { id: number }) =>
		runCommvault(sim, { parameters: withOptions(parameters, { actForCompany: byId(company.id) }), credentials: PASSWORD });

	it("acting for Contoso, Fabrikam's app cannot be backed up nor its items listed: Commvault does not know it", async () => {
		const { appId } = seedTheirs();
		const backup = await run({ resource: 'exchangeApp', operation: 'backup', appId }, contoso);
		expect(httpCodeOf(backup.error)).toBe('404');
		expect(backup.error?.message).toContain(`Exchange app with id ${appId} does not exist`);
		expect(sim.protection.backups).toEqual([]);

		const items = await run({ resource: 'exchangeApp', operation: 'getProtectedItems', appId, returnAll: true }, contoso);
		expect(httpCodeOf(items.error)).toBe('404');
		expect(items.items).toEqual([]);

		// Acting for Fabrikam, the same two work.
		expect((await run({ resource: 'exchangeApp', operation: 'getProtectedItems', appId, returnAll: true }, fabrikam)).items).toHaveLength(1);
		expect((await run({ resource: 'exchangeApp', operation: 'backup', appId }, fabrikam)).error).toBeUndefined();
		expect(sim.protection.backups.map((started) => started.appId)).toEqual([appId]);
	});

	it("acting for Contoso, Fabrikam's jobs are not seen: Job › Get fails naming the id, Job › Get Many leaves them out", async () => {
		const { appId, jobId } = seedTheirs();
		const ours = sim.jobs.add({ clientId: sim.addApp({ name: 'Contoso mail', workload: 'Exchange', companyId: contoso.id }).id, runSeconds: 0 }).jobId;

		const get = await run({ resource: 'job', operation: 'get', jobId }, contoso);
		expect(get.error?.message).toContain(String(jobId));
		expect(get.items).toEqual([]);

		const jobIdsOf = (result: { items: Array<{ json: { jobId?: unknown } }> }): unknown[] => result.items.map((item) => item.json.jobId);
		expect(jobIdsOf(await run({ resource: 'job', operation: 'getMany', returnAll: true }, contoso))).toEqual([ours]);
		expect(jobIdsOf(await run({ resource: 'job', operation: 'getMany', returnAll: true, filters: { appId } }, contoso))).toEqual([]);
		expect(jobIdsOf(await run({ resource: 'job', operation: 'get', jobId }, fabrikam))).toEqual([jobId]);
	});
});

describe('a company name that matches none or two', () => {
	const getMany = (company: string): INodeParameters => withOptions({ resource: 'teamsApp', operation: 'getMany' }, { actForCompany: byName(company) });

	it.each([
		['no company', 'Nobody Inc', /Options > Act for Company: no company is named "Nobody Inc"/],
		['two companies (case does not matter)', 'TAILSPIN', new RegExp(`2 companies are named "TAILSPIN" \\(IDs ${TWINS[0].id}, ${TWINS[1].id}\\); select the company by ID`)],
	])('%s: the item fails, naming the field, before anything else is sent', async (_case, name, message) => {
		const result = await runCommvault(sim, { parameters: getMany(name) });
		expect(result.error?.message).toMatch(message);
		expect(nodeRequests(sim.requests).map((request) => `${request.method} ${request.path}`)).toEqual(['GET /V4/company']);
	});

	it('with Continue On Fail the other items go on, each as its own company; the companies are listed once', async () => {
		const result = await runCommvault(sim, {
			parameters: withOptions({ resource: 'teamsApp', operation: 'getMany' }, { actForCompany: { __rl: true, mode: 'name', value: '={{ $json.company }}' } }),
			items: [{ json: { company: 'Nobody Inc' } }, { json: { company: 'tailspin' } }, { json: { company: ' northwind ' } }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => [item.pairedItem, typeof item.json.error === 'string' ? 'error' : 'ok'])).toEqual([
			[{ item: 0 }, 'error'],
			[{ item: 1 }, 'error'],
		]);
		// Northwind has no Teams app: its item gives no item, and its one request was sent as Northwind.
		expect(sim.requestsTo('GET', '/V4/Office365/Teams').map(companyHeader)).toEqual([String(northwind.id)]);
		expect(sim.requestsTo('GET', '/V4/company')).toHaveLength(1);
	});
});

describe('the lookup and the ID', () => {
	it('an ID pasted with invisible marks around is sent without them', async () => {
		const result = await runCommvault(sim, { parameters: withOptions({ resource: 'teamsApp', operation: 'getMany' }, { actForCompany: byId(`\u200E ${fabrikam.id}\uFEFF`) }) });
		expect(result.error).toBeUndefined();
		expect(nodeRequests(sim.requests).map(companyHeader)).toEqual([String(fabrikam.id)]);
	});

	it('a request sent again (after a 429, after an expired login token) carries the company again; the new sign-in none', async () => {
		const path = '/V4/Office365/Exchange';
		sim.respondNext({ method: 'POST', path }, CommvaultErrors.rateLimited(0));
		sim.respondNext({ method: 'POST', path }, { status: 401, body: { errorMessage: 'Token expired', errorCode: 1 } });
		const parameters = { ...(operationParameters('exchangeApp', 'create', contoso, 0) ?? {}), additionalFields: {} };
		const result = await runCommvault(sim, { parameters: withOptions(parameters, { actForCompany: byId(contoso.id) }), credentials: PASSWORD });
		expect(result.error).toBeUndefined();
		expect(sim.requestsTo('POST', path).map((request) => [request.status, companyHeader(request)])).toEqual([
			[429, String(contoso.id)],
			[401, String(contoso.id)],
			[200, String(contoso.id)],
		]);
		expect(sim.requestsTo('POST', '/Login').map(companyHeader)).toEqual([undefined, undefined]);
	});

	it('a company listing that fails fails every item waiting on it together, with one request and nothing else sent', async () => {
		sim.latencyMs = 20;
		sim.failNext({ method: 'GET', path: '/V4/company' }, CommvaultErrors.unavailable());
		try {
			const result = await runCommvault(sim, {
				parameters: withOptions({ resource: 'teamsApp', operation: 'getMany' }, { actForCompany: { __rl: true, mode: 'name', value: '={{ $json.company }}' } }),
				items: CUSTOMERS.map((customer) => ({ json: { company: customer.name } })),
				continueOnFail: true,
			});
			expect(result.items.map((item) => [item.pairedItem, item.json.error])).toEqual(
				CUSTOMERS.map((_, i) => [{ item: i }, 'Service is temporarily unavailable. Please try again later.']),
			);
			expect(nodeRequests(sim.requests).map((request) => `${request.method} ${request.path}`)).toEqual(['GET /V4/company']);
		} finally {
			sim.latencyMs = 0;
		}
	});
});

describe('credentials and runs', () => {
	it("a company id never reaches another credential's requests, when two runs share the process", async () => {
		const create = (customer: (typeof CUSTOMERS)[number], name: string): INodeParameters => ({
			...(operationParameters('oneDriveApp', 'create', customer, 0) ?? {}),
			name,
			additionalFields: {},
		});
		const [acting, plain] = await runCommvaultAtOnce(sim, [
			{
				parameters: withOptions(create(contoso, '={{ "Acting " + $itemIndex }}'), { actForCompany: byId(contoso.id), concurrency: 5 }),
				items: Array.from({ length: 10 }, () => ({ json: {} })),
			},
			{
				parameters: withOptions({ ...create(contoso, '={{ "Plain " + $itemIndex }}'), serverPlan: byName('Server-Gold') }, { concurrency: 5 }),
				items: Array.from({ length: 10 }, () => ({ json: {} })),
				credentials: PASSWORD,
			},
		]);
		expect(acting.error).toBeUndefined();
		expect(plain.error).toBeUndefined();
		const byAuthtoken = (request: (typeof sim.requests)[number]): boolean => request.headers.authtoken?.endsWith(DEFAULT_AUTHTOKEN) === true;
		const others = nodeRequests(sim.requests).filter((request) => !byAuthtoken(request));
		expect(others.length).toBeGreaterThanOrEqual(11);
		expect(others.filter((request) => companyHeader(request) !== undefined)).toEqual([]);
		expect(nodeRequests(sim.requests).filter(byAuthtoken).every((request) => companyHeader(request) === String(contoso.id))).toBe(true);
		expect(sim.apps.filter((app) => app.name.startsWith('Plain')).every((app) => app.company.id === 0)).toBe(true);
	});
});

describe('pickers', () => {
	const search = async (method: string, parameters: INodeParameters, filter?: string): Promise<Awaited<ReturnType<typeof runListSearch>>> =>
		await runListSearch({
			nodeType: Commvault,
			credentialTypes: [CommvaultApi],
			credentials: { commvaultApi: { baseUrl: sim.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } },
			method,
			parameters,
			filter,
		});

	it("with a company set, a plan picker lists that company's plans (and those the MSP gave it), asked as that company", async () => {
		const outcome = await search('searchServerPlans', withOptions({ resource: 'exchangeApp', operation: 'create' }, { actForCompany: byName('contoso') }));
		expect(outcome.results).toEqual([
			{ name: customerPlans(contoso).server.name, value: String(customerPlans(contoso).server.id) },
			{ name: 'Server-Silver', value: String(SHARED_PLAN_ID) },
		]);
		expect(sim.requestsTo('GET', '/V4/company').map(companyHeader)).toEqual([undefined]);
		expect(sim.requestsTo('GET', '/V4/Plan/Summary').map(companyHeader)).toEqual([String(contoso.id)]);
	});

	it('without one, the plans of every company', async () => {
		const outcome = await search('searchOffice365Plans', { resource: 'exchangeApp', operation: 'addContent' });
		expect(outcome.results.map((result) => result.name)).toEqual(expect.arrayContaining(CUSTOMERS.map((c) => `${c.name} Mail`)));
		expect(sim.requests.filter((request) => companyHeader(request) !== undefined)).toEqual([]);
	});

	it('an Act for Company the editor cannot work out (an expression on the input) fails the plan picker saying so, listing nothing', async () => {
		const parameters = withOptions({ resource: 'exchangeApp', operation: 'create' }, { actForCompany: byId('={{ $json.companyId }}') });
		await expect(search('searchServerPlans', parameters)).rejects.toThrow(/Options > Act for Company: is an expression the editor cannot work out/);
		expect(sim.requests).toEqual([]);
	});

	it('a company name that matches two fails the plan picker with the same words as a run', async () => {
		await expect(search('searchServerPlans', withOptions({ resource: 'exchangeApp', operation: 'create' }, { actForCompany: byName('Tailspin') }))).rejects.toThrow(
			/2 companies are named "Tailspin"/,
		);
		expect(sim.requestsTo('GET', '/V4/Plan/Summary')).toHaveLength(0);
	});

	it('the company picker lists the companies by name (not the deleted), twins with their IDs, a deactivated one so marked, the ID as value', async () => {
		const deactivated = sim.company(fabrikam.id);
		if (deactivated) deactivated.status = 'DEACTIVATED';
		const outcome = await search('searchCompanies', { resource: 'exchangeApp', operation: 'create' });
		expect(outcome.results).toEqual([
			{ name: 'Contoso', value: String(contoso.id) },
			{ name: 'Fabrikam (DEACTIVATED)', value: String(fabrikam.id) },
			{ name: 'Northwind', value: String(northwind.id) },
			{ name: `Tailspin (ID ${TWINS[0].id})`, value: String(TWINS[0].id) },
			{ name: `tailspin (ID ${TWINS[1].id})`, value: String(TWINS[1].id) },
		]);
		const filtered = await search('searchCompanies', { resource: 'exchangeApp', operation: 'create' }, ' TAIL');
		expect(filtered.results.map((result) => result.value)).toEqual(TWINS.map((twin) => String(twin.id)));
	});
});
