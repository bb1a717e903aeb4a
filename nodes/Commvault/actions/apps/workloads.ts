/**
 * The Commvault apps this node onboards, as data. Commvault onboards Dynamics 365 and each
 * Microsoft 365 workload the same way (an Azure app, a server plan, then content added to a plan);
 * they differ only in the facts below. The Resource list, every field, the request bodies, the
 * subtitle and the messages read this table: a new workload is one entry (and its tests).
 */
import type { INodeProperties } from 'n8n-workflow';

import type { PlanKind } from '../../plans/kinds';
import { requireSharePointAdminSiteUrl, SHAREPOINT_ADMIN_SITE_HINT } from '../../helpers/sharePoint';

export interface ContentType {
	/** The body's `type`, as the workload's content schema spells it. */
	value: string;
	name: string;
	description: string;
	/** What gets protected, as in "adding its mailboxes to the plan". */
	noun: string;
}

/** A top-level field only some workloads' create schemas have. */
export interface CreateField {
	/** Shown for Create of this workload only, so always required. */
	property: INodeProperties;
	/** Its name in the create body. */
	bodyField: string;
	/** Validates and normalises what the user gave; `field` is the label to name in an error. */
	read(field: string, value: unknown): string;
}

export interface ContentPlan {
	kind: PlanKind;
	/** The parameter holding the picker (node-contract.md). */
	parameter: string;
	/** The content body's plan field, spelt as the schema spells it (lower-case `p`). */
	bodyField: string;
}

/** What Back Up Now backs up besides the whole content: node-contract.md's `selection` values. */
export type BackupSelection = 'neverBackedUp' | 'notBackedUpRecently' | 'backedUpRecently';

/**
 * Back Up Now and the protected items of a Microsoft 365 app; Commvault documents neither for
 * Dynamics 365. Paths as the OpenAPI document spells them, which it does not do consistently
 * (`Sharepoint`, `Onedrive`); the selection words as its schemas do (Exchange says ARCHIVED).
 */
export interface Protection {
	backupPath(appId: number): string;
	/** The backup body's `type` for each selection (the whole content is the body `{}`). */
	selections: Record<BackupSelection, string>;
	itemsPath(appId: number): string;
	/** The list answer's field holding the items, e.g. `mailboxes`. */
	itemsField: string;
	/** What one item is, and many: "mailbox", "mailboxes". */
	item: { one: string; many: string };
}

export interface Workload {
	/** The Resource option's name. */
	resourceName: string;
	/** The product as people call it, with its own capitals: action names and messages use it. */
	product: string;
	/** What the app protects, for descriptions. */
	protects: string;
	appNamePlaceholder: string;
	createPath: string;
	contentPath(appId: number): string;
	contentPlan: ContentPlan;
	/** The schema's `type` enum; the first is the schema's default. */
	contentTypes: readonly [ContentType, ...ContentType[]];
	/** Whether the user chooses the content type (`contentType`); Dynamics 365's is fixed by the contract. */
	pickContentType: boolean;
	/** Whether the schema's `azureApp` has `refreshToken` (AzureAdAppToken). */
	refreshToken: boolean;
	/** Whether the schema's `azureApp` has the certificate fields of AzureAdApp. */
	certificate: boolean;
	createFields: readonly CreateField[];
	protection?: Protection;
}

type Office365Service = 'Exchange' | 'OneDrive' | 'SharePoint' | 'Teams';

/**
 * The four Microsoft 365 workloads share their paths' shape, the Office365 plan and the content
 * type picker; an entry gives only what is its own.
 */
function office365(
	service: Office365Service,
	own: Pick<Workload, 'protects' | 'contentTypes'> & Partial<Pick<Workload, 'refreshToken' | 'createFields'>> & { protection: Protection },
): Workload {
	return {
		resourceName: `${service} App`,
		product: service,
		appNamePlaceholder: `e.g. Contoso ${service}`,
		createPath: `/V4/Office365/${service}`,
		contentPath: (appId) => `/V4/Office365/${service}/${appId}/Content`,
		contentPlan: { kind: 'Office365', parameter: 'office365Plan', bodyField: 'office365plan' },
		pickContentType: true,
		refreshToken: false,
		certificate: true,
		createFields: [],
		...own,
	};
}

