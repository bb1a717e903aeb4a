import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type {
	ExecuteWorkflowData,
	ICredentialsHelper,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	Result,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

/** Base URL the engine builds resume/webhook links from; nothing listens there. */
const INSTANCE_BASE_URL = 'http://127.0.0.1:5678';

export interface AdditionalDataOptions {
	credentialsHelper: ICredentialsHelper;
	executionId: string;
	mode: WorkflowExecuteMode;
	/** The workflow being run; lifecycle hooks are bound to it. Omit outside a workflow run. */
	workflowData?: IWorkflowBase;
	userId?: string;
}

/**
 * What the CLI's `WorkflowExecuteAdditionalData.getBase()` provides, minus
 * everything that needs a database, a queue or a task runner. Features the
 * harness does not support fail loudly instead of silently doing nothing.
 */
export function buildAdditionalData(options: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	const { credentialsHelper, executionId, mode, workflowData, userId = 'test-user' } = options;

	const additionalData: IWorkflowExecuteAdditionalData = {
		credentialsHelper,
		executionId,
		userId,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${INSTANCE_BASE_URL}/rest`,
		instanceBaseUrl: `${INSTANCE_BASE_URL}/`,
		formWaitingBaseUrl: `${INSTANCE_BASE_URL}/form-waiting`,
		webhookBaseUrl: `${INSTANCE_BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_BASE_URL}/webhook-test`,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		async executeWorkflow(): Promise<ExecuteWorkflowData> {
			throw new UnexpectedError('testing/engine: sub-workflow execution is not supported');
		},
		async getRunExecutionData(): Promise<IRunExecutionData | undefined> {
			return undefined;
		},
		logAiEvent: () => undefined,
		async startRunnerTask<T, E = unknown>(): Promise<Result<T, E>> {
			throw new UnexpectedError('testing/engine: task runners (Code node) are not supported');
		},
	};

	// WorkflowExecute asserts hooks exist; without handlers they are no-ops,
	// which is what an unsaved manual execution without a UI gets.
	if (workflowData !== undefined) {
		additionalData.hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	}
	return additionalData;
}
