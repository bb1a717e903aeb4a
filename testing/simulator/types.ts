/** Public types of the Commvault simulator, for test code that drives or inspects it. */
import type { ValidationError } from './schema';

export type { ValidationError };

/** Values of Commvault's `PlanType` enum that the simulator's seed data uses (any enum value is allowed). */
export type PlanType =
	| 'Server'
	| 'Laptop'
	| 'FSIBMiVTL'
	| 'ExchangeJournal'
	| 'ExchangeUser'
	| 'Office365'
	| 'DataClassification'
	| 'Archiver'
	| 'CDM'
	| 'ObjectStore'
	| 'DLO'
	| 'Database'
	| 'Snap'
	| 'FSServer'
	| 'VSAServer'
	| 'Dynamics365';

export type PlanStatus = 'ENABLED' | 'DISABLED' | 'INCOMPLETE' | 'HIDDEN' | 'BACKUP_DISABLED';

export interface PlanSeed {
	id: number;
	name: string;
	type: PlanType;
	/** Default `ENABLED`. */
	status?: PlanStatus;
	company?: { id: number; name: string };
}

export type CompanyStatus = 'ACTIVE' | 'DEACTIVATED' | 'DELETED';

export interface CompanySeed {
	/** Default: the next free id from 501. */
	id?: number;
	name: string;
	/** Default: the name's letters and digits, lower case. */
	alias?: string;
	/** Default `ACTIVE`. */
	status?: CompanyStatus;
	/** Plans of the MSP the company may use (as CreateCompany's `plans`); it also sees the plans whose `company` it is. */
	planIds?: number[];
}

/** A company as the simulator keeps it. */
export interface SimCompany {
	id: number;
	name: string;
	alias: string;
	status: CompanyStatus;
	planIds: number[];
	creationTime: number;
	email?: string;
	contactName?: string;
	/** The options of the last deactivation, as received. */
	deactivation?: { disableBackup?: boolean; disableRestore?: boolean; disableLogin?: boolean };
}

export interface SimUser {
	username: string;
	/** The plain password; the client must send it base64-encoded (UTF-8) to /Login. */
	password: string;
}

/** The kinds of app the simulator creates: Dynamics 365 and the four Microsoft 365 workloads. */
export type SimWorkload = 'Dynamics365' | 'Exchange' | 'OneDrive' | 'SharePoint' | 'Teams';

/** The Microsoft 365 workloads, the ones Commvault lists (`GET /V4/Office365/{workload}`). */
export type Office365Workload = Exclude<SimWorkload, 'Dynamics365'>;

/** What a Microsoft 365 app listing reports of an app besides its id, name, plan and company. */
export interface AppStats {
	itemsBackedUp: number;
	associatedEntities: number;
	backupSize: number;
	backupHealthPercentage: number;
}

export interface AppSeed {
	id?: number;
	name: string;
	/** The company the app belongs to (a seeded company's id); default the CommCell's own. */
	companyId?: number;
	/** Default `Dynamics365`. */
	workload?: SimWorkload;
	/** Default: all zero, as for an app just created. */
	stats?: AppStats;
}

/**
 * How `pageNumber` counts. Commvault's document does not say, so both are simulated (API.md,
 * "Paging"): `pageBase` 0 (default) or 1; a 1-based server answers page 0 with its first page
 * (`pageZero: 'firstPage'`, default, so page 1 repeats it) or with no records (`'empty'`) while
 * `totalRecords` still counts them all.
 */
export interface SimPaging {
	pageBase: 0 | 1;
	pageZero: 'firstPage' | 'empty';
}

export interface TlsMaterial {
	cert: string | Buffer;
	key: string | Buffer;
}

