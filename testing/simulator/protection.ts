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
import { listPage, type ListSpec } from './lists';
import type { Reply, Route, SimContext } from './routes';
import type { Office365Workload } from './types';

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

/** The protected items of each app, by app id, and the backups started. */
export class SimProtection {
	readonly backups: SimBackup[] = [];

	private readonly items = new Map<number, SimProtectedItem[]>();

	/** Replaces the items of an app. */
	set(appId: number, items: readonly SimProtectedItem[]): void {
		this.items.set(appId, items.map((item) => ({ ...item })));
	}

	of(appId: number): SimProtectedItem[] {
		return this.items.get(appId) ?? [];
	}
}

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

/** The app of the path, if it is one of this workload's. */
function appOf(ctx: SimContext, workload: Office365Workload, appIdText: string): number | undefined {
	const appId = Number(appIdText);
	return ctx.apps.get(appId)?.workload === workload ? appId : undefined;
}

const backup =
	(workload: Office365Workload): Route['handle'] =>
	(ctx, req) => {
		const appId = appOf(ctx, workload, req.pathParams.appId);
		if (appId === undefined) return notFound(workload, Number(req.pathParams.appId));
		const app = ctx.apps.get(appId);
		const type = (req.body as { type?: string } | undefined)?.type;
		const { jobsPerBackup = 1, ...outcome } = ctx.jobs.backups;
		const jobIds = Array.from(
			{ length: jobsPerBackup },
			() => ctx.jobs.add({ clientId: appId, clientName: app?.name, appName: PROTECTION[workload].appName, ...outcome }).jobId,
		);
		const taskId = ctx.jobs.task();
		ctx.protection.backups.push({ appId, workload, taskId, jobIds, ...(type === undefined ? {} : { type }) });
		// Commvault gives the job ids as strings (CreateTaskRespforBackup).
		return ok({ taskId, jobIds: jobIds.map(String) });
	};

const ITEM_LIST: ListSpec<SimProtectedItem> = {
	sortFields: {
		GUID: (item) => item.GUID,
		name: (item) => item.name,
		lastBackup: (item) => (typeof item.lastBackup === 'number' ? item.lastBackup : 0),
	},
	searchText: (item) => [item.name, item.emailAddress, item.url].filter((text) => typeof text === 'string').join(' '),
};

const listItems =
	(workload: Office365Workload): Route['handle'] =>
	(ctx, req) => {
		const appId = appOf(ctx, workload, req.pathParams.appId);
		if (appId === undefined) return notFound(workload, Number(req.pathParams.appId));
		const result = listPage(ctx.protection.of(appId), req.query, ITEM_LIST, ctx.paging);
		if (!result.ok) return { status: 400, body: { errorMessage: result.message, errorCode: 2 } };
		return ok({ totalRecords: result.totalRecords, [PROTECTION[workload].field]: result.page });
	};

/** The backup and protected-item routes, built by routes.ts's `documented`. */
export function protectionRoutes(documented: (operationId: string, handle: Route['handle']) => Route): Route[] {
	return WORKLOADS.flatMap((workload) => [
		documented(PROTECTION[workload].backup, backup(workload)),
		documented(PROTECTION[workload].list, listItems(workload)),
	]);
}
