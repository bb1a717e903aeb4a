/**
 * Every body the protection lifecycle sends is valid against Commvault's schemas: Back Up Now's
 * for each workload and selection (openapi-subset.yaml, Office365…BackupReq), and `POST /Jobs`
 * for any filter and page window (jobs-api.yaml, JobsRequest). The engine tier sends them to the
 * strict simulator (test/engine/backup.test.ts, jobs.test.ts); this checks the whole input space.
 */
import fc from 'fast-check';

import { backupBody, type Selection } from '../../nodes/Commvault/actions/apps/backup.operation';
import { WORKLOADS, type WorkloadName } from '../../nodes/Commvault/actions/apps/workloads';
import { INT32_MAX } from '../../nodes/Commvault/helpers/validation';
import { JOB_STATUSES, jobsRequestBody } from '../../nodes/Commvault/jobs';
import { loadSpec } from '../../testing/simulator';
import { propertyOptions } from './support/batch';

const { registry, operations } = loadSpec();
const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 200) || 200);

const BACKUP_OPERATIONS: Partial<Record<WorkloadName, string>> = {
	exchangeApp: 'PerformExchangeBackup',
	oneDriveApp: 'PerformOnedriveBackup',
	sharePointApp: 'PerformSharepointBackup',
	teamsApp: 'PerformTeamsBackup',
};

const SELECTIONS: Selection[] = ['all', 'neverBackedUp', 'notBackedUpRecently', 'backedUpRecently'];

it('Back Up Now: every workload\'s body for every selection is valid against its schema, and each selection a different word', () => {
	for (const [resource, operationId] of Object.entries(BACKUP_OPERATIONS) as Array<[WorkloadName, string]>) {
		const { protection } = WORKLOADS[resource] as { protection?: Parameters<typeof backupBody>[0] };
		if (!protection) throw new Error(`${resource} has no protection facts`);
		const schema = operations.get(operationId)?.bodySchema;
		if (!schema) throw new Error(`${operationId} has no body schema`);
		const bodies = SELECTIONS.map((selection) => backupBody(protection, selection));
		for (const body of bodies) expect({ resource, body, errors: registry.validate(schema, body) }).toEqual({ resource, body, errors: [] });
		expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(SELECTIONS.length);
	}
});

it('POST /Jobs: the body for any filter and page window is a valid JobsRequest', () => {
	fc.assert(
		fc.property(
			fc.record(
				{
					appId: fc.integer({ min: 1, max: INT32_MAX }),
					statuses: fc.subarray([...JOB_STATUSES]),
					backupOnly: fc.boolean(),
					lookbackHours: fc.oneof(fc.integer({ min: 1, max: 24 * 365 }), fc.double({ min: 0.0001, max: 10_000, noNaN: true })),
				},
				{ requiredKeys: [] },
			),
			fc.record({ offset: fc.integer({ min: 0, max: 1_000_000 }), limit: fc.integer({ min: 1, max: 100 }) }),
			(filters, window) => {
				const body = jobsRequestBody(filters, window);
				expect(registry.validate('JobsRequest', body)).toEqual([]);
			},
		),
		propertyOptions(RUNS),
	);
});