export interface SimulatorOptions {
	/**
	 * Loopback only: `127.0.0.1` (default; `localhost` with `tls`), `::1` or `localhost`. Anything
	 * else throws. Over TLS the default is the name the certificate carries, as a real Command
	 * Center is addressed: n8n's request helper passes the URL's host as the TLS server name, and
	 * Node warns (DEP0123) when that is an IP address.
	 */
	host?: string;
	/** Default 0: a free port chosen by the OS. */
	port?: number;
	/** `true`: HTTPS with the committed self-signed cert in testing/fixtures/tls (CN=localhost, IP 127.0.0.1). */
	tls?: boolean | TlsMaterial;
	/** Default `/commandcenter/api`. */
	basePath?: string;
	/**
	 * The static API access token accepted in the `Authtoken` header, compared with any `QSDK `
	 * prefix removed on both sides. Default `DEFAULT_AUTHTOKEN`; `null` accepts only login tokens.
	 */
	authtoken?: string | null;
	/** Accounts for `POST /Login`. Default `[DEFAULT_USER]`. */
	users?: SimUser[];
	/** Replaces the default plan seed (`DEFAULT_PLANS`); see `generatePlans` for hundreds. */
	plans?: PlanSeed[];
	/** Companies that exist before the first request (`GET /V4/company`, the `operatorCompanyId` header). Default none. */
	companies?: CompanySeed[];
	/** Apps that exist before the first request (for addContent tests). */
	apps?: AppSeed[];
	/** A login token stops working (401) after this many authenticated requests. Default: never. */
	tokenUses?: number;
	/** How a failed login answers: `errList` = HTTP 200 with an errList body (default), `http401` = HTTP 401. */
	loginFailure?: 'errList' | 'http401';
	/** Also accept `Authorization: Bearer <token>` (Commvault's `bearerToken` scheme). Default false. */
	acceptBearer?: boolean;
	/**
	 * Milliseconds every answer waits before it is sent, as a distant Command Center would (default 0);
	 * a function: per request, e.g. by the app name in its body. Scripted answers wait this long on top
	 * of their own `delayMs`. Changeable while running: `latencyMs`.
	 */
	latencyMs?: number | ((request: RecordedRequest) => number);
	/** Request bodies above this many bytes get 413 (default 16 MiB). */
	maxBodyBytes?: number;
	/** How list operations count pages (default 0-based); changeable while running: `paging`. */
	paging?: Partial<SimPaging>;
}

export interface RecordedRequest {
	/** 1-based arrival order. */
	seq: number;
	/** Date.now() when the request arrived, to check waits such as Retry-After. */
	receivedAt: number;
	method: string;
	/** Path below the base path exactly as sent, without the query: `/v4/Dynamics365`. */
	path: string;
	/** The whole URL path as sent, including the base path. */
	fullPath: string;
	query: Record<string, string>;
	/** Lower-case header names, as Node reports them. */
	headers: Record<string, string>;
	rawBody: string;
	/** Parsed JSON body; undefined when the body is empty or not JSON. */
	body: unknown;
	/** The Commvault operation the path maps to (e.g. `CreateD365Client`), if any. */
	operationId?: string;
	/** False when the body (or a path parameter) broke the operation's schema, or was not JSON. */
	valid: boolean;
	schemaErrors: ValidationError[];
	/** True when a queued `respondNext` answer was used instead of the simulated behaviour. */
	scripted: boolean;
	/** The HTTP status answered (0 when the connection was destroyed on purpose). */
	status: number;
	responseBody: unknown;
}

export interface RequestMatch {
	/** Case-insensitive; any method when omitted. */
	method?: string;
	/**
	 * A string is compared with the path below the base path case-insensitively (as Commvault
	 * routes); a RegExp is tested against the path exactly as sent. Any path when omitted.
	 */
	path?: string | RegExp;
	/** Only a request for which this is true (e.g. one that carries a given token). */
	when?: (request: RecordedRequest) => boolean;
}

export interface ScriptedResponse {
	/** Default 200. */
	status?: number;
	headers?: Record<string, string>;
	/** An object or array is sent as JSON; a string is sent as is; undefined sends an empty body. */
	body?: unknown;
	/** A body built from the request it answers (one that quotes what it was sent, say); wins over `body`. */
	echo?: (request: RecordedRequest) => unknown;
	/** Wait this long before answering (to test client timeouts). */
	delayMs?: number;
	/** Drop the connection without answering (to test network errors). */
	destroySocket?: boolean;
	/** Carry the request out as Commvault would (e.g. create the app) before answering as scripted. */
	afterSimulating?: boolean;
	/** Never answer (the connection stays open until the client gives up or stop()). */
	hang?: boolean;
	/** Send the status, the headers (with the whole body's Content-Length) and this many body bytes, then drop the connection. */
	cutAfterBytes?: number;
	/** Send the body one byte at a time, this many milliseconds apart. */
	trickleMs?: number;
}

export interface SimApp {
	id: number;
	workload: SimWorkload;
	name: string;
	serverPlan: { id: number; name: string };
	/** SharePoint apps only. */
	tenantAdminSiteURL?: string;
	/** The `azureApp` object exactly as received. */
	azureApp: Record<string, unknown>;
	/** Base64 fields decoded, so tests can check what the node actually encoded. */
	decoded: { applicationSecret?: string; certificatePassword?: string; certificate?: Buffer };
	content: Array<{ type: string; plan: { id: number; name: string }; group?: { GUID?: string; name?: string } }>;
	company: { id: number; name: string };
	stats: AppStats;
}