export const WORKLOADS = {
	dynamics365App: {
		resourceName: 'Dynamics 365 App',
		product: 'Dynamics 365',
		protects: 'Dynamics 365 environments',
		appNamePlaceholder: 'e.g. Contoso Dynamics 365',
		createPath: '/v4/Dynamics365',
		contentPath: (appId) => `/V4/Dynamics365/${appId}/Content`,
		contentPlan: { kind: 'Dynamics365', parameter: 'dynamics365Plan', bodyField: 'dynamics365plan' },
		contentTypes: [
			{ value: 'ALL_ENVIRONMENTS', name: 'All Environments', description: 'Every environment of the tenant', noun: 'environments' },
		],
		pickContentType: false,
		refreshToken: true,
		certificate: true,
		createFields: [],
	},
	exchangeApp: office365('Exchange', {
		protects: 'Exchange Online mailboxes',
		protection: {
			backupPath: (appId) => `/V4/Office365/Exchange/${appId}/Backup`,
			selections: { neverBackedUp: 'MAILBOXES_NEVER_ARCHIVED', notBackedUpRecently: 'MAILBOXES_NOT_ARCHIVED_RECENTLY', backedUpRecently: 'MAILBOXES_ARCHIVED_RECENTLY' },
			itemsPath: (appId) => `/V4/Office365/Exchange/${appId}/Mailboxes`,
			itemsField: 'mailboxes',
			item: { one: 'mailbox', many: 'mailboxes' },
		},
		contentTypes: [
			{ value: 'ALL_MAILBOXES', name: 'All Mailboxes', description: 'Every user mailbox of the tenant', noun: 'mailboxes' },
			{ value: 'ALL_PUBLIC_FOLDERS', name: 'All Public Folders', description: 'Every public folder', noun: 'public folders' },
			{ value: 'ALL_GROUP_MAILBOXES', name: 'All Group Mailboxes', description: 'Every Microsoft 365 group mailbox', noun: 'group mailboxes' },
		],
	}),
	oneDriveApp: office365('OneDrive', {
		protects: 'OneDrive for Business accounts',
		protection: {
			backupPath: (appId) => `/V4/Office365/OneDrive/${appId}/Backup`,
			selections: { neverBackedUp: 'USERS_NEVER_BACKED_UP', notBackedUpRecently: 'USERS_NOT_BACKED_UP_RECENTLY', backedUpRecently: 'USERS_BACKED_UP_RECENTLY' },
			itemsPath: (appId) => `/V4/Office365/Onedrive/${appId}/Users`,
			itemsField: 'users',
			item: { one: 'user', many: 'users' },
		},
		contentTypes: [{ value: 'ALL_USERS', name: 'All Users', description: "Every user's OneDrive", noun: 'users' }],
	}),
	sharePointApp: office365('SharePoint', {
		protects: 'SharePoint Online sites',
		protection: {
			backupPath: (appId) => `/V4/Office365/Sharepoint/${appId}/Backup`,
			selections: { neverBackedUp: 'SITES_NEVER_BACKED_UP', notBackedUpRecently: 'SITES_NOT_BACKED_UP_RECENTLY', backedUpRecently: 'SITES_BACKED_UP_RECENTLY' },
			itemsPath: (appId) => `/V4/Office365/Sharepoint/${appId}/Sites`,
			itemsField: 'sites',
			item: { one: 'site', many: 'sites' },
		},
		contentTypes: [
			{ value: 'ALL_WEB_SITES', name: 'All Sites', description: 'Every SharePoint site of the tenant', noun: 'sites' },
			{ value: 'ALL_TEAMS_SITES', name: 'All Teams Sites', description: 'Every site connected to a team', noun: 'Teams sites' },
		],
		createFields: [
			{
				property: {
					displayName: 'Tenant Admin Site URL',
					name: 'tenantAdminSiteUrl',
					type: 'string',
					required: true,
					default: '',
					placeholder: 'https://contoso-admin.sharepoint.com',
					description: "The address of the tenant's SharePoint admin center, which Commvault connects to",
					hint: SHAREPOINT_ADMIN_SITE_HINT,
				},
				bodyField: 'tenantAdminSiteURL',
				read: requireSharePointAdminSiteUrl,
			},
		],
	}),
	teamsApp: office365('Teams', {
		protects: 'Microsoft Teams teams and channels',
		protection: {
			backupPath: (appId) => `/V4/Office365/Teams/${appId}/Backup`,
			selections: { neverBackedUp: 'TEAMS_NEVER_BACKED_UP', notBackedUpRecently: 'TEAMS_NOT_BACKED_UP_RECENTLY', backedUpRecently: 'TEAMS_BACKED_UP_RECENTLY' },
			itemsPath: (appId) => `/V4/Office365/Teams/${appId}/Teams`,
			itemsField: 'teams',
			item: { one: 'team', many: 'teams' },
		},
		contentTypes: [{ value: 'ALL_TEAMS', name: 'All Teams', description: 'Every team of the tenant', noun: 'teams' }],
		refreshToken: true,
	}),
} satisfies Record<string, Workload>;

export type WorkloadName = keyof typeof WORKLOADS;

export const WORKLOAD_NAMES = Object.keys(WORKLOADS) as WorkloadName[];

export function workloadOf(resource: string): Workload | undefined {
	return Object.prototype.hasOwnProperty.call(WORKLOADS, resource) ? (WORKLOADS as Record<string, Workload>)[resource] : undefined;
}
