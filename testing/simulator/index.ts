/** The Commvault Command Center simulator used by every test tier. See README.md. */
export { CommvaultSimulator } from './server';
export { generateApps, toClientData } from './apps';
export type { AlertSeed, AlertSeverity, SimAlert } from './alerts';
export { DEFAULT_AUTHTOKEN, DEFAULT_USER } from './auth';
export { DEFAULT_PLANS, generatePlans, toPlanSummary } from './plans';
export { FIRST_COMPANY_ID } from './companies';
export { CUSTOMERS, customerPlans, DELETED_COMPANY, MSP_COMPANIES, MSP_PLANS, SHARED_PLAN_ID, TWINS, type Customer } from './company-seed';
export { CommvaultErrors } from './scripts';
export {
	generateProtectedItems,
	PROTECTION,
	SimProtection,
	type LastBackupStatus,
	type SimBackup,
	type SimProtectedItem,
} from './protection';
export { JOB_TYPES, SimClock, SimJobs, type BackupOutcome, type SimJob, type SimJobSeed, type SimJobType } from './jobs';
export { ERROR_CODES, WORKLOADS } from './routes';
export { formatErrors, SchemaRegistry } from './schema';
export { JOBS_API_FILE, loadSpec, OPENAPI_FILE } from './spec';
export type { Schema, ValidationError } from './schema';
export type {
	AppSeed,
	AppStats,
	CompanySeed,
	CompanyStatus,
	Office365Workload,
	PlanSeed,
	PlanStatus,
	PlanType,
	RecordedRequest,
	RequestMatch,
	ScriptedResponse,
	SimApp,
	SimCompany,
	SimPaging,
	SimulatorOptions,
	SimUser,
	SimWorkload,
	TlsMaterial,
} from './types';
