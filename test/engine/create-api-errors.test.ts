/**
 * Create inside n8n's engine: what Commvault (or the network) answers when it goes wrong, and
 * how the item fails. Every run carries all Create secrets, and none of them may leak.
 */
import { createServer } from 'net';

import type { IDataObject } from 'n8n-workflow';

import { CommvaultErrors, type ScriptedResponse } from '../../testing/simulator';
import type { RunNodeResult } from '../../testing/engine/run';
import { expectNoSecrets } from '../../testing/engine/support/canaries';
import { httpCodeOf, runCommvault, useSimulator, type CommvaultRunOptions, type CommvaultTarget } from '../../testing/engine/support/commvault';
import { APPLICATION_SECRET, CREATE_CANARIES, fullCreateParameters, PFX_BYTES, pfxItem } from '../../testing/engine/support/create';

const sim = useSimulator();
const CREATE = { method: 'POST', path: '/v4/Dynamics365' };

async function create(options: Partial<CommvaultRunOptions> = {}, target: CommvaultTarget = sim): Promise<RunNodeResult> {
	return await runCommvault(target, { parameters: fullCreateParameters(), items: [pfxItem()], ...options });
}

/** The item failed with `message` (no output), and no secret is in the result. */
function expectItemFailed(result: RunNodeResult, message: string | RegExp): void {
	expect(result.status).toBe('error');
	expect(result.items).toEqual([]);
	expect(result.error?.message).toEqual(typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message));
	expect(result.error?.context?.itemIndex).toBe(0);
	expectNoSecrets(result, CREATE_CANARIES);
}

const creates = () => sim.requestsTo('POST', '/v4/Dynamics365');

describe('409 duplicate name', () => {
	it("brings Commvault's own message forward instead of n8n's generic one", async () => {
		sim.respondNext(CREATE, CommvaultErrors.duplicateName());
		const result = await create();

		expectItemFailed(result, 'An instance by this name already exists.');
		expect(result.error?.message).not.toMatch(/Your request is invalid/);
		expect(httpCodeOf(result.error)).toBe('409');
		expect(creates()).toHaveLength(1);
	});

	it('fails the second of two items with the same name, with Continue On Fail', async () => {
		const result = await create({ items: [pfxItem(), pfxItem()], continueOnFail: true });

		expect(creates().map((r) => r.status)).toEqual([200, 409]);
		expect(result.items).toEqual([
			{ json: { id: 1001, name: 'Contoso Dynamics 365' }, pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ error: 'An instance by this name already exists.' }), pairedItem: { item: 1 } },
		]);
		expectNoSecrets(result, CREATE_CANARIES);
	});
});

