/** Apps as the simulator keeps them, seeds for many at once, and an app as Commvault lists it. */
import { DEFAULT_COMPANY } from './plans';
import type { AppSeed, AppStats, Office365Workload, SimApp, SimWorkload } from './types';

export const NO_STATS: Readonly<AppStats> = Object.freeze({ itemsBackedUp: 0, associatedEntities: 0, backupSize: 0, backupHealthPercentage: 0 });

/** A new app record; the fields a create request carries are filled in by its caller. */
export function newApp(id: number, name: string, workload: SimWorkload, serverPlan: SimApp['serverPlan'], stats: AppStats = NO_STATS): SimApp {
	return { id, workload, name, serverPlan, azureApp: {}, decoded: {}, content: [], company: { ...DEFAULT_COMPANY }, stats: { ...stats } };
}

/**
 * Many apps for list and paging tests (and the benchmark's 10,000): `count` apps of `workload`,
 * ids from `firstId` (default: the next free id), names `<prefix>-<workload>-<n>` (n zero-padded,
 * so names sort as ids do), backup figures that differ from app to app so a list's JSON has the
 * size a real one has.
 */
export function generateApps(
	count: number,
	options: { workload?: Office365Workload; firstId?: number; prefix?: string } = {},
): AppSeed[] {
	const { workload = 'Exchange', firstId, prefix = 'Bulk' } = options;
	const width = String(count).length;
	return Array.from({ length: count }, (_, i) => ({
		...(firstId === undefined ? {} : { id: firstId + i }),
		name: `${prefix}-${workload}-${String(i + 1).padStart(width, '0')}`,
		workload,
		stats: {
			itemsBackedUp: (i * 7919) % 250_000,
			associatedEntities: (i * 31) % 5_000,
			backupSize: ((i * 7919) % 250_000) * 48_271,
			backupHealthPercentage: ((i * 37) % 1_001) / 10,
		},
	}));
}

/** `Office365ClientData`, key order as API.md lists it. */
export function toClientData(app: SimApp): Record<string, unknown> {
	return {
		id: app.id,
		name: app.name,
		serverPlan: { ...app.serverPlan },
		company: { ...app.company },
		backupHealthPercentage: app.stats.backupHealthPercentage,
		itemsBackedUp: app.stats.itemsBackedUp,
		backupSize: app.stats.backupSize,
		associatedEntities: app.stats.associatedEntities,
	};
}
