/** The Commvault Command Center simulator used by every test tier. See README.md. */
export { CommvaultSimulator } from './server';
export { DEFAULT_AUTHTOKEN, DEFAULT_USER } from './auth';
export { DEFAULT_PLANS, generatePlans, toPlanSummary } from './plans';
export { CommvaultErrors } from './scripts';
export { ERROR_CODES, WORKLOADS } from './routes';
export { formatErrors, SchemaRegistry } from './schema';
export { loadSpec, OPENAPI_FILE } from './spec';
export type { Schema, ValidationError } from './schema';
export type {
	AppSeed,
	PlanSeed,
	PlanStatus,
	PlanType,
	RecordedRequest,
	RequestMatch,
	ScriptedResponse,
	SimApp,
	SimulatorOptions,
	SimUser,
	SimWorkload,
	TlsMaterial,
} from './types';
