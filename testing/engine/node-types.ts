import type {
	ICredentialType,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

/** A node type as a test has it at hand: an instance or its class. */
export type NodeTypeInput = INodeType | IVersionedNodeType | (new () => INodeType | IVersionedNodeType);

/** A credential type as a test has it at hand: an instance or its class. */
export type CredentialTypeInput = ICredentialType | (new () => ICredentialType);

export function toNodeType(input: NodeTypeInput): INodeType | IVersionedNodeType {
	return typeof input === 'function' ? new input() : input;
}

export function toCredentialType(input: CredentialTypeInput): ICredentialType {
	return typeof input === 'function' ? new input() : input;
}

/**
 * The version the editor would put on a freshly added node: the declared
 * default for versioned types, otherwise the highest listed version.
 */
export function latestVersion(type: INodeType | IVersionedNodeType): number {
	if (isVersioned(type)) return type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

function isVersioned(type: INodeType | IVersionedNodeType): type is IVersionedNodeType {
	return 'nodeVersions' in type;
}

/** Minimal INodeTypes keyed by the full type name a workflow node carries. */
export class NodeTypeRegistry implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	register(typeName: string, type: INodeType | IVersionedNodeType): void {
		this.types.set(typeName, type);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.lookup(nodeType);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.lookup(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}

	private lookup(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (type === undefined) {
			throw new UnexpectedError(`testing/engine: unknown node type "${nodeType}"`);
		}
		return type;
	}
}
