import { Credentials, getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, UnexpectedError, Workflow, isExpression } from 'n8n-workflow';

import { NodeTypeRegistry } from './node-types';

/** One call of a credential type's own `preAuthentication` (i.e. one "login"). */
export interface PreAuthenticationCall {
	credentialType: string;
	/** true when n8n-core asked again after a 401 */
	credentialsExpired: boolean;
	/** true when it ran because the credential dialog's "Test" was pressed */
	testing: boolean;
	/**
	 * true when the output carried the expirable property, i.e. n8n saved a new
	 * token. A type may return `{}` (e.g. in a non-login auth mode); such calls
	 * happen on every request and are not logins.
	 */
	refreshed: boolean;
}

/** Node type n8n's credential test runs as; preAuthentication recognises it. */
export const CREDENTIAL_TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

/** Stands in for the node the CLI helper uses when resolving credential expressions outside a run. */
const MOCK_NODE: INode = {
	id: 'mock',
	name: '',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const MOCK_NODE_TYPE: INodeType = {
	description: {
		displayName: 'Mock',
		name: 'mock',
		group: [],
		version: 1,
		description: '',
		defaults: { name: 'Mock' },
		inputs: [],
		outputs: [],
		properties: [],
	},
};

/**
 * ICredentialsHelper for tests: serves the credential data a test hands in
 * (already decrypted) and behaves like n8n's CLI CredentialsHelper for
 * everything the engine relies on: defaults applied from the type's
 * properties, expressions resolved, the type's own `authenticate` applied,
 * and `preAuthentication` for expirable tokens. "Saving" refreshed
 * credentials only updates this in-memory store, which lives for one run.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly types = new Map<string, ICredentialType>();

	private readonly store = new Map<string, ICredentialDataDecryptedObject>();

	readonly preAuthenticationCalls: PreAuthenticationCall[] = [];

	/** Decrypted reads (what a node's getCredentials costs n8n: a database read and a decryption), by credential id or type. */
	private readonly readCounts = new Map<string, number>();

	constructor(
		credentialTypes: ICredentialType[],
		credentials: Record<string, ICredentialDataDecryptedObject> = {},
	) {
		super();
		for (const type of credentialTypes) this.types.set(type.name, type);
		for (const [typeName, data] of Object.entries(credentials)) {
			this.getType(typeName);
			this.store.set(typeName, structuredClone(data));
		}
	}

	/** How many times preAuthentication produced a new token (all types when omitted). */
	refreshCount(credentialType?: string): number {
		return this.preAuthenticationCalls.filter(
			(call) => call.refreshed && (credentialType === undefined || call.credentialType === credentialType),
		).length;
	}

	/**
	 * The stored (raw) credential data as n8n would have persisted it, e.g. after a token refresh:
	 * of the credential saved under this id (see `save`), else of the one given for this type.
	 */
	storedData(credentialTypeOrId: string): ICredentialDataDecryptedObject | undefined {
		const data = this.store.get(credentialTypeOrId);
		return data === undefined ? undefined : structuredClone(data);
	}

	/**
	 * Saves a credential under its id, as n8n's database holds many of one type (an MSP's n8n:
	 * one per customer). A node whose `credentials` name this id gets it; others get the one
	 * given for their type.
	 */
	save(id: string, typeName: string, data: ICredentialDataDecryptedObject): void {
		this.getType(typeName);
		this.store.set(id, structuredClone(data));
	}

	/**
	 * What the credential dialog's Save does to a stored credential: the fields given change, the
	 * rest (the hidden login token among them) stays. Executions under way read it on their next read.
	 */
	edit(id: string, changes: ICredentialDataDecryptedObject): void {
		const data = this.store.get(id);
		if (data === undefined) throw new UnexpectedError(`testing/engine: no credential saved under id "${id}"`);
		this.store.set(id, { ...data, ...structuredClone(changes) });
	}

	/**
	 * Holds a decrypted read back after its data was taken (its number, 1-based per credential, is
	 * passed), as a slow database answer would: a read started earlier can then end after a later one.
	 */
	readDelay?: (readNumber: number) => Promise<void> | undefined;

	/** How many times a credential was read decrypted, by its id (see `save`) or its type. */
	reads(credentialTypeOrId: string): number {
		return this.readCounts.get(credentialTypeOrId) ?? 0;
	}

	getType(typeName: string): ICredentialType {
		const type = this.types.get(typeName);
		if (type === undefined) {
			throw new UnexpectedError(`testing/engine: unknown credential type "${typeName}"`, {
				extra: { known: [...this.types.keys()] },
			});
		}
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getType(type);
		if (credentialType.extends === undefined) return credentialType.properties;

		// Same precedence as n8n: parents first, the type's own properties win.
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<Credentials> {
		const credentials = new Credentials(nodeCredentials, type);
		credentials.setData(this.rawData(type, nodeCredentials.id));
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		// A fresh object every call, like a DB read: n8n-core mutates what it
		// gets back (Object.assign of preAuthentication output).
		const key = this.keyOf(type, nodeCredentials.id);
		const readNumber = (this.readCounts.get(key) ?? 0) + 1;
		this.readCounts.set(key, readNumber);
		const data = this.rawData(type, nodeCredentials.id);
		await this.readDelay?.(readNumber);
		if (raw === true) return data;
		return await this.applyDefaultsAndResolve(
			additionalData,
			data,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** What the CLI does before using stored data: type defaults, then expressions. */
	async applyDefaultsAndResolve(
		additionalData: IWorkflowExecuteAdditionalData,
		data: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const properties = this.getCredentialsProperties(type);
		// Defaults matter: a hidden expirable token that was never stored comes
		// back as '' here, which is what makes preAuthentication fire. Fields
		// hidden by displayOptions are dropped, as in n8n.
		const withDefaults = (NodeHelpers.getNodeParameters(
			properties,
			data as INodeParameters,
			true,
			false,
			null,
			null,
		) ?? {}) as ICredentialDataDecryptedObject;
		if (data.oauthTokenData !== undefined) withDefaults.oauthTokenData = data.oauthTokenData;

		const additionalKeys = getAdditionalKeys(additionalData, mode, null);

		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } =
				expressionResolveValues;
			return workflow.expression.getParameterValue(
				withDefaults as INodeParameters,
				runExecutionData,
				runIndex,
				itemIndex,
				node.name,
				connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				withDefaults,
			) as ICredentialDataDecryptedObject;
		}

		// Outside a run (e.g. the credential test) there is no workflow to borrow,
		// so resolve against a throwaway one. n8n-workflow 1.120.14 has only the
		// legacy expression engine, so there is no VM isolate to hold (later 1.x
		// patches wrap this call in expression.withIsolate).
		return this.mockWorkflow().expression.getComplexParameterValue(
			MOCK_NODE,
			withDefaults as INodeParameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(this.keyOf(type, nodeCredentials.id), structuredClone(data));
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(this.keyOf(type, nodeCredentials.id), { ...this.rawData(type, nodeCredentials.id), oauthTokenData: data.oauthTokenData });
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.getType(typeName);
		if (authenticate === undefined) return requestOptions as IHttpRequestOptions;

		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}

		// Generic block: every `properties.<target>.<key>` (headers, qs, body,
		// auth) is resolved as an expression with only $credentials in scope
		// and written onto the request, exactly one level deep as in n8n.
		if (requestOptions.headers === undefined) requestOptions.headers = {};
		if (authenticate.type === 'generic') {
			const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
			const additionalKeys: IWorkflowDataProxyAdditionalKeys = { $credentials: credentials };
			for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
					const resolvedKey = this.resolveValue(key, additionalKeys, workflow, node);
					const resolvedValue = this.resolveValue(value, additionalKeys, workflow, node);
					target[outerKey] ??= {};
					(target[outerKey] as Record<string, unknown>)[resolvedKey] = resolvedValue;
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getType(typeName);

		// n8n only honours `expirable` on a HIDDEN property; a visible one never
		// triggers preAuthentication. Mirrored so tests catch that mistake.
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined) return undefined;
		if (typeof credentialType.preAuthentication !== 'function') return undefined;

		const testing = node.parameters?.temp === '' && node.type === CREDENTIAL_TEST_NODE_TYPE;
		if (credentials[expirable.name] !== '' && !credentialsExpired && !testing) return undefined;

		const call: PreAuthenticationCall = {
			credentialType: typeName,
			credentialsExpired,
			testing,
			refreshed: false,
		};
		this.preAuthenticationCalls.push(call);
		const output = await credentialType.preAuthentication.call(helpers, credentials);

		// n8n ignores output that does not carry the expirable property (and so
		// never persists it).
		if (output[expirable.name] === undefined) return undefined;
		call.refreshed = true;
		if (!node.credentials) return undefined;

		// Persist onto the STORED data, keeping fields the user stored as
		// expressions as expressions (the resolved value is only valid this run).
		const stored = this.rawData(typeName, node.credentials?.[typeName]?.id ?? undefined);
		const toPersist: ICredentialDataDecryptedObject = { ...stored };
		for (const [key, value] of Object.entries(output)) {
			if (key === expirable.name || !isExpression(stored[key])) {
				toPersist[key] = value as ICredentialDataDecryptedObject[string];
			}
		}
		await this.updateCredentials(node.credentials[typeName], typeName, toPersist);
		return Object.assign(credentials, output);
	}

	/** A credential saved under its id, else the one given for its type. */
	private keyOf(type: string, id?: string | null): string {
		return id && this.store.has(id) ? id : type;
	}

	private rawData(type: string, id?: string | null): ICredentialDataDecryptedObject {
		const data = this.store.get(this.keyOf(type, id));
		if (data === undefined) {
			throw new UnexpectedError(`testing/engine: no credential data given for type "${type}"`);
		}
		return structuredClone(data);
	}

	private resolveValue(
		value: unknown,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (typeof value !== 'string') return value as string;
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!resolved) return '';
		return resolved.toString();
	}

	private mockWorkflow(): Workflow {
		const registry = new NodeTypeRegistry();
		registry.register(MOCK_NODE.type, MOCK_NODE_TYPE);
		return new Workflow({
			nodes: [structuredClone(MOCK_NODE)],
			connections: {},
			active: false,
			nodeTypes: registry,
		});
	}
}
