/**
 * What the queue-mode tier imports: one credential per sign-in mode against the simulator, and
 * webhook-triggered onboarding workflows (Webhook → Commvault Create → Respond to Webhook), one per
 * case so that each case's executions can be told apart in the database by workflow id.
 */
import { randomUUID } from 'crypto';

import type { INode, INodeParameters } from 'n8n-workflow';

import { DEFAULT_AUTHTOKEN, DEFAULT_USER } from '../../testing/simulator';
import { DIRECTORY_ID, createNode, type CredentialRef, type Workflow } from '../../testing/e2e/commvault-workflows';
import type { CredentialFixture } from '../../testing/e2e/n8n-cli';

export const QUEUE_CREDENTIALS = {
	password: { id: 'cvQueuePassword1', name: 'Commvault queue (user name and password)' },
	authtoken: { id: 'cvQueueAuthtokn1', name: 'Commvault queue (Authtoken)' },
} as const satisfies Record<string, CredentialRef>;

export function queueCredentials(baseUrl: string): CredentialFixture[] {
	const type = 'commvaultApi';
	return [
		{
			...QUEUE_CREDENTIALS.password,
			type,
			data: { baseUrl, authentication: 'password', username: DEFAULT_USER.username, password: DEFAULT_USER.password },
		},
		{ ...QUEUE_CREDENTIALS.authtoken, type, data: { baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } },
	];
}

/** The JSON body of one webhook call: one tenant to onboard. */
export interface TenantCall {
	appName: string;
	applicationId: string;
	azureDirectoryId: string;
}

export function tenantCalls(prefix: string, count: number): TenantCall[] {
	return Array.from({ length: count }, (_, i) => ({
		appName: `${prefix}-${String(i + 1).padStart(3, '0')}`,
		applicationId: randomUUID(),
		azureDirectoryId: DIRECTORY_ID,
	}));
}

export interface WebhookWorkflow extends Workflow {
	/** POST http://<main>/webhook/<path> */
	webhookPath: string;
	/** The Create's request, as the simulator records it: method and path. */
	create: readonly [string, string];
}

/** A variant of the onboarding: another resource or options for the Create, a pause after it. */
export interface OnboardingVariant {
	/** Merged into the Create's parameters (e.g. `resource`, `options`). */
	create?: INodeParameters;
	/** The Create's request path for that resource. Default: Dynamics 365's. */
	createPath?: string;
	/**
	 * A Wait node of this many seconds between Create and Respond: the execution holds on after its
	 * app exists, so a worker killed with executions in flight has created some of their apps.
	 */
	holdSeconds?: number;
}

/**
 * Webhook (POST, answered by the Respond node) → Commvault Create from the body's tenant → Respond
 * with the created app (and `alreadyExisted`, when the Create says) and the execution id, so each
 * call can be matched to its execution.
 */
export function onboardingWebhookWorkflow(id: string, webhookPath: string, credential: CredentialRef, variant: OnboardingVariant = {}): WebhookWorkflow {
	const create = createNode(credential, {
		name: '={{ $json.body.appName }}',
		applicationId: '={{ $json.body.applicationId }}',
		azureDirectoryId: '={{ $json.body.azureDirectoryId }}',
		...variant.create,
	});
	const hold: INode[] =
		variant.holdSeconds === undefined
			? []
			: [
					{
						id: randomUUID(),
						name: 'Hold',
						type: 'n8n-nodes-base.wait',
						typeVersion: 1.1,
						position: [330, 0],
						webhookId: randomUUID(),
						// under 65 s n8n's Wait sleeps inside the execution (it is not put to the database)
						parameters: { resume: 'timeInterval', amount: variant.holdSeconds, unit: 'seconds' },
					},
				];
	const nodes: INode[] = [
		{
			id: randomUUID(),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'responseNode', options: {} },
		},
		{ ...create, id: randomUUID(), position: [220, 0] },
		...hold,
		{
			id: randomUUID(),
			name: 'Respond',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [440 + 110 * hold.length, 0],
			parameters: {
				respondWith: 'json',
				responseBody: '={{ JSON.stringify({ id: $json.id, name: $json.name, alreadyExisted: $json.alreadyExisted, executionId: $execution.id }) }}',
				options: {},
			},
		},
	];
	const link = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	const afterCreate = hold.length ? { [create.name]: link('Hold'), Hold: link('Respond') } : { [create.name]: link('Respond') };
	return {
		id,
		name: `queue: onboard by webhook (${webhookPath})`,
		webhookPath,
		create: ['POST', variant.createPath ?? '/v4/Dynamics365'],
		nodes,
		connections: { Webhook: link(create.name), ...afterCreate },
	};
}
