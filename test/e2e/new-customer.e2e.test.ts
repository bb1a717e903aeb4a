/**
 * The example "New customer" (issue 24) in real n8n, every target of versions.json, imported as
 * users get it (examples/new-customer.json, unchanged) and run through the n8n CLI from its "Run
 * now" trigger (the CLI cannot submit its form): Company › Create → the customer's Exchange and
 * SharePoint apps created acting for the new company, the Azure app from a `commvaultAzureAppApi`
 * credential → Add Content → Back Up Now, each acting for it.
 *
 * Asserted on what Commvault received: the company created once, by the MSP itself; every request
 * after it carrying that company's `operatorCompanyId` but the sign-in, which carries none; the
 * apps the company's, their content added, their backups started, each request once and
 * schema-valid; and no secret in what n8n printed or stored.
 */
import type { IDataObject } from 'n8n-workflow';

import { secretsOf } from '../../testing/engine/support/canaries';
import { CommvaultSimulator, DEFAULT_USER, type RecordedRequest } from '../../testing/simulator';
import { loginTokenCanaries, loginTokensIssued } from '../../testing/e2e/commvault-target';
import { APPLICATION_ID, DIRECTORY_ID, loadExample, nodeNamed } from '../../testing/e2e/commvault-workflows';
import { ExampleFolder } from '../../testing/e2e/example-folder';
import { assertSuccess, outputItems, selectedTargets, type CredentialFixture } from '../../testing/e2e/n8n-cli';
import { HOOK_TIMEOUT, expectRun, expectSchemaValid, packedPackage } from './commvault-suite';

const EXAMPLE = loadExample('new-customer.json');
const WORKFLOW_ID = 'cvExampleNewCustmr';

/** The Azure app's secret, held only by its credential: a canary. */
const AZURE_SECRET = `canary-e2e-NewCustömer&<App>"Key'+ 3f7a`;

/** The sample answers of the example's "Run now" branch, as the form would give them. */
const SAMPLE = nodeNamed(EXAMPLE, 'Sample answers').parameters as { assignments: { assignments: Array<{ name: string; value: string }> } };
const sample = (label: string): string => {
	const found = SAMPLE.assignments.assignments.find((assignment) => assignment.name === label);
	if (!found) throw new Error(`the example's Sample answers has no "${label}"`);
	return found.value;
};
const CUSTOMER = sample('Customer name');

/** The example's credentials (by the ids it names): the MSP's sign-in by password, so that there is a sign-in to check. */
function credentials(commvaultUrl: string): CredentialFixture[] {
	return [
		{
			id: 'commvaultExample1',
			name: 'Commvault account',
			type: 'commvaultApi',
			data: { baseUrl: commvaultUrl, authentication: 'password', username: DEFAULT_USER.username, password: DEFAULT_USER.password },
		},
		{
			id: 'commvaultAzureApp1',
			name: 'Azure app registration',
			type: 'commvaultAzureAppApi',
			data: { applicationId: APPLICATION_ID, applicationSecret: AZURE_SECRET, azureDirectoryId: DIRECTORY_ID },
		},
	];
}

const call = (request: RecordedRequest): string => `${request.method} ${request.path}`;
const companyOf = (request: RecordedRequest): string | undefined => request.headers.operatorcompanyid;

const tarball = packedPackage('n8n-e2e-new-customer-');

