/**
 * The simulator's companies: `GET /V4/company` (deleted companies only when asked), create,
 * details and deactivation, and the `operatorCompanyId` header scoping plans, apps and companies
 * as a tenant operator of that company sees them.
 */
import { base64, CallResult } from '../../testing/simulator/http-client';
import { CUSTOMERS, customerPlans, generateProtectedItems, DELETED_COMPANY, MSP_COMPANIES, MSP_PLANS, SHARED_PLAN_ID, TWINS } from '../../testing/simulator';
import { useSimulator } from '../../testing/simulator/use-simulator';

const [contoso, fabrikam] = CUSTOMERS;
const actingFor = (id: number | string): { headers: Record<string, string> } => ({ headers: { operatorCompanyId: String(id) } });
const namesOf = (res: CallResult): string[] => (res.json as { companies: Array<{ name: string }> }).companies.map((c) => c.name);
const planIdsOf = (res: CallResult): number[] => (res.json as { plans: Array<{ plan: { id: number } }> }).plans.map((p) => p.plan.id);

function exchangeBody(name: string, serverPlan: number): Record<string, unknown> {
	return { name, serverPlan: { id: serverPlan }, azureApp: { applicationId: 'app', applicationSecret: base64('s'), azureDirectoryId: 'dir' } };
}

describe('GET /V4/company', () => {
	const { sim, req } = useSimulator({ companies: MSP_COMPANIES, plans: MSP_PLANS });

	it('lists every company but the deleted ones, with companyCount, as CompanyListResponse', async () => {
		const res = await req('GET', '/V4/company');
		expect(res.status).toBe(200);
		expect(namesOf(res)).toEqual([...CUSTOMERS, ...TWINS].map((c) => c.name));
		expect((res.json as { companyCount: number }).companyCount).toBe(5);
		expect(sim().lastRequest).toMatchObject({ valid: true, operationId: 'GetCompanies' });
	});

	it('includeDeletedCompanies=true brings the deleted ones too; an undeclared query (paging) is refused', async () => {
		expect(namesOf(await req('GET', '/V4/company?includeDeletedCompanies=true'))).toContain(DELETED_COMPANY.name);
		const paged = await req('GET', '/V4/company?pageNumber=0&pageSize=10');
		expect(paged.status).toBe(400);
		expect(paged.text).toMatch(/unknown query parameter/);
	});

	it('acting for a company lists that company only', async () => {
		expect(namesOf(await req('GET', '/V4/company', actingFor(fabrikam.id)))).toEqual([fabrikam.name]);
	});
});

describe('the operatorCompanyId header', () => {
	const { sim, req } = useSimulator({ companies: MSP_COMPANIES, plans: MSP_PLANS });

	it("scopes the plan summary to the company's own plans and those the MSP gave it", async () => {
		const own = customerPlans(contoso);
		expect(planIdsOf(await req('GET', '/V4/Plan/Summary', actingFor(contoso.id))).sort()).toEqual(
			[SHARED_PLAN_ID, own.server.id, own.office365.id, own.dynamics365.id].sort(),
		);
		expect(planIdsOf(await req('GET', '/V4/Plan/Summary'))).toHaveLength(MSP_PLANS.length);
	});

	it("a plan of another company is not found; the app created belongs to the company and only it lists the app", async () => {
		const theirs = customerPlans(fabrikam).server.id;
		const refused = await req('POST', '/V4/Office365/Exchange', { body: exchangeBody('Contoso mail', theirs), ...actingFor(contoso.id) });
		expect(refused.status).toBe(400);
		expect(refused.text).toContain(`Plan with id ${theirs} does not exist`);

		const created = await req('POST', '/V4/Office365/Exchange', { body: exchangeBody('Contoso mail', customerPlans(contoso).server.id), ...actingFor(contoso.id) });
		expect(created.status).toBe(200);
		const id = (created.json as { id: number }).id;
		expect(sim().app(id)?.company).toEqual({ id: contoso.id, name: contoso.name });

		const listed = (res: CallResult): number[] => (res.json as { clients: Array<{ id: number }> }).clients.map((c) => c.id);
		expect(listed(await req('GET', '/V4/Office365/Exchange', actingFor(contoso.id)))).toEqual([id]);
		expect(listed(await req('GET', '/V4/Office365/Exchange', actingFor(fabrikam.id)))).toEqual([]);
		expect(listed(await req('GET', '/V4/Office365/Exchange'))).toEqual([id]);

		const content = { type: 'ALL_MAILBOXES', office365plan: { id: customerPlans(fabrikam).office365.id } };
		expect((await req('PUT', `/V4/Office365/Exchange/${id}/Content`, { body: content, ...actingFor(fabrikam.id) })).status).toBe(404);
	});

	it("Back Up Now and the protected items of another company's app are a 404, as for an app that does not exist", async () => {
		const theirs = sim().addApp({ name: 'Fabrikam mail', workload: 'Exchange', companyId: fabrikam.id });
		sim().protection.set(theirs.id, generateProtectedItems(2));
		const backup = `/V4/Office365/Exchange/${theirs.id}/Backup`;
		const mailboxes = `/V4/Office365/Exchange/${theirs.id}/Mailboxes`;

		for (const res of [await req('POST', backup, { body: {}, ...actingFor(contoso.id) }), await req('GET', mailboxes, actingFor(contoso.id))]) {
			expect(res.status).toBe(404);
			expect(res.json).toEqual({ errorMessage: `Exchange app with id ${theirs.id} does not exist.`, errorCode: 4 });
		}
		expect(sim().protection.backups).toEqual([]);

		expect((await req('GET', mailboxes, actingFor(fabrikam.id))).status).toBe(200);
		expect((await req('POST', backup, { body: {}, ...actingFor(fabrikam.id) })).status).toBe(200);
		expect((await req('GET', mailboxes)).status).toBe(200);
		expect(sim().protection.backups.map((started) => started.appId)).toEqual([theirs.id]);
	});

	it("acting for a company, GET /Job/{jobId} and POST /Jobs see the jobs of that company's apps only", async () => {
		const ours = sim().addApp({ name: 'Contoso mail', workload: 'Exchange', companyId: contoso.id });
		const theirs = sim().addApp({ name: 'Fabrikam mail', workload: 'Exchange', companyId: fabrikam.id });
		const ourJob = sim().jobs.add({ clientId: ours.id }).jobId;
		const theirJob = sim().jobs.add({ clientId: theirs.id }).jobId;
		const jobIds = (res: CallResult): number[] => (res.json as { jobs: Array<{ jobSummary: { jobId: number } }> }).jobs.map((job) => job.jobSummary.jobId);

		expect(jobIds(await req('GET', `/Job/${theirJob}`, actingFor(contoso.id)))).toEqual([]);
		expect(jobIds(await req('GET', `/Job/${ourJob}`, actingFor(contoso.id)))).toEqual([ourJob]);
		expect(sim().jobs.get(theirJob)?.polls).toBe(0);
		const listed = await req('POST', '/Jobs', { body: { jobFilter: { clientList: [{ clientId: ours.id }, { clientId: theirs.id }] } }, ...actingFor(contoso.id) });
		expect(jobIds(listed)).toEqual([ourJob]);
		expect((listed.json as { totalRecordsWithoutPaging: number }).totalRecordsWithoutPaging).toBe(1);
		expect(jobIds(await req('POST', '/Jobs', { body: {}, ...actingFor(fabrikam.id) }))).toEqual([theirJob]);
		expect(jobIds(await req('POST', '/Jobs', { body: {} })).sort()).toEqual([ourJob, theirJob].sort());
		expect(jobIds(await req('GET', `/Job/${theirJob}`))).toEqual([theirJob]);
	});

	it('naming a company that does not exist, or a deleted one, is refused before anything is done', async () => {
		for (const id of [999, DELETED_COMPANY.id]) {
			const res = await req('POST', '/V4/Office365/Exchange', { body: exchangeBody(`App ${id}`, SHARED_PLAN_ID), ...actingFor(id) });
			expect(res.status).toBe(403);
		}
		expect((await req('GET', '/V4/Plan/Summary', actingFor('abc'))).status).toBe(400);
		expect(sim().apps).toHaveLength(0);
	});
});

