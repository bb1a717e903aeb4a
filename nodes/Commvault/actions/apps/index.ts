/**
 * The app resources, one per row of the workload table (workloads.ts): each with the operations
 * node.type.ts gives it, built for its workload.
 */
import { OPERATIONS_OF, type CommvaultMap } from '../../node.type';
import { subtitleText } from '../subtitle';
import type { CommvaultOperation, CommvaultResource } from '../types';
import { addContentOperation } from './addContent.operation';
import { backupOperation } from './backup.operation';
import { createOperation } from './create.operation';
import { getManyOperation } from './getMany.operation';
import { getProtectedItemsOperation } from './getProtectedItems.operation';
import { WORKLOAD_NAMES, WORKLOADS, type Workload, type WorkloadName } from './workloads';

type AppOperation = CommvaultMap[WorkloadName];

/** Every app operation's builder; which app kinds have it is node.type.ts's to say. */
const BUILDERS: Record<AppOperation, (workload: Workload, resource: WorkloadName) => CommvaultOperation> = {
	create: createOperation,
	addContent: addContentOperation,
	getMany: getManyOperation,
	backup: backupOperation,
	getProtectedItems: getProtectedItemsOperation,
};

function appResource(resource: WorkloadName): CommvaultResource {
	return {
		option: { name: WORKLOADS[resource].resourceName, value: resource },
		operations: OPERATIONS_OF[resource].map((operation) => BUILDERS[operation](WORKLOADS[resource], resource)),
		subtitle: subtitleText('app'),
	};
}

export const appResources = Object.fromEntries(WORKLOAD_NAMES.map((resource) => [resource, appResource(resource)])) as Record<
	WorkloadName,
	CommvaultResource
>;
