/**
 * The protection lifecycle's two example workflows (issue 22) in real n8n, every target of
 * versions.json, imported as users get them (examples/*.json, unchanged) and run through the n8n
 * CLI: "Onboard a tenant, back it up, report the result" (Create with content → Back Up Now with
 * Wait for Completion → a summary item) and "Daily: mailboxes never backed up" (Get Many apps →
 * Get Protected Items filtered → one summary item). The wait runs in real time here: the
 * simulator's backup job ends after 2 s, so the node's first poll (3 s) finds it done.
 */
import { PROTECTION, generateProtectedItems, type RecordedRequest } from '../../testing/simulator';
import { HOOK_TIMEOUT, expectRun, expectSchemaValid, packedPackage } from './commvault-suite';
import { CommvaultTarget } from '../../testing/e2e/commvault-target';
import { EXAMPLES, EXAMPLE_SECRET, loadExample } from '../../testing/e2e/commvault-workflows';
import { assertSuccess, outputItems, selectedTargets, type ExecuteResult } from '../../testing/e2e/n8n-cli';

const BACK_UP = loadExample(EXAMPLES.backUp);
const NEVER_BACKED_UP = loadExample(EXAMPLES.neverBackedUp);

const calls = (requests: RecordedRequest[]): string[] => requests.filter((r) => r.path !== '/V4/PlanIds' || r.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.status}`);

const tarball = packedPackage('n8n-e2e-lifecycle-');

describe.each(selectedTargets().map((t) => [t.label, t] as const))('the protection lifecycle examples in %s', (_label, spec) => {
	const target = new CommvaultTarget(spec);
	const { http } = target;
	const execute = (workflowId: string): Promise<ExecuteResult> => target.execute(workflowId);

	beforeAll(() => target.setup(tarball(), [BACK_UP, NEVER_BACKED_UP]), HOOK_TIMEOUT);
	beforeEach(() => target.resetSimulators());
	afterAll(() => target.teardown());

	it('Onboard a tenant, back it up, report the result: one app, its mailboxes in the plan, one backup waited for, one summary', async () => {
		http.jobs.backups = { runSeconds: 2, finalStatus: 'Completed' };
		const run = assertSuccess(await execute(BACK_UP.id as string));
		expectRun(run, () => {
			const app = http.app('Contoso Exchange');
			expect(app?.content).toEqual([{ type: 'ALL_MAILBOXES', plan: { id: 21, name: 'O365-Mailboxes' } }]);
			expect(app?.decoded.applicationSecret).toBe(EXAMPLE_SECRET);
			const [backup] = http.protection.backups;
			expect(http.protection.backups).toEqual([{ appId: app?.id, workload: 'Exchange', taskId: backup.taskId, jobIds: backup.jobIds }]);
			expect(http.requestsTo('POST', `/V4/Office365/Exchange/${app?.id}/Backup`).map((r) => r.rawBody)).toEqual(['{}']);
			const [report] = outputItems(run, 'Report');
			expect(report.json).toEqual({
				app: 'Contoso Exchange',
				appId: app?.id,
				jobIds: backup.jobIds,
				finished: true,
				statuses: 'Completed',
				summary: `Contoso Exchange: app ${app?.id} created, mailboxes added to O365-Mailboxes; first backup finished: Completed`,
			});
			// Polled until done, never a backup twice.
			const polls = http.requestsTo('GET', `/Job/${backup.jobIds[0]}`);
			expect(polls.length).toBeGreaterThanOrEqual(1);
			expect(polls.length).toBeLessThanOrEqual(2);
			expect(calls(http.requests).filter((call) => call.startsWith('POST'))).toEqual([
				'POST /V4/Office365/Exchange 200',
				`POST /V4/Office365/Exchange/${app?.id}/Backup 200`,
			]);
			expectSchemaValid(http.requests);
		});
	});

	it('Daily, mailboxes never backed up: every Exchange app\'s mailboxes whose last backup is NONE, in one summary item', async () => {
		const [first, second] = http.addApps([
			{ name: 'Contoso Mail', workload: 'Exchange' },
			{ name: 'Fabrikam Mail', workload: 'Exchange' },
			{ name: 'Contoso Drive', workload: 'OneDrive' },
		]);
		const firstItems = generateProtectedItems(130, { workload: 'Exchange', prefix: 'Contoso', statuses: ['SUCCESSFUL', 'NONE', 'FAILED', 'SUCCESSFUL'] });
		const secondItems = generateProtectedItems(4, { workload: 'Exchange', prefix: 'Fabrikam', statuses: ['NONE', 'SUCCESSFUL'] });
		http.protection.set(first.id, firstItems);
		http.protection.set(second.id, secondItems);
		const never = [...firstItems, ...secondItems].filter((item) => item.lastBackupStatus === 'NONE').map((item) => item.emailAddress);
		const run = assertSuccess(await execute(NEVER_BACKED_UP.id as string));
		expectRun(run, () => {
			const [summary, ...more] = outputItems(run, 'Summary');
			expect(more).toEqual([]);
			expect(summary.json).toEqual({
				count: never.length,
				mailboxes: never,
				summary: `${never.length} mailboxes have never been backed up: ${never.join(', ')}`,
			});
			// Every mailbox page of each app (130 need two pages of 100), from page 0.
			const lists = http.requests.filter((r) => r.operationId === PROTECTION.Exchange.list);
			expect(lists.map((r) => [r.path, r.query.pageNumber])).toEqual(
				expect.arrayContaining([
					[`/V4/Office365/Exchange/${first.id}/Mailboxes`, '0'],
					[`/V4/Office365/Exchange/${first.id}/Mailboxes`, '1'],
					[`/V4/Office365/Exchange/${second.id}/Mailboxes`, '0'],
				]),
			);
			expect(lists).toHaveLength(3);
			expect(calls(http.requests).filter((call) => call.startsWith('POST'))).toEqual([]);
			expectSchemaValid(http.requests);
		});
	});

	it('secrets: none in anything n8n printed or stored in its executions', async () => {
		const { leaks } = await target.leaks();
		expect(target.executions.length).toBeGreaterThan(0);
		expect(leaks).toEqual([]);
	});
});
