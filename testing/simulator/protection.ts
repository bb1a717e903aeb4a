/**
 * Back Up Now and the protected items of a Microsoft 365 app (openapi-subset.json):
 * `POST /V4/Office365/{Exchange|OneDrive|Sharepoint|Teams}/{appId}/Backup` starts jobs on the
 * simulated clock (jobs.ts) and answers `CreateTaskRespforBackup`; `GET …/{appId}/Mailboxes |
 * Users | Sites | Teams` lists the items a test gave the app, paged like every V4 list (either page
 * base), with `searchKey` and `sort`.
 *
 * ```ts
 * sim.protection.set(1001, generateProtectedItems(250, { workload: 'Exchange', statuses: ['NONE', 'FAILED', 'SUCCESSFUL'] }));
 * sim.protection.backups;   // every backup started: app, task, job ids, selection
 * ```
 */
import { visibleApps } from './companies';
import { listPage, type ListSpec } from './lists';
import type { Reply, Route, RouteRequest, SimContext } from './routes';
import type { SimJob, SimJobs } from './jobs';
import type { Office365Workload, SimApp } from './types';

export type LastBackupStatus = 'NONE' | 'FAILED' | 'SKIPPED' | 'SUCCESSFUL' | 'CWE';

/** One mailbox, user, site or team as Commvault lists it (Office365MailboxData and its siblings). */
export type SimProtectedItem = Record<string, unknown> & { GUID: string; name: string; lastBackupStatus?: LastBackupStatus };

interface ProtectionFacts {
	backup: string;
	list: string;
	/** The list answer's field holding the items. */
	field: string;
	/** `subclient.appName` of its jobs. */
	appName: string;
	/** The backup body's `type` values, whole content first. */
	selections: readonly string[];
}

export const PROTECTION: Record<Office365Workload, ProtectionFacts> = {
	Exchange: {
		backup: 'PerformExchangeBackup',
		list: 'GetExchangeMailboxes',
		field: 'mailboxes',
		appName: 'Exchange Mailbox',
		selections: ['ALL_MAILBOXES', 'MAILBOXES_ARCHIVED_RECENTLY', 'MAILBOXES_NEVER_ARCHIVED', 'MAILBOXES_NOT_ARCHIVED_RECENTLY'],
	},
	OneDrive: {
		backup: 'PerformOnedriveBackup',
		list: 'GetOnedriveUsers',
		field: 'users',
		appName: 'OneDrive for Business',
		selections: ['ALL_USERS', 'USERS_BACKED_UP_RECENTLY', 'USERS_NEVER_BACKED_UP', 'USERS_NOT_BACKED_UP_RECENTLY'],
	},
	SharePoint: {
		backup: 'PerformSharepointBackup',
		list: 'GetSharepointSites',
		field: 'sites',
		appName: 'SharePoint Online',
		selections: ['ALL_SITES', 'SITES_BACKED_UP_RECENTLY', 'SITES_NEVER_BACKED_UP', 'SITES_NOT_BACKED_UP_RECENTLY'],
	},
	Teams: {
		backup: 'PerformTeamsBackup',
		list: 'GetTeamsList',
		field: 'teams',
		appName: 'Microsoft Teams',
		selections: ['ALL_TEAMS', 'TEAMS_BACKED_UP_RECENTLY', 'TEAMS_NEVER_BACKED_UP', 'TEAMS_NOT_BACKED_UP_RECENTLY'],
	},
};

const WORKLOADS = Object.keys(PROTECTION) as Office365Workload[];

/** Every backup request the simulator carried out, in order: what a test asserts "was started". */
export interface SimBackup {
	appId: number;
	workload: Office365Workload;
	taskId: number;
	jobIds: number[];
	/** The body's `type`, or undefined for the whole content. */
	type?: string;
}

/**
 * The protected items of each app, by app id, and the backups started. A backup's outcome reaches
 * the items once its jobs have ended (seen when the items are next listed): each item it covered
 * gets its last backup (time, job, status); an item in `failing` gets FAILED whatever the job says.
 */
export class SimProtection {
	readonly backups: SimBackup[] = [];

	/** GUIDs of items whose backups fail (a mailbox Commvault cannot reach). */
	readonly failing = new Set<string>();

	/** The items an app has before a test sets any (e.g. a tenant's mailboxes, for an app a workflow creates). */
	itemsFor?: (app: SimApp) => SimProtectedItem[];

	private readonly items = new Map<number, SimProtectedItem[]>();

	private readonly applied = new Set<number>();

	/** Replaces the items of an app. */
	set(appId: number, items: readonly SimProtectedItem[]): void {
		this.items.set(appId, items.map((item) => ({ ...item })));
	}

	of(appId: number): SimProtectedItem[] {
		return this.items.get(appId) ?? [];
	}

	/** The app's items as they stand now: seeded by `itemsFor` on first use, with every ended backup applied. */
	current(app: SimApp, jobs: SimJobs): SimProtectedItem[] {
		if (!this.items.has(app.id) && this.itemsFor) this.set(app.id, this.itemsFor(app));
		const items = this.of(app.id);
		for (const backup of this.backups) {
			if (backup.appId !== app.id || this.applied.has(backup.taskId)) continue;
			const ended = backup.jobIds.map((jobId) => jobs.get(jobId)).map((job) => (job ? { job, end: jobs.endOf(job) } : undefined));
			if (ended.some((entry) => entry?.end === undefined)) continue;
			this.applied.add(backup.taskId);
			for (const entry of ended) if (entry?.end !== undefined) this.apply(items, backup, entry.job, entry.end);
		}
		return items;
	}

