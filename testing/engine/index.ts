/**
 * Engine test harness: runs nodes inside n8n-core's real WorkflowExecute
 * (and credential tests through n8n-core's RoutingNode) with an in-memory
 * credentials helper and captured logs.
 */
export {
	runNode,
	runWorkflow,
	INPUT_NODE_NAME,
	DEFAULT_PACKAGE_NAME,
	type InputBinary,
	type InputItem,
	type NodeSpec,
	type NodeRunResult,
	type RunNodeOptions,
	type RunNodeResult,
	type RunWorkflowOptions,
	type WorkflowRunResult,
} from './run';
export { runListSearch, type ListSearchOutcome, type RunListSearchOptions } from './list-search';
export { testCredential, type CredentialTestOutcome, type TestCredentialOptions } from './credential-test';
export {
	TestCredentialsHelper,
	CREDENTIAL_TEST_NODE_TYPE,
	type PreAuthenticationCall,
} from './credentials-helper';
export { buildAdditionalData, type AdditionalDataOptions } from './additional-data';
export { withEngine, type BinaryMode, type EngineContext } from './engine-context';
export { CapturingLogger, renderForLog } from './logger';
export type { CredentialTypeInput, NodeTypeInput } from './node-types';
