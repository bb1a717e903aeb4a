/** The simulator's own tests: one simulator per describe block, reset before each test. */
import { call, CallOptions } from './http-client';
import { CommvaultSimulator } from './server';
import type { SimulatorOptions } from './types';

export interface UsedSimulator {
	sim: () => CommvaultSimulator;
	req: (method: string, path: string, options?: CallOptions) => ReturnType<typeof call>;
}

/** Starts a simulator for one describe block and stops it afterwards; `sim` is reset before each test. */
export function useSimulator(options: SimulatorOptions = {}): UsedSimulator {
	let sim: CommvaultSimulator | undefined;
	beforeAll(async () => {
		sim = new CommvaultSimulator(options);
		await sim.start();
	});
	afterAll(async () => sim?.stop());
	beforeEach(() => sim?.reset());
	const get = (): CommvaultSimulator => {
		if (!sim) throw new Error('simulator not started');
		return sim;
	};
	return { sim: get, req: (method, path, o) => call(get().baseUrl, method, path, o) };
}