describe.each(selectedTargets().map((t) => [t.label, t] as const))('the New customer example in %s', (_label, spec) => {
	const sim = new CommvaultSimulator();
	const folder = new ExampleFolder();
	const loginTokens: string[] = [];

	beforeAll(async () => folder.setup(spec.label, tarball(), credentials(await sim.start()), [EXAMPLE]), HOOK_TIMEOUT);
	afterAll(() => sim.stop());

	it('the company first, by the MSP; then its apps, their content and their first backups, every request acting for it', async () => {
		const run = await folder.execute(WORKFLOW_ID);
		loginTokens.push(...loginTokensIssued(sim));
		assertSuccess(run);

		expectRun(run, () => {
			expectSchemaValid(sim.requests);

			// The company, once, as the form described it; created by the MSP itself (no company yet).
			const creates = sim.requestsTo('POST', '/V4/company');
			expect(creates).toHaveLength(1);
			const [create] = creates;
			expect(create.body).toEqual({
				name: CUSTOMER,
				alias: sample('Alias'),
				email: sample('Tenant admin email'),
				contactName: sample('Tenant admin name'),
				plans: [{ id: 1 }, { id: 22 }],
			});
			const companyId = (create.responseBody as { id: number }).id;
			expect(sim.company(companyId)).toMatchObject({ name: CUSTOMER, status: 'ACTIVE' });
			const before = sim.requests.filter((request) => request.seq <= create.seq);
			expect(before.map((request) => [call(request), companyOf(request)])).toEqual(
				before.map((request) => [call(request), undefined]),
			);

			// Every request after it acts for the new company, but the MSP's sign-in.
			const after = sim.requests.filter((request) => request.seq > create.seq);
			const expected = (request: RecordedRequest): string | undefined => (call(request) === 'POST /Login' ? undefined : String(companyId));
			expect(after.map((request) => [call(request), companyOf(request)])).toEqual(after.map((request) => [call(request), expected(request)]));

			// The apps: the company's, with the Azure app the credential holds; content added and a backup started, each once.
			const exchange = sim.app(`${CUSTOMER} Exchange`);
			const sharePoint = sim.app(`${CUSTOMER} SharePoint`);
			for (const app of [exchange, sharePoint]) {
				expect(app?.company).toEqual({ id: companyId, name: CUSTOMER });
				expect(app?.azureApp).toMatchObject({ applicationId: APPLICATION_ID, azureDirectoryId: DIRECTORY_ID });
				expect(app?.decoded.applicationSecret).toBe(AZURE_SECRET);
				expect(app?.content.map((content) => content.plan)).toEqual([{ id: 22, name: 'M365 Standard (EU)' }]);
			}
			expect(sharePoint?.tenantAdminSiteURL).toBe(sample('SharePoint admin site'));
			expect(sim.protection.backups.map((backup) => [backup.appId, backup.workload, backup.type])).toEqual(
				expect.arrayContaining([
					[exchange?.id, 'Exchange', undefined],
					[sharePoint?.id, 'SharePoint', undefined],
				]),
			);
			expect(sim.protection.backups).toHaveLength(2);
			const writes = sim.requests.filter((request) => request.method !== 'GET' && call(request) !== 'POST /Login').map(call);
			expect(writes.sort()).toEqual(
				[
					'POST /V4/company',
					'POST /V4/Office365/Exchange',
					`PUT /V4/Office365/Exchange/${exchange?.id}/Content`,
					`POST /V4/Office365/Exchange/${exchange?.id}/Backup`,
					'POST /V4/Office365/SharePoint',
					`PUT /V4/Office365/SharePoint/${sharePoint?.id}/Content`,
					`POST /V4/Office365/Sharepoint/${sharePoint?.id}/Backup`,
				].sort(),
			);

			// What the run output: the backups' tasks and jobs, as Commvault answered them.
			for (const [node, app] of [['Back Up Mailboxes', exchange], ['Back Up Sites', sharePoint]] as const) {
				const started = sim.protection.backups.find((backup) => backup.appId === app?.id);
				expect(outputItems(run, node).map((item) => item.json as IDataObject)).toEqual([
					expect.objectContaining({ appId: app?.id, taskId: started?.taskId, jobIds: started?.jobIds }),
				]);
			}
		});
	});

	it('nothing secret in what n8n printed or stored', async () => {
		expect(loginTokens.length).toBeGreaterThan(0);
		const canaries = [...secretsOf({ applicationSecret: AZURE_SECRET, password: DEFAULT_USER.password }), ...loginTokenCanaries(loginTokens)];
		const { leaks, stored } = await folder.leaks(canaries);
		expect(stored.map((execution) => [execution.workflowId, execution.status])).toEqual([[WORKFLOW_ID, 'success']]);
		expect(leaks).toEqual([]);
	});
});
