/**
 * Back Up Now, jobs and protected items in the engine tier: the apps to back up, and simulated
 * time. The node's wait is scaled by its test-only clock (jobs/waiting.ts `waitClock`, no node
 * parameter) and the simulator's jobs run on a clock as much faster, so a 2-minute job and its
 * polls every 3 … 30 s take a second, with the same number of polls as in real time.
 */
import type { INodeParameters } from 'n8n-workflow';

import { waitClock } from '../../../nodes/Commvault/jobs';
import type { CommvaultSimulator, Office365Workload, SimApp } from '../../simulator';

/** The four Microsoft 365 workloads: the node's resource and the simulator's workload. */
export const PROTECTED_WORKLOADS: Array<[string, Office365Workload]> = [
	['exchangeApp', 'Exchange'],
	['oneDriveApp', 'OneDrive'],
	['sharePointApp', 'SharePoint'],
	['teamsApp', 'Teams'],
];

/** One real millisecond per `1000 / msPerSecond` simulated seconds, for the node and the simulator alike. */
export function simulateTime(sim: CommvaultSimulator, msPerSecond: number): void {
	waitClock.msPerSecond = msPerSecond;
	sim.jobs.clock.speed = 1000 / msPerSecond;
}

/** Registers jest hooks: simulated time for every test of the file (after the simulator's reset), real time after. */
export function useSimulatedTime(sim: CommvaultSimulator, msPerSecond: number): void {
	beforeEach(() => simulateTime(sim, msPerSecond));
	afterAll(() => {
		waitClock.msPerSecond = 1000;
	});
}

/** An app of a workload, seeded directly. */
export function appOf(sim: CommvaultSimulator, workload: Office365Workload, name = `${workload} Contoso`): SimApp {
	return sim.addApp({ name, workload });
}

export function backupParameters(resource: string, appId: number, overrides: INodeParameters = {}): INodeParameters {
	return { resource, operation: 'backup', appId, ...overrides };
}

/** The simulated seconds between the node's polls of one job. */
export function pollGaps(sim: CommvaultSimulator, jobId: number, msPerSecond: number): number[] {
	const times = sim.requestsTo('GET', `/Job/${jobId}`).map((request) => request.receivedAt);
	return times.slice(1).map((time, index) => (time - times[index]) / msPerSecond);
}
