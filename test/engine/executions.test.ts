/**
 * Several executions at once in one n8n process, sharing one stored credential, as a queue-mode
 * worker runs them (the queue tier found each of them signing in on its own). With a slow
 * Command Center sign-in, the executions that start together open one Commvault session, and
 * after it expires one of them signs in again for all.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { CommvaultSimulator, DEFAULT_AUTHTOKEN, DEFAULT_USER, type RecordedRequest } from '../../testing/simulator';
import { TestCredentialsHelper } from '../../testing/engine/credentials-helper';
import { toCredentialType } from '../../testing/engine/node-types';
import type { RunNodeResult } from '../../testing/engine/run';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { runCommvaultAtOnce } from '../../testing/engine/support/commvault';
import { createParameters } from '../../testing/engine/support/create';
import { loginCanaries } from '../../testing/engine/support/login';

const EXECUTIONS = 6;
const sim = new CommvaultSimulator({ latencyMs: (request: RecordedRequest) => (request.path === '/Login' || request.path === '/V4/PlanIds' ? 400 : 20) });

beforeAll(async () => {
	await sim.start();
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => sim.reset());

/** One stored credential, as n8n's database holds it for every execution of the process. */
function sharedStore(data: ICredentialDataDecryptedObject): TestCredentialsHelper {
	return new TestCredentialsHelper([toCredentialType(CommvaultApi)], { commvaultApi: { baseUrl: sim.baseUrl, ...data } });
}

async function executionsAtOnce(store: TestCredentialsHelper, round: string): Promise<RunNodeResult[]> {
	return await runCommvaultAtOnce(
		sim,
		Array.from({ length: EXECUTIONS }, (_, n) => ({ parameters: createParameters({ name: `Tenant ${round}.${n}` }), credentialsHelper: store })),
	);
}

describe('executions that start together in one process', () => {
	it('in password mode open one Commvault session, and after it expires sign in again once for all', async () => {
		const store = sharedStore({ authentication: 'password', username: DEFAULT_USER.username, password: DEFAULT_USER.password });

		const first = await executionsAtOnce(store, '1');
		expect(first.map((result) => result.error?.message)).toEqual(new Array(EXECUTIONS).fill(undefined));
		expect(sim.requestsTo('POST', '/Login')).toHaveLength(1);
		expect(sim.apps).toHaveLength(EXECUTIONS);

		sim.expireLoginTokens();
		const second = await executionsAtOnce(store, '2');
		expect(second.map((result) => result.error?.message)).toEqual(new Array(EXECUTIONS).fill(undefined));
		expect(sim.requestsTo('POST', '/Login')).toHaveLength(2);
		expect(sim.apps).toHaveLength(2 * EXECUTIONS);
		for (const result of [...first, ...second]) expectNoSecrets(result, loginCanaries(sim));
	});

	it('in Authtoken mode check the token once', async () => {
		const store = sharedStore({ authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN });

		const results = await executionsAtOnce(store, '3');
		expect(results.map((result) => result.error?.message)).toEqual(new Array(EXECUTIONS).fill(undefined));
		expect(sim.requestsTo('GET', '/V4/PlanIds')).toHaveLength(1);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toHaveLength(EXECUTIONS);
	});

	it('with a wrong password each execution is refused by the one sign-in under way, not by one of its own', async () => {
		const store = sharedStore({ authentication: 'password', username: DEFAULT_USER.username, password: 'canary-wrong-password-5b' });

		const results = await executionsAtOnce(store, '4');
		expect(results.map((result) => result.error?.message)).toEqual(
			new Array(EXECUTIONS).fill(expect.stringMatching(/^Commvault login failed for user "admin"/)),
		);
		// One refused sign-in for all of them: a wrong password cannot lock the account.
		expect(sim.requestsTo('POST', '/Login')).toHaveLength(1);
		expect(sim.requestsTo('POST', '/v4/Dynamics365')).toEqual([]);
	});
});
