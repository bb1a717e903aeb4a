/**
 * Canaries for the credential's sign-in: the simulator's password and Authtoken, and every login
 * token the simulator handed out (with and without its `QSDK ` scheme word), each in every form
 * `secretsOf` searches; plus the leak check for a credential test, whose only outputs are the
 * dialog's message and n8n's log lines.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_AUTHTOKEN, DEFAULT_USER, type CommvaultSimulator, type ScriptedResponse } from '../../simulator';
import type { CredentialTestOutcome } from '../credential-test';
import { secretsOf, type Canary } from './canaries';

export function loginCanaries(sim?: CommvaultSimulator, ...otherSecrets: string[]): Canary[] {
	const tokens = (sim?.requestsTo('POST', '/Login') ?? [])
		.map((request) => (request.responseBody as IDataObject | undefined)?.token)
		.filter((token): token is string => typeof token === 'string');
	return [
		...secretsOf({ authtoken: DEFAULT_AUTHTOKEN, password: DEFAULT_USER.password }),
		...tokens.flatMap((token) => [...secretsOf({ loginToken: token }), ...secretsOf({ loginToken: token.replace(/^QSDK /, '') })]),
		...otherSecrets.flatMap((secret) => secretsOf({ password: secret })),
	];
}

/** Fails, naming the kind of secret (not its value), if the dialog's message or a log line holds one. */
export function expectNoSecretsInTest(outcome: CredentialTestOutcome, canaries: Canary[]): void {
	const surfaces = [{ place: 'message', text: outcome.message }, ...outcome.logs.map((text, i) => ({ place: `log line ${i}`, text }))];
	const leaks = surfaces.flatMap(({ place, text }) =>
		canaries.filter((canary) => text.includes(canary.value)).map((canary) => `${canary.label} in ${place}`),
	);
	expect(leaks).toEqual([]);
}

/**
 * An error answer that quotes the `Authtoken` header of the very request it answers (as sent,
 * and without its `QSDK ` scheme word), as a careless server might. The body is built when the
 * simulator sends it, so it holds whatever token the node had at that moment, a login token
 * issued during the run included.
 */
export function echoingAuthtoken(sim: CommvaultSimulator, status = 500): ScriptedResponse {
	return {
		status,
		get body() {
			const sent = sim.lastRequest?.headers.authtoken ?? '';
			return { errorCode: 2, errorMessage: `Session ${sent.replace(/^QSDK /, '')} (sent as "${sent}") may not do this.` };
		},
	};
}
