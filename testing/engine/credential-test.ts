import { Container } from '@n8n/di';
import { ErrorReporter, ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	ITaskDataConnections,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import {
	CREDENTIAL_TEST_NODE_TYPE,
	TestCredentialsHelper,
	type PreAuthenticationCall,
} from './credentials-helper';
import { withEngine } from './engine-context';
import { NodeTypeRegistry, toCredentialType, type CredentialTypeInput } from './node-types';

export interface TestCredentialOptions {
	/** Parent credential types the tested type `extends`. */
	parentTypes?: CredentialTypeInput[];
	/** Id/name of the saved credential (the dialog saves before it tests). */
	id?: string;
	name?: string;
	echoLogs?: boolean;
}

export interface CredentialTestOutcome extends INodeCredentialTestResult {
	/** Every line n8n logged while testing. */
	logs: string[];
	preAuthenticationCalls: PreAuthenticationCall[];
}

/** The No-Op node description n8n runs credential test requests as. */
const NO_OP_TYPE: INodeType = {
	description: {
		displayName: 'No Operation, do nothing',
		name: CREDENTIAL_TEST_NODE_TYPE,
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
};

/**
 * What n8n does when the user presses "Test" in the credential dialog of a
 * credential with a declarative `test` request: apply defaults and resolve
 * expressions, then run the request as the routing property of a temporary
 * No-Op node through n8n-core's RoutingNode (so `authenticate`,
 * `preAuthentication` and SSL options go through the real request helpers),
 * and map the outcome to OK/Error with the request's rules.
 */
export async function testCredential(
	credentialTypeInput: CredentialTypeInput,
	data: ICredentialDataDecryptedObject,
	options: TestCredentialOptions = {},
): Promise<CredentialTestOutcome> {
	const credentialType = toCredentialType(credentialTypeInput);
	const typeName = credentialType.name;

	return await withEngine({ echoLogs: options.echoLogs }, async (engine) => {
		const helper = new TestCredentialsHelper(
			[credentialType, ...(options.parentTypes ?? []).map(toCredentialType)],
			{ [typeName]: data },
		);
		const finish = (result: INodeCredentialTestResult): CredentialTestOutcome => ({
			...result,
			logs: [...engine.logger.lines],
			preAuthenticationCalls: [...helper.preAuthenticationCalls],
		});

		const testRequest = credentialType.test;
		if (testRequest === undefined) {
			return finish({ status: 'Error', message: 'No testing function found for this credential.' });
		}

		const additionalData = buildAdditionalData({
			credentialsHelper: helper,
			executionId: `credential-test-${Date.now()}`,
			mode: 'internal',
		});

		const credentialsDecrypted: ICredentialsDecrypted = {
			id: options.id ?? `cred-${typeName}`,
			name: options.name ?? `${typeName} (test)`,
			type: typeName,
			data: {},
		};
		try {
			credentialsDecrypted.data = await helper.applyDefaultsAndResolve(
				additionalData,
				structuredClone(data),
				typeName,
				'internal',
			);
		} catch (error) {
			engine.logger.debug('Credential test failed', { error });
			return finish({ status: 'Error', message: String((error as Error).message) });
		}

		return finish(await runTestRequest(testRequest, credentialsDecrypted, additionalData));
	});
}

async function runTestRequest(
	testRequest: ICredentialTestRequest,
	credentialsDecrypted: ICredentialsDecrypted,
	additionalData: ReturnType<typeof buildAdditionalData>,
): Promise<INodeCredentialTestResult> {
	const typeName = credentialsDecrypted.type;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: CREDENTIAL_TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		// Empty on purpose: the Workflow fills in `temp: ''`, which is how
		// preAuthentication recognises a credential test.
		parameters: {},
		credentials: { [typeName]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const testNodeType: INodeType = {
		description: {
			...NO_OP_TYPE.description,
			credentials: [{ name: typeName, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const registry = new NodeTypeRegistry();
	registry.register(CREDENTIAL_TEST_NODE_TYPE, testNodeType);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: registry });

	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		inputData,
		executeData,
		[],
	);

	let response: INodeExecutionData[][] | undefined;
	try {
		response = await new RoutingNode(context, testNodeType, credentialsDecrypted).runNode();
	} catch (caught) {
		const error = caught as Error & {
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		Container.get(ErrorReporter).error(error);
		// Like n8n: no exception escapes; failures become an Error result.
		const failedResponse = error.cause?.response;
		if (failedResponse) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && failedResponse.status === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (failedResponse.status < 199 || failedResponse.status > 299) {
				return {
					status: 'Error',
					message: failedResponse.statusText || `Received HTTP status code: ${failedResponse.status}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json;
			if (getPath(body, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** lodash.get-style lookup ("a.b[0].c"), which is what n8n uses for `responseSuccessBody` keys. */
function getPath(value: unknown, path: string): unknown {
	const segments = path.split(/[.[\]]/).filter((segment) => segment !== '');
	let current: unknown = value;
	for (const segment of segments) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}
