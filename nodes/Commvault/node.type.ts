/**
 * The node's resources and the operations each has: the one map the registry, the router's
 * dispatch and the Operation lists follow (as n8n's Microsoft Teams V2 node.type.ts). A resource
 * or operation missing from the registry is a type error.
 */
export const OPERATIONS_OF = {
	// Commvault documents no V4 list or backup of Dynamics 365 apps (API.md): no Get Many, lookup by name, backup or protected items.
	dynamics365App: ['create', 'addContent'],
	exchangeApp: ['create', 'addContent', 'getMany', 'backup', 'getProtectedItems'],
	oneDriveApp: ['create', 'addContent', 'getMany', 'backup', 'getProtectedItems'],
	sharePointApp: ['create', 'addContent', 'getMany', 'backup', 'getProtectedItems'],
	teamsApp: ['create', 'addContent', 'getMany', 'backup', 'getProtectedItems'],
	job: ['get', 'getMany'],
} as const;

export type CommvaultMap = { [R in keyof typeof OPERATIONS_OF]: (typeof OPERATIONS_OF)[R][number] };

export type ResourceName = keyof CommvaultMap;

/** A resource and one of its operations. */
export type CommvaultType = { [R in ResourceName]: { resource: R; operation: CommvaultMap[R] } }[ResourceName];

/** Whether a resource has an operation, e.g. whether an app kind can be listed (and so looked up by name). */
export function hasOperation(resource: ResourceName, operation: string): boolean {
	return (OPERATIONS_OF[resource] as readonly string[]).includes(operation);
}