	private apply(items: SimProtectedItem[], backup: SimBackup, job: SimJob, end: number): void {
		// Only the never backed up ones for a "never" selection; every item otherwise (the simulator does not keep "recently").
		const covered = backup.type?.includes('NEVER') ? items.filter((item) => (item.lastBackupStatus ?? 'NONE') === 'NONE') : items;
		for (const item of covered) {
			item.lastBackupStatus = this.failing.has(item.GUID) ? 'FAILED' : JOB_OUTCOMES[job.finalStatus] ?? 'FAILED';
			item.lastBackupAttempt = end;
			item.lastAttemptJobId = job.jobId;
			if (item.lastBackupStatus !== 'FAILED') item.lastBackup = end;
		}
	}
}

/** What a job's final status makes of an item's last backup status. */
const JOB_OUTCOMES: Record<string, LastBackupStatus> = {
	Completed: 'SUCCESSFUL',
	'Completed w/ one or more warnings': 'SUCCESSFUL',
	'Completed w/ one or more errors': 'CWE',
	Committed: 'SUCCESSFUL',
};

const STATUSES: readonly LastBackupStatus[] = ['NONE', 'FAILED', 'SKIPPED', 'SUCCESSFUL', 'CWE'];

/**
 * `count` items named `<prefix> <n>` (GUIDs that sort as they are numbered), their last backup
 * status going round `statuses`; one never backed up (NONE) has no last backup time.
 */
export function generateProtectedItems(
	count: number,
	options: { workload?: Office365Workload; prefix?: string; statuses?: readonly LastBackupStatus[]; now?: number } = {},
): SimProtectedItem[] {
	const { workload = 'Exchange', prefix = 'User', statuses = STATUSES, now = 1_764_000_000 } = options;
	return Array.from({ length: count }, (_, i) => {
		const lastBackupStatus = statuses[i % statuses.length];
		const backedUp = lastBackupStatus !== 'NONE';
		const n = String(i + 1).padStart(8, '0');
		const slug = `${prefix.toLowerCase().replace(/\W+/g, '-')}-${i + 1}`;
		return {
			GUID: `00000000-0000-4000-8000-0000${n}`,
			name: `${prefix} ${i + 1}`,
			// Sites have a URL; mailboxes, users and teams an email address (their schemas differ there).
			...(workload === 'SharePoint' ? { url: `https://contoso.sharepoint.com/sites/${slug}` } : { emailAddress: `${slug}@contoso.example` }),
			lastBackupStatus,
			...(backedUp ? { lastBackup: now - (i % 48) * 3600, lastBackupAttempt: now - (i % 48) * 3600, lastAttemptJobId: 5000 + (i % 97) } : {}),
			failedItemsCount: lastBackupStatus === 'FAILED' || lastBackupStatus === 'CWE' ? (i % 7) + 1 : 0,
			totalBackupSize: backedUp ? (i + 1) * 1_048_576 : 0,
			status: 'INCLUDED_IN_BACKUP',
			office365Plan: { id: 31, name: 'Microsoft 365 Standard' },
		};
	});
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const notFound = (workload: Office365Workload, appId: number): Reply => ({
	status: 404,
	body: { errorMessage: `${workload} app with id ${appId} does not exist.`, errorCode: 4 },
});

/**
 * A handler for one app of this workload: the path's app, or Commvault's 404 when it has no such
 * app or the caller cannot see it (another company's app, acting for a company).
 */
function forApp(workload: Office365Workload, handle: (ctx: SimContext, req: RouteRequest, app: SimApp) => Reply): Route['handle'] {
	return (ctx, req) => {
		const appId = Number(req.pathParams.appId);
		const app = visibleApps(ctx, req.company).find((candidate) => candidate.id === appId);
		return app?.workload === workload ? handle(ctx, req, app) : notFound(workload, appId);
	};
}

const backup = (workload: Office365Workload): Route['handle'] =>
	forApp(workload, (ctx, req, app) => {
		const type = (req.body as { type?: string } | undefined)?.type;
		const { jobsPerBackup = 1, ...outcome } = ctx.jobs.backups;
		const jobIds = Array.from(
			{ length: jobsPerBackup },
			() => ctx.jobs.add({ clientId: app.id, clientName: app.name, appName: PROTECTION[workload].appName, ...outcome }).jobId,
		);
		const taskId = ctx.jobs.task();
		ctx.protection.backups.push({ appId: app.id, workload, taskId, jobIds, ...(type === undefined ? {} : { type }) });
		// Commvault gives the job ids as strings (CreateTaskRespforBackup).
		return ok({ taskId, jobIds: jobIds.map(String) });
	});

const ITEM_LIST: ListSpec<SimProtectedItem> = {
	sortFields: {
		GUID: (item) => item.GUID,
		name: (item) => item.name,
		lastBackup: (item) => (typeof item.lastBackup === 'number' ? item.lastBackup : 0),
	},
	searchText: (item) => [item.name, item.emailAddress, item.url].filter((text) => typeof text === 'string').join(' '),
};

const listItems = (workload: Office365Workload): Route['handle'] =>
	forApp(workload, (ctx, req, app) => {
		const result = listPage(ctx.protection.current(app, ctx.jobs), req.query, ITEM_LIST, ctx.paging);
		if (!result.ok) return { status: 400, body: { errorMessage: result.message, errorCode: 2 } };
		return ok({ totalRecords: result.totalRecords, [PROTECTION[workload].field]: result.page });
	});

/** The backup and protected-item routes, built by routes.ts's `documented`. */
export function protectionRoutes(documented: (operationId: string, handle: Route['handle']) => Route): Route[] {
	return WORKLOADS.flatMap((workload) => [
		documented(PROTECTION[workload].backup, backup(workload)),
		documented(PROTECTION[workload].list, listItems(workload)),
	]);
}
