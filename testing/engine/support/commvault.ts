/**
 * Run the Commvault node inside n8n's engine against a simulator the test owns.
 *
 * `runCommvault` starts and stops nothing: the caller creates a `CommvaultSimulator`, starts it,
 * passes it in and stops it (usually in `beforeAll`/`afterAll`). It fills in what every test
 * repeats — the node and credential types loaded from source, an Authtoken credential pointing at
 * the simulator, `resource: 'dynamics365App'` — and leaves the rest to the caller:
 *
 * ```ts
 * const sim = new CommvaultSimulator();
 * await sim.start();
 * const result = await runCommvault(sim, {
 *   parameters: createParameters({ name: 'Contoso' }),   // or any node parameters
 *   items: [{ json: {} }],                               // default: one empty item
 *   credentials: { authtoken: `QSDK ${DEFAULT_AUTHTOKEN}` }, // merged over the default credential
 *   continueOnFail: true,
 *   binaryMode: 'filesystem',
 * });
 * expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(1);
 * await sim.stop();
 * ```
 *
 * Pass `{ baseUrl }` instead of a simulator to aim the node at something else (a closed port).
 *
 * `useSimulator(options)` is the usual lifecycle in one line: it registers jest hooks that start
 * a simulator before the file's tests, reset it before each test and stop it after all of them,
 * and returns the simulator (its methods need the server started, i.e. call them inside tests).
 * For the Create operation, `support/create.ts` has valid parameters, inputs and canaries.
 */
import type { ExecutionError, ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { CommvaultApi } from '../../../credentials/CommvaultApi.credentials';
import { CommvaultAzureAppApi } from '../../../credentials/CommvaultAzureAppApi.credentials';
import { Commvault } from '../../../nodes/Commvault/Commvault.node';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN, type SimulatorOptions } from '../../simulator';
import { runNode, runNodesAtOnce, type InputItem, type RunNodeOptions, type RunNodeResult } from '../run';

export interface CommvaultRunOptions
	extends Partial<Pick<RunNodeOptions, 'continueOnFail' | 'onError' | 'binaryMode' | 'settings' | 'echoLogs' | 'credentialsHelper' | 'credentialIds' | 'cancelAfterMs'>> {
	/** Node parameters; `resource` defaults to `dynamics365App`. */
	parameters: INodeParameters;
	/** Default: one item with empty json. */
	items?: InputItem[];
	/** Merged over `{ baseUrl: <sim>, authentication: 'authtoken', authtoken: <sim's token> }`. */
	credentials?: ICredentialDataDecryptedObject;
	/** The `commvaultAzureAppApi` credential's data, for a create with `azureAppSource: 'credential'`. */
	azureApp?: ICredentialDataDecryptedObject;
}

export type CommvaultTarget = Pick<CommvaultSimulator, 'baseUrl'> & { authtoken?: string | null };

export async function runCommvault(target: CommvaultTarget, options: CommvaultRunOptions): Promise<RunNodeResult> {
	return await runNode(commvaultRun(target, options));
}

/** Several runs of the node at the same time in one engine, as one n8n process runs executions. */
export async function runCommvaultAtOnce(target: CommvaultTarget, runs: CommvaultRunOptions[]): Promise<RunNodeResult[]> {
	return await runNodesAtOnce(runs.map((options) => commvaultRun(target, options)));
}

function commvaultRun(target: CommvaultTarget, options: CommvaultRunOptions): RunNodeOptions {
	const { parameters, items, credentials, azureApp, ...rest } = options;
	return {
		nodeType: Commvault,
		credentialTypes: [CommvaultApi, CommvaultAzureAppApi],
		credentials: {
			commvaultApi: {
				baseUrl: target.baseUrl,
				authentication: 'authtoken',
				authtoken: target.authtoken ?? DEFAULT_AUTHTOKEN,
				...credentials,
			},
			...(azureApp ? { commvaultAzureAppApi: azureApp } : {}),
		},
		parameters: { resource: 'dynamics365App', ...parameters },
		items: items ?? [{ json: {} }],
		...rest,
	};
}

/** A resource locator value by ID (server plan, Dynamics 365 plan). */
export function planById(id: string | number): INodeParameters {
	return { __rl: true, mode: 'id', value: id };
}

export function useSimulator(options?: SimulatorOptions): CommvaultSimulator {
	const sim = new CommvaultSimulator(options);
	beforeAll(async () => {
		await sim.start();
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.reset());
	return sim;
}

/** The HTTP status n8n recorded on a failed run's error (only NodeApiError carries one). */
export function httpCodeOf(error: ExecutionError | undefined): unknown {
	return error && 'httpCode' in error ? error.httpCode : undefined;
}
