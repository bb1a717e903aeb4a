/**
 * The hostile wire on the protection lifecycle's paths (node-contract.md, "Errors"): Back Up
 * Now's POST, a wait's GET /Job polls, Job › Get, Job › Get Many's POST /Jobs and Get Protected
 * Items' lists. An answer that never comes is bounded by the credential's timeout, a redirect is
 * never followed (nothing goes to 127.0.0.2), a web page or a cut answer is no success, and an
 * answer that quotes the Authtoken never brings it into an output or an error.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CommvaultSimulator, generateProtectedItems, type RequestMatch, type ScriptedResponse } from '../../testing/simulator';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { runCommvault } from '../../testing/engine/support/commvault';
import { backupParameters, simulateTime } from '../../testing/engine/support/lifecycle';
import { waitClock } from '../../nodes/Commvault/jobs';

const AUTHTOKEN = 'canary-lifecycle-Authtoken-5f2c9b';
const sim = new CommvaultSimulator({ authtoken: AUTHTOKEN });
const elsewhere = new CommvaultSimulator({ host: '127.0.0.2' });
const APP_ID = 1001;
const JOB_ID = 5001;

beforeAll(async () => {
	await sim.start();
	await elsewhere.start();
});
afterAll(async () => {
	waitClock.msPerSecond = 1000;
	await sim.stop();
	await elsewhere.stop();
});
beforeEach(() => {
	sim.reset();
	elsewhere.reset();
	simulateTime(sim, 5);
	sim.addApp({ id: APP_ID, name: 'Contoso Mail', workload: 'Exchange' });
	sim.jobs.add({ jobId: JOB_ID, clientId: APP_ID, runSeconds: Infinity });
	sim.protection.set(APP_ID, generateProtectedItems(5, { workload: 'Exchange' }));
});
afterEach(() => {
	expect(elsewhere.requests).toEqual([]);
});

interface Call {
	label: string;
	parameters: INodeParameters;
	match: RequestMatch;
	call: string;
	/** Whether the call changes something in Commvault (then a lost answer says it may have). */
	changes: boolean;
}

const CALLS: Call[] = [
	{
		label: 'Back Up Now',
		parameters: backupParameters('exchangeApp', APP_ID),
		match: { method: 'POST', path: `/V4/Office365/Exchange/${APP_ID}/Backup` },
		call: `POST /V4/Office365/Exchange/${APP_ID}/Backup`,
		changes: true,
	},
	{
		label: 'Back Up Now, a poll of its wait',
		parameters: backupParameters('exchangeApp', APP_ID, { options: { waitForCompletion: true } }),
		match: { method: 'GET', path: /^\/Job\// },
		call: 'GET /Job/',
		changes: false,
	},
	{ label: 'Job › Get', parameters: { resource: 'job', operation: 'get', jobId: JOB_ID }, match: { method: 'GET', path: `/Job/${JOB_ID}` }, call: `GET /Job/${JOB_ID}`, changes: false },
	{ label: 'Job › Get Many', parameters: { resource: 'job', operation: 'getMany' }, match: { method: 'POST', path: '/Jobs' }, call: 'POST /Jobs', changes: false },
	{
		label: 'Get Protected Items',
		parameters: { resource: 'exchangeApp', operation: 'getProtectedItems', appId: APP_ID },
		match: { method: 'GET', path: `/V4/Office365/Exchange/${APP_ID}/Mailboxes` },
		call: `GET /V4/Office365/Exchange/${APP_ID}/Mailboxes`,
		changes: false,
	},
];

async function run(call: Call, answer: ScriptedResponse, timeoutSeconds = 300): Promise<Awaited<ReturnType<typeof runCommvault>>> {
	sim.respondNext(call.match, answer);
	return await runCommvault(sim, { parameters: call.parameters, credentials: { authtoken: AUTHTOKEN, timeoutSeconds }, continueOnFail: true });
}

const CANARIES = [{ label: 'Authtoken', value: AUTHTOKEN }];

describe.each(CALLS.map((call) => [call.label, call] as const))('%s', (_, call) => {
	it('an answer that never comes fails within the timeout, saying whether Commvault may have done it', async () => {
		const started = Date.now();
		const result = await run(call, { hang: true, afterSimulating: call.changes }, 1);
		expect(Date.now() - started).toBeLessThan(6000);
		const { error, description } = result.items[0].json as { error: string; description: string };
		if (call.changes) {
			expect(error).toBe(`Commvault may have started a backup of the Exchange app ${APP_ID}: the request ${call.call} was sent, but no complete answer came within 1 s (the credential's "Request Timeout (Seconds)")`);
		} else {
			expect(error).toContain(`Commvault did not answer ${call.call}`);
			expect(error).toContain('no complete answer came within 1 s');
			// A wait's poll is told inside the backup's own error: it was started, and is not started again.
			if (call.label.includes('poll')) expect(error).toMatch(/^The backup of the Exchange app 1001 WAS started/);
		}
		expect(description).toBeDefined();
		expect(sim.requestsTo('POST', /\/Backup$/).length).toBeLessThanOrEqual(1);
		expectNoSecrets(result, CANARIES);
	});

	it('a redirect to another host is not followed: the error names the status and the host', async () => {
		const result = await run(call, { status: 302, headers: { Location: `${elsewhere.baseUrl}/elsewhere` }, body: '' });
		expect(result.items[0].json.error).toContain(`with HTTP 302, a redirect to 127.0.0.2:${elsewhere.port}: the node does not follow redirects`);
		expectNoSecrets(result, CANARIES);
	});

	it('a web page answered with 200 is no success', async () => {
		const result = await run(call, { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html><head><title>Sign in</title></head><body>SSO</body></html>' });
		expect(result.items[0].json.error).toMatch(/is not .*: it is a web page/);
	});

	it('an answer that quotes the Authtoken never brings it into the output or an error', async () => {
		const quoting = (body: Record<string, unknown>): ScriptedResponse => ({ status: 200, body });
		const answers: Record<string, Record<string, unknown>> = {
			'Back Up Now': { taskId: 9, jobIds: ['5001'], note: `token ${AUTHTOKEN}` },
			'Back Up Now, a poll of its wait': { totalRecordsWithoutPaging: 1, jobs: [{ jobSummary: { jobId: 0, status: 'Completed', pendingReason: AUTHTOKEN } }] },
			'Job › Get': { totalRecordsWithoutPaging: 1, jobs: [{ jobSummary: { jobId: JOB_ID, status: 'Completed', pendingReason: `Authtoken ${AUTHTOKEN} refused` } }] },
			'Job › Get Many': { totalRecordsWithoutPaging: 1, jobs: [{ jobSummary: { jobId: JOB_ID, status: 'Failed', pendingReason: AUTHTOKEN } }] },
			'Get Protected Items': { totalRecords: 1, mailboxes: [{ GUID: 'g-1', name: `Mailbox of ${AUTHTOKEN}`, lastBackupStatus: 'FAILED' }] },
		};
		const body = answers[call.label];
		// The poll's answer names the job it was asked about.
		const answer: ScriptedResponse = call.label.includes('poll')
			? { status: 200, echo: (request) => ({ ...body, jobs: [{ jobSummary: { jobId: Number(request.path.split('/').pop()), status: 'Completed', pendingReason: AUTHTOKEN } }] }) }
			: quoting(body);
		const result = await run(call, answer);
		expect(result.items[0].json.error).toBeUndefined();
		expect(JSON.stringify(result.items[0].json)).not.toContain(AUTHTOKEN);
		expectNoSecrets(result, CANARIES);
	});
});
