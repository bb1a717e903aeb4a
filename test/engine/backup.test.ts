/**
 * Back Up Now inside n8n's engine (node-contract.md, `backup`): `POST …/{appId}/Backup` for each
 * Microsoft 365 workload with the body `{}` (two bytes) or the selection's word, Commvault's
 * CreateTaskRespforBackup as the output, Wait for Completion on simulated time (testing/engine/
 * support/lifecycle.ts), and every error path: 404, 409, 429, a lost answer, a job that never
 * finishes within the wait, a wait that fails, a cancelled execution.
 */
import { POLL_SECONDS } from '../../nodes/Commvault/jobs';
import { CommvaultErrors, PROTECTION, type Office365Workload } from '../../testing/simulator';
import { httpCodeOf, runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { appOf, backupParameters, pollGaps, PROTECTED_WORKLOADS, useSimulatedTime } from '../../testing/engine/support/lifecycle';

const sim = useSimulator();
/** 10 real ms a simulated second: a 2-minute job takes 1.2 s, a 3 s poll interval 30 ms. */
const MS_PER_SECOND = 10;
useSimulatedTime(sim, MS_PER_SECOND);

const SELECTIONS: Record<Office365Workload, Record<string, string>> = {
	Exchange: { neverBackedUp: 'MAILBOXES_NEVER_ARCHIVED', notBackedUpRecently: 'MAILBOXES_NOT_ARCHIVED_RECENTLY', backedUpRecently: 'MAILBOXES_ARCHIVED_RECENTLY' },
	OneDrive: { neverBackedUp: 'USERS_NEVER_BACKED_UP', notBackedUpRecently: 'USERS_NOT_BACKED_UP_RECENTLY', backedUpRecently: 'USERS_BACKED_UP_RECENTLY' },
	SharePoint: { neverBackedUp: 'SITES_NEVER_BACKED_UP', notBackedUpRecently: 'SITES_NOT_BACKED_UP_RECENTLY', backedUpRecently: 'SITES_BACKED_UP_RECENTLY' },
	Teams: { neverBackedUp: 'TEAMS_NEVER_BACKED_UP', notBackedUpRecently: 'TEAMS_NOT_BACKED_UP_RECENTLY', backedUpRecently: 'TEAMS_BACKED_UP_RECENTLY' },
};

/** The paths as the OpenAPI document spells them (Sharepoint with a small p). */
const BACKUP_PATHS: Record<Office365Workload, (appId: number) => string> = {
	Exchange: (appId) => `/V4/Office365/Exchange/${appId}/Backup`,
	OneDrive: (appId) => `/V4/Office365/OneDrive/${appId}/Backup`,
	SharePoint: (appId) => `/V4/Office365/Sharepoint/${appId}/Backup`,
	Teams: (appId) => `/V4/Office365/Teams/${appId}/Backup`,
};

const backupRequests = (): ReturnType<typeof sim.requestsTo> => sim.requestsTo('POST', /\/Backup$/);

describe('Back Up Now', () => {
	it.each(PROTECTED_WORKLOADS)('%s: the whole content is the body {} sent as its two bytes; the output is {appId, taskId, jobIds}', async (resource, workload) => {
		const app = appOf(sim, workload);
		const result = await runCommvault(sim, { parameters: backupParameters(resource, app.id), items: [{ json: {} }, { json: {} }] });
		expect(result.error).toBeUndefined();
		const requests = backupRequests();
		expect(requests.map((request) => request.fullPath.replace(/^.*\/api/, ''))).toEqual([BACKUP_PATHS[workload](app.id), BACKUP_PATHS[workload](app.id)]);
		expect(requests.map((request) => [request.rawBody, request.headers['content-type'], request.valid])).toEqual([
			['{}', 'application/json', true],
			['{}', 'application/json', true],
		]);
		const [first, second] = sim.protection.backups;
		expect(result.items.map((item) => item.json)).toEqual([
			{ appId: app.id, taskId: first.taskId, jobIds: first.jobIds },
			{ appId: app.id, taskId: second.taskId, jobIds: second.jobIds },
		]);
		expect(typeof result.items[0].json.jobIds).toBe('object');
		expect(first.jobIds.every((id) => typeof id === 'number')).toBe(true);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it.each(PROTECTED_WORKLOADS)('%s: each selection sends the workload\'s own word, valid against its schema', async (resource, workload) => {
		const app = appOf(sim, workload);
		const selections = Object.keys(SELECTIONS[workload]);
		const result = await runCommvault(sim, {
			parameters: backupParameters(resource, app.id, { selection: '={{ $json.selection }}' }),
			items: selections.map((selection) => ({ json: { selection } })),
		});
		expect(result.error).toBeUndefined();
		expect(backupRequests().map((request) => [request.body, request.valid])).toEqual(
			selections.map((selection) => [{ type: SELECTIONS[workload][selection] }, true]),
		);
		expect(sim.protection.backups.map((backup) => backup.type)).toEqual(selections.map((selection) => SELECTIONS[workload][selection]));
		expect(PROTECTION[workload].selections).toEqual(expect.arrayContaining(Object.values(SELECTIONS[workload])));
	});

	it('an App ID pasted with spaces and invisible marks is cleaned; an empty one fails naming the field, sending nothing', async () => {
		const app = appOf(sim, 'Exchange');
		const result = await runCommvault(sim, {
			parameters: backupParameters('exchangeApp', 0, { appId: '={{ $json.appId }}' }),
			items: [{ json: { appId: ` \u200e${app.id}\ufeff ` } }, { json: { appId: '' } }],
			continueOnFail: true,
		});
		expect(result.items[0].json).toMatchObject({ appId: app.id });
		expect(result.items[1].json.error).toBe('App ID: is required (item 1)');
		expect(backupRequests()).toHaveLength(1);
	});
});

describe('Back Up Now: Wait for Completion', () => {
	it('polls each job until it finishes, the interval growing from 3 s to 30 s: finished true and the jobs as Job › Get outputs them', async () => {
		const app = appOf(sim, 'Exchange');
		sim.jobs.backups = { runSeconds: 120, finalStatus: 'Completed w/ one or more warnings' };
		const result = await runCommvault(sim, { parameters: backupParameters('exchangeApp', app.id, { options: { waitForCompletion: true } }) });
		expect(result.error).toBeUndefined();
		const [jobId] = sim.protection.backups[0].jobIds;
		expect(result.items[0].json).toMatchObject({
			appId: app.id,
			jobIds: [jobId],
			finished: true,
			jobs: [{ jobId, status: 'Completed w/ one or more warnings', finished: true, percentComplete: 100, subclient: { clientId: app.id } }],
		});
		// 3, 6, 12, 24, 30, 30 … s: a 2-minute job is polled at 3, 9, 21, 45, 75, 105, 135 s, seven times.
		const polls = sim.requestsTo('GET', `/Job/${jobId}`);
		expect(polls.length).toBeGreaterThanOrEqual(6);
		expect(polls.length).toBeLessThanOrEqual(7);
		const gaps = pollGaps(sim, jobId, MS_PER_SECOND);
		// Waits are never shorter than asked (a loaded machine makes them longer, never more polls).
		[6, 12, 24, 30, 30].slice(0, gaps.length).forEach((expected, index) => expect(gaps[index]).toBeGreaterThanOrEqual(expected - 1));
	});

	it('a failed job is an outcome, not an error: finished true with its status', async () => {
		const app = appOf(sim, 'OneDrive');
		sim.jobs.backups = { runSeconds: 2, finalStatus: 'Failed' };
		const result = await runCommvault(sim, { parameters: backupParameters('oneDriveApp', app.id, { options: { waitForCompletion: true } }) });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ finished: true, jobs: [{ status: 'Failed', finished: true }] });
		expect(sim.requestsTo('GET', /^\/Job\//)).toHaveLength(1);
	});

	it('every job of the backup is waited for, each polled only while it runs', async () => {
		const app = appOf(sim, 'Teams');
		sim.jobs.backups = { runSeconds: 2, jobsPerBackup: 3 };
		const result = await runCommvault(sim, { parameters: backupParameters('teamsApp', app.id, { options: { waitForCompletion: true } }) });
		const { jobIds } = sim.protection.backups[0];
		expect(result.items[0].json.jobs).toEqual(jobIds.map((jobId) => expect.objectContaining({ jobId, status: 'Completed', finished: true })));
		for (const jobId of jobIds) expect(sim.requestsTo('GET', `/Job/${jobId}`)).toHaveLength(1);
	});

	it('a job that never finishes within Max Wait: the item is output as it stands, finished false, not an error', async () => {
		const app = appOf(sim, 'SharePoint');
		sim.jobs.backups = { runSeconds: Infinity };
		const started = Date.now();
		const result = await runCommvault(sim, { parameters: backupParameters('sharePointApp', app.id, { options: { waitForCompletion: true, maxWaitMinutes: 1 } }) });
		const elapsed = (Date.now() - started) / MS_PER_SECOND;
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ finished: false, jobs: [{ status: 'Running', finished: false }] });
		// 60 s: polls at 3, 9, 21, 45 and at the bound, 60 s.
		const [jobId] = sim.protection.backups[0].jobIds;
		expect(sim.requestsTo('GET', `/Job/${jobId}`)).toHaveLength(5);
		expect(elapsed).toBeGreaterThanOrEqual(59);
	});

	it('a job Commvault does not list (yet) keeps being asked for, and is output as its id, not finished', async () => {
		const app = appOf(sim, 'Exchange');
		sim.respondNext({ method: 'POST', path: `/V4/Office365/Exchange/${app.id}/Backup` }, { status: 200, body: { taskId: 77, jobIds: ['987654'] } });
		const result = await runCommvault(sim, { parameters: backupParameters('exchangeApp', app.id, { options: { waitForCompletion: true, maxWaitMinutes: 1 } }) });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ appId: app.id, taskId: 77, jobIds: [987654], finished: false, jobs: [{ jobId: 987654, finished: false }] });
		expect(sim.requestsTo('GET', '/Job/987654')).toHaveLength(5);
	});

	it('a wait that fails says the backup WAS started, with its task and jobs, and never starts it again', async () => {
		const app = appOf(sim, 'Exchange');
		sim.jobs.backups = { runSeconds: Infinity };
		sim.failNext({ method: 'GET', path: /^\/Job\// }, CommvaultErrors.generic(500, 2, 'Job manager is not reachable.'));
		const result = await runCommvault(sim, { parameters: backupParameters('exchangeApp', app.id, { options: { waitForCompletion: true } }) });
		const { taskId, jobIds } = sim.protection.backups[0];
		expect(result.error?.message).toBe(
			`The backup of the Exchange app ${app.id} WAS started (task ${taskId}, jobs ${jobIds[0]}), but waiting for it failed: Job manager is not reachable.`,
		);
		expect(result.error?.description).toContain('Do not start it again');
		expect(httpCodeOf(result.error)).toBe('500');
		expect(backupRequests()).toHaveLength(1);
	});

	it('an execution cancelled while waiting ends the wait at once, and no poll is sent after it', async () => {
		const { waitClock } = await import('../../nodes/Commvault/jobs');
		waitClock.msPerSecond = 1000; // real time: the first poll would be 3 s after the backup
		const app = appOf(sim, 'Exchange');
		sim.jobs.backups = { runSeconds: Infinity };
		const started = Date.now();
		await runCommvault(sim, { parameters: backupParameters('exchangeApp', app.id, { options: { waitForCompletion: true } }), cancelAfterMs: 400 });
		const ended = Date.now();
		expect(ended - started).toBeLessThan(POLL_SECONDS.first * 1000 - 500);
		await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS.first * 1000));
		expect(sim.requestsTo('GET', /^\/Job\//)).toEqual([]);
		expect(backupRequests()).toHaveLength(1);
	});

	it('Max Wait out of 1 … 1,440 fails naming the field, before anything is sent', async () => {
		const app = appOf(sim, 'Exchange');
		const result = await runCommvault(sim, {
			parameters: backupParameters('exchangeApp', app.id, { options: { waitForCompletion: true, maxWaitMinutes: 0 } }),
			continueOnFail: true,
		});
		expect(result.items[0].json.error).toBe('Options > Max Wait (Minutes): must be from 1 to 1440, got 0 (item 0)');
		expect(sim.requests).toEqual([]);
	});
});

describe('Back Up Now: what Commvault answers', () => {
	it('an app Commvault does not have: its 404 message, nothing started', async () => {
		const result = await runCommvault(sim, { parameters: backupParameters('exchangeApp', 4242), continueOnFail: true });
		expect(result.items[0].json.error).toBe('Exchange app with id 4242 does not exist.');
		expect(sim.protection.backups).toEqual([]);
	});

	it('a 409: Commvault\'s own message', async () => {
		const app = appOf(sim, 'Teams');
		sim.failNext({ method: 'POST', path: /\/Backup$/ }, CommvaultErrors.generic(409, 7, 'A backup job for this client is already running.'));
		const result = await runCommvault(sim, { parameters: backupParameters('teamsApp', app.id), continueOnFail: true });
		expect(result.items[0].json.error).toBe('A backup job for this client is already running.');
	});

	it('a 429 with Retry-After is waited out and the backup sent again (Commvault did not carry it out): started once', async () => {
		const app = appOf(sim, 'Exchange');
		sim.respondNext({ method: 'POST', path: /\/Backup$/ }, CommvaultErrors.rateLimited(1));
		const result = await runCommvault(sim, { parameters: backupParameters('exchangeApp', app.id) });
		expect(result.error).toBeUndefined();
		expect(backupRequests().map((request) => request.status)).toEqual([429, 200]);
		expect(sim.protection.backups).toHaveLength(1);
	});

	it('a lost answer says Commvault may have started the backup, and it is never sent again', async () => {
		const app = appOf(sim, 'OneDrive');
		sim.respondNext({ method: 'POST', path: /\/Backup$/ }, { status: 200, body: { taskId: 1, jobIds: ['5001'] }, cutAfterBytes: 5, afterSimulating: true });
		const result = await runCommvault(sim, { parameters: backupParameters('oneDriveApp', app.id, { options: { waitForCompletion: true } }), continueOnFail: true });
		expect(result.items[0].json.error).toMatch(
			new RegExp(`^Commvault may have started a backup of the OneDrive app ${app.id}: the request POST /V4/Office365/OneDrive/${app.id}/Backup was sent, but the connection was dropped`),
		);
		expect(result.items[0].json.description).toContain('Check in Command Center whether it was done');
		expect(backupRequests()).toHaveLength(1);
		expect(sim.protection.backups).toHaveLength(1);
		expect(sim.requestsTo('GET', /^\/Job\//)).toEqual([]);
	});

	it.each([
		['an echo of the body', { type: 'MAILBOXES_NEVER_ARCHIVED' }],
		['an empty object', {}],
		['a taskId of 0', { taskId: 0, jobIds: ['5001'] }],
		['job ids that are not ids', { taskId: 3, jobIds: ['abc'] }],
		['no job ids', { taskId: 3 }],
	])('a 200 that is not CreateTaskRespforBackup (%s) fails the item, saying what it is and that Commvault may have started it', async (_, body) => {
		const app = appOf(sim, 'Exchange');
		sim.respondNext({ method: 'POST', path: /\/Backup$/ }, { status: 200, body });
		const result = await runCommvault(sim, { parameters: backupParameters('exchangeApp', app.id, { selection: 'neverBackedUp' }), continueOnFail: true });
		expect(result.items[0].json.error).toMatch(/is not a started backup \(CreateTaskRespforBackup, with a positive taskId and its jobIds\)/);
		expect(result.items[0].json.description).toContain(`Commvault may have started a backup of the Exchange app ${app.id}`);
		expect(backupRequests()).toHaveLength(1);
	});
});
