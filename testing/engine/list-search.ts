import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { TestCredentialsHelper, type PreAuthenticationCall } from './credentials-helper';
import { withEngine } from './engine-context';
import { DEFAULT_PACKAGE_NAME } from './run';
import { NodeTypeRegistry, latestVersion, toCredentialType, toNodeType, type CredentialTypeInput, type NodeTypeInput } from './node-types';

/** The name n8n's REST layer gives the throwaway node it runs listSearch methods on. */
const TEMP_NODE_NAME = 'Temp-Node';

export interface RunListSearchOptions {
	nodeType: NodeTypeInput;
	/** The `listSearch` method's name, as in the locator's `typeOptions.searchListMethod`. */
	method: string;
	/** What the user typed into the list's search box. */
	filter?: string;
	paginationToken?: unknown;
	/** The node's current parameters as the editor holds them (defaults are filled in, as in n8n). */
	parameters?: INodeParameters;
	/** Path of the parameter whose list is opened, e.g. `parameters.serverPlan`. */
	path?: string;
	credentialTypes?: CredentialTypeInput[];
	/** Decrypted credential data keyed by type; the node gets every one of them. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	typeVersion?: number;
	packageName?: string;
	echoLogs?: boolean;
	/** A store shared with runs (see TestCredentialsHelper.save), and which saved credential the node uses, by type. */
	credentialsHelper?: TestCredentialsHelper;
	credentialIds?: Record<string, string>;
}

export interface ListSearchOutcome extends INodeListSearchResult {
	logs: string[];
	preAuthenticationCalls: PreAuthenticationCall[];
}

/**
 * What n8n does when the editor opens (or searches) a resource locator's list: a throwaway
 * workflow holding one node with the current parameters, n8n-core's LoadOptionsContext over it
 * (mode `internal`, `additionalData.currentNodeParameters` set), and the node type's
 * `methods.listSearch[method]` called on that context with the filter. Credentials, their
 * `authenticate` and `preAuthentication` go through the same helpers as in a workflow run.
 * A method that throws rejects this promise, as the REST endpoint would answer with an error.
 */
export async function runListSearch(options: RunListSearchOptions): Promise<ListSearchOutcome> {
	const credentialData = options.credentials ?? {};
	return await withEngine({ echoLogs: options.echoLogs }, async (engine) => {
		const nodeType = toNodeType(options.nodeType);
		const typeVersion = options.typeVersion ?? latestVersion(nodeType);
		const versioned: INodeType = NodeHelpers.getVersionedNodeType(nodeType, typeVersion);
		const search = versioned.methods?.listSearch?.[options.method];
		if (typeof search !== 'function') {
			throw new Error(`testing/engine: the node type has no listSearch method "${options.method}"`);
		}

		const typeName = `${options.packageName ?? DEFAULT_PACKAGE_NAME}.${nodeType.description.name}`;
		const registry = new NodeTypeRegistry();
		registry.register(typeName, nodeType);

		const parameters = structuredClone(options.parameters ?? {});
		const node: INode = {
			id: 'list-search-node',
			name: TEMP_NODE_NAME,
			type: typeName,
			typeVersion,
			position: [0, 0],
			parameters,
			credentials: Object.fromEntries(
				[...new Set([...Object.keys(credentialData), ...Object.keys(options.credentialIds ?? {})])].map((type) => [
					type,
					{ id: options.credentialIds?.[type] ?? `cred-${type}`, name: `${type} (test)` },
				]),
			),
		};
		// The constructor fills parameter defaults into the node, as n8n's REST layer relies on.
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: registry });

		const credentialsHelper =
			options.credentialsHelper ?? new TestCredentialsHelper((options.credentialTypes ?? []).map(toCredentialType), credentialData);
		const additionalData = buildAdditionalData({
			credentialsHelper,
			executionId: `list-search-${Date.now()}`,
			mode: 'internal',
		});
		additionalData.currentNodeParameters = workflow.getNode(TEMP_NODE_NAME)?.parameters ?? parameters;

		const context = new LoadOptionsContext(
			workflow,
			workflow.getNode(TEMP_NODE_NAME) ?? node,
			additionalData,
			options.path ?? `parameters.${options.method}`,
		);
		const result = await search.call(context, options.filter, options.paginationToken as string | undefined);
		return {
			...result,
			logs: [...engine.logger.lines],
			preAuthenticationCalls: [...credentialsHelper.preAuthenticationCalls],
		};
	});
}