describe('POST /V4/company, GET and PUT /V4/company/{companyId}', () => {
	const { sim, req } = useSimulator({ companies: MSP_COMPANIES, plans: MSP_PLANS });

	it('creates a company (IdName), with its tenant admin and the plans it may use', async () => {
		const res = await req('POST', '/V4/company', {
			body: { name: 'Woodgrove', alias: 'woodgrove', email: 'admin@woodgrove.example', contactName: 'Ada Admin', plans: [{ id: 1 }, { id: SHARED_PLAN_ID }] },
		});
		expect(res.status).toBe(200);
		const { id } = res.json as { id: number };
		expect(res.json).toEqual({ id, name: 'Woodgrove' });
		expect(sim().company(id)).toMatchObject({ alias: 'woodgrove', status: 'ACTIVE', planIds: [1, SHARED_PLAN_ID], email: 'admin@woodgrove.example' });
		const details = await req('GET', `/V4/company/${id}`);
		expect(details.json).toMatchObject({ id, plans: [{ id: 1 }, { id: SHARED_PLAN_ID }], contacts: [{ email: 'admin@woodgrove.example' }] });
		// The new company sees the plans it was given.
		expect(planIdsOf(await req('GET', '/V4/Plan/Summary', actingFor(id))).sort()).toEqual([1, SHARED_PLAN_ID]);
	});

	it('refuses a taken name or alias, email without contactName, an unknown plan, and a body without alias', async () => {
		const bodies = [
			{ name: 'contoso', alias: 'new' },
			{ name: 'New', alias: 'contoso' },
			{ name: 'New', alias: 'new', email: 'a@b.example' },
			{ name: 'New', alias: 'new', plans: [{ id: 77 }] },
			{ name: 'New' },
		];
		for (const body of bodies) expect((await req('POST', '/V4/company', { body })).status).toBe(400);
		expect(sim().companies).toHaveLength(MSP_COMPANIES.length);
	});

	it('deactivates with the three options (GenericResp), and an unknown or deleted company is 404', async () => {
		const body = { status: { deactivate: true, options: { disableBackup: true, disableRestore: false, disableLogin: true } } };
		const res = await req('PUT', `/V4/company/${contoso.id}`, { body });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ errorCode: 0, errorMessage: null });
		expect(sim().company(contoso.id)).toMatchObject({ status: 'DEACTIVATED', deactivation: body.status.options });
		expect((await req('PUT', `/V4/company/${DELETED_COMPANY.id}`, { body })).status).toBe(404);
		expect((await req('PUT', '/V4/company/9999', { body })).status).toBe(404);
		expect((await req('PUT', `/V4/company/${fabrikam.id}`, { body: { status: { options: { disableLogin: true } } } })).status).toBe(400);
	});
});