describe('HTTP errors', () => {
	it.each<[string, ScriptedResponse, string | RegExp]>([
		['500 with a GenericResp', CommvaultErrors.generic(500, 17, 'Failed to create the Dynamics 365 client.'), 'Failed to create the Dynamics 365 client.'],
		['500 with an empty body', CommvaultErrors.emptyBody(500), /HTTP 500/],
		['503', CommvaultErrors.unavailable(), 'Service is temporarily unavailable. Please try again later.'],
		['403 with a GenericResp', CommvaultErrors.generic(403, 5, 'User does not have the required capability.'), 'User does not have the required capability.'],
	])('%s fails the item with what Commvault said', async (_what, response, message) => {
		sim.respondNext(CREATE, response);
		const result = await create();

		expectItemFailed(result, message);
		expect(creates()).toHaveLength(1);
	});

	it('400 with a text body: the description quotes the text', async () => {
		sim.respondNext(CREATE, { status: 400, body: 'Bad Request' });
		const result = await create();

		expectItemFailed(result, 'Commvault answered HTTP 400 with a text instead of its JSON error');
		expect(result.error?.description).toBe('Its answer to POST /v4/Dynamics365: "Bad Request"');
	});

	it('a long text body is quoted whitespace-collapsed and cut to 200 characters', async () => {
		const text = `Request rejected:\n\n\t${'the azure app could not be validated   '.repeat(20)}`;
		sim.respondNext(CREATE, { status: 500, body: text });
		const result = await create();

		expectItemFailed(result, 'Commvault answered HTTP 500 with a text instead of its JSON error');
		const quoted = /"(.*)"$/.exec(result.error?.description ?? '')?.[1] ?? '';
		expect(quoted.length).toBeLessThanOrEqual(200);
		expect(quoted).toMatch(/^Request rejected: the azure app could not be validated the azure app .*…$/);
		expect(quoted).not.toMatch(/\s{2}|\n|\t/);
	});

	it('an HTML page: the message says so, the description quotes its title and points at the Base URL', async () => {
		sim.respondNext(CREATE, {
			status: 502,
			headers: { 'Content-Type': 'text/html' },
			body: '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>\n<body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>',
		});
		const result = await create();

		expectItemFailed(result, 'Commvault answered HTTP 502 with a web page instead of its JSON API answer');
		expect(result.error?.description).toMatch(/^The page says "502 Bad Gateway"\. A web page usually means the Base URL \(http:\/\/127\.0\.0\.1:\d+\/commandcenter\/api\) is not the Commvault API/);
		expect(result.error?.description).toContain('(POST /v4/Dynamics365)');
		expect(result.error?.description).not.toMatch(/<\/?(h1|title|style|html)|color:red|nginx/);
	});

	it('a text body quoting the certificate: redacted before it is cut, so no part of the certificate is quoted', async () => {
		const certificate = PFX_BYTES.toString('base64');
		sim.respondNext(CREATE, { status: 400, body: `Rejected certificate ${certificate} for ${APPLICATION_SECRET}` });
		const result = await create();

		expect(result.error?.description).toBe('Its answer to POST /v4/Dynamics365: "Rejected certificate [redacted] for [redacted]"');
		// The input item holds the certificate itself; what the node made of it must not.
		expect(JSON.stringify([result.error, result.run?.data.resultData.error, result.logs])).not.toContain(certificate.slice(0, 40));
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it("a wrong certificate password fails the item with Commvault's message about it", async () => {
		const parameters = fullCreateParameters();
		(parameters.additionalFields as IDataObject).certificatePassword = 'canary-wrong-pfx-pass-77d1';
		const result = await create({ parameters });

		expectItemFailed(result, 'azureApp.certificatePassword is not the password of the certificate.');
		expect(httpCodeOf(result.error)).toBe('400');
		expectNoSecrets(result, [{ label: 'wrong certificate password', value: 'canary-wrong-pfx-pass-77d1' }]);
		expect(sim.apps).toEqual([]);
	});

	it('401 (wrong Authtoken) says the credential was refused', async () => {
		const result = await create({ credentials: { authtoken: 'canary-wrong-token-51c0' } });

		expectItemFailed(result, /401/);
		expect(result.error?.message).toMatch(/Authtoken/);
		expectNoSecrets(result, [{ label: 'wrong authtoken', value: 'canary-wrong-token-51c0' }]);
		expect(sim.apps).toEqual([]);
	});
});

describe('errors Commvault reports with HTTP 200', () => {
	it.each<[string, ScriptedResponse]>([
		['a non-zero errorCode', CommvaultErrors.errorCodeIn200(2, 'Client creation failed: invalid Azure app.')],
		['an error.errorCode', CommvaultErrors.errorObjectIn200(2, 'Client creation failed: invalid Azure app.')],
		['an errList', CommvaultErrors.errListIn200(2, 'Client creation failed: invalid Azure app.')],
	])('%s fails the item with its message', async (_shape, response) => {
		sim.respondNext(CREATE, response);
		const result = await create();

		expectItemFailed(result, 'Client creation failed: invalid Azure app.');
	});

	it('with Continue On Fail the item comes out as {error} paired to its input, and the next item goes on', async () => {
		sim.respondNext(CREATE, CommvaultErrors.errListIn200(2, 'Client creation failed: invalid Azure app.'));
		const result = await create({
			parameters: fullCreateParameters({ name: '={{ $json.tenant }}' }),
			items: [pfxItem({ tenant: 'Contoso' }), pfxItem({ tenant: 'Fabrikam' })],
			continueOnFail: true,
		});

		expect(result.items).toEqual([
			{ json: expect.objectContaining({ error: 'Client creation failed: invalid Azure app.' }), pairedItem: { item: 0 } },
			{ json: { id: 1001, name: 'Fabrikam' }, pairedItem: { item: 1 } },
		]);
		expectNoSecrets(result, CREATE_CANARIES);
	});
});

describe('429 rate limit', () => {
	it('is retried, and the create succeeds on the second attempt', async () => {
		sim.respondNext(CREATE, CommvaultErrors.rateLimited(1));
		const result = await create();

		expect(result.error).toBeUndefined();
		expect(creates().map((r) => [r.status, r.valid])).toEqual([
			[429, true],
			[200, true],
		]);
		expect(result.items).toEqual([{ json: { id: 1001, name: 'Contoso Dynamics 365' }, pairedItem: { item: 0 } }]);
		expectNoSecrets(result, CREATE_CANARIES);
	});

	it('waits as long as Retry-After says, not its own shorter fallback', async () => {
		sim.respondNext(CREATE, CommvaultErrors.rateLimited(3));
		const result = await create();

		expect(result.error).toBeUndefined();
		const [limited, accepted] = creates();
		expect([limited.status, accepted.status]).toEqual([429, 200]);
		// Lower bound only: load can make the wait longer, never shorter. Without Retry-After the node waits 2 s.
		expect(accepted.receivedAt - limited.receivedAt).toBeGreaterThanOrEqual(2900);
	});

	it('fails the item after three 429s in a row', async () => {
		sim.respondNext(CREATE, CommvaultErrors.rateLimited(0), 3);
		const result = await create();

		expectItemFailed(result, 'Too many requests. Rate limit exceeded.');
		expect(creates().map((r) => r.status)).toEqual([429, 429, 429]);
		expect(sim.pendingResponses).toBe(0);
	});
});

describe('wrong address', () => {
	it('a closed port: the message says it could not connect', async () => {
		const port = await closedPort();
		const result = await create({}, { baseUrl: `http://127.0.0.1:${port}/commandcenter/api` });

		expectItemFailed(result, /could not connect/i);
		expect(result.error?.message).toContain(`127.0.0.1:${port}`);
	});

	it('a wrong base path (404 from the web server): the message is about the Base URL', async () => {
		const result = await create({}, { baseUrl: sim.baseUrl.replace('/commandcenter/api', '/cc/api') });

		expectItemFailed(result, /Base URL/);
		expect(sim.requests.length).toBeGreaterThan(0);
		expect(sim.requests.every((r) => r.fullPath.startsWith('/cc/api/') && r.status === 404)).toBe(true);
	});
});

/** A port on 127.0.0.1 that nothing listens on (just released by a server we started). */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
