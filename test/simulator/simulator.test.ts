import { spawn } from 'child_process';
import { X509Certificate } from 'crypto';
import { readFileSync } from 'fs';
import { Agent } from 'http';
import { join } from 'path';

import {
	AZURE_APP_PFX_PASSWORD,
	AZURE_APP_PFX_PATH,
	NOT_A_PFX_PEM_PATH,
	NOT_A_PFX_TXT_PATH,
	TLS_CERT_PATH,
} from '../../testing/fixtures';
import { checkPkcs12 } from '../../testing/simulator/encoding';
import { base64, call } from '../../testing/simulator/http-client';
import {
	CommvaultErrors,
	CommvaultSimulator,
	DEFAULT_AUTHTOKEN,
	DEFAULT_PLANS,
	DEFAULT_USER,
	generatePlans,
	loadSpec,
} from '../../testing/simulator';
import { useSimulator } from '../../testing/simulator/use-simulator';

const CREATE = '/v4/Dynamics365';
const contentPath = (appId: number | string): string => `/V4/Dynamics365/${appId}/Content`;

function createBody(overrides: Record<string, unknown> = {}, azureApp: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		name: 'Contoso D365',
		serverPlan: { id: 1 },
		azureApp: { applicationId: 'app-id', applicationSecret: base64('s3cr3t~canary'), azureDirectoryId: 'tenant-id', ...azureApp },
		...overrides,
	};
}

const contentBody = (plan: Record<string, unknown> = { id: 11 }): Record<string, unknown> => ({ type: 'ALL_ENVIRONMENTS', dynamics365plan: plan });

describe('lifecycle', () => {
	it('listens on 127.0.0.1 with a random port under /commandcenter/api, and stops twice safely', async () => {
		const sim = new CommvaultSimulator();
		const baseUrl = await sim.start();
		expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/commandcenter\/api$/);
		expect(sim.port).toBeGreaterThan(0);
		await expect(sim.start()).rejects.toThrow(/already started/);
		await sim.stop();
		await sim.stop();
		await expect(call(baseUrl, 'GET', '/V4/PlanIds')).rejects.toThrow(/ECONNREFUSED/);
	});

	it('refuses to listen on anything but loopback', () => {
		expect(() => new CommvaultSimulator({ host: '0.0.0.0' })).toThrow(/loopback only/);
		expect(() => new CommvaultSimulator({ host: '192.168.1.10' })).toThrow(/loopback only/);
	});

	it('stop() closes idle keep-alive connections at once', async () => {
		const sim = new CommvaultSimulator();
		const agent = new Agent({ keepAlive: true });
		try {
			const baseUrl = await sim.start();
			expect((await call(baseUrl, 'GET', '/V4/PlanIds', { agent })).status).toBe(200);
			const started = Date.now();
			await sim.stop();
			expect(Date.now() - started).toBeLessThan(1000);
		} finally {
			agent.destroy();
			await sim.stop();
		}
	});

	it('stop() ends a request that is held by a scripted delay', async () => {
		const sim = new CommvaultSimulator();
		const baseUrl = await sim.start();
		sim.respondNext({ path: '/V4/PlanIds' }, { status: 200, body: {}, delayMs: 60_000 });
		const pending = call(baseUrl, 'GET', '/V4/PlanIds');
		await waitFor(() => sim.requests.length === 1);
		await sim.stop();
		await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
	});
});

describe('TLS', () => {
	it('serves HTTPS with the committed self-signed certificate, at the name it carries (localhost)', async () => {
		const sim = new CommvaultSimulator({ tls: true });
		try {
			const baseUrl = await sim.start();
			expect(baseUrl).toMatch(/^https:\/\/localhost:\d+\/commandcenter\/api$/);
			const ca = readFileSync(TLS_CERT_PATH);
			const res = await call(baseUrl, 'GET', '/v2/WhoAmI', { ca });
			expect(res.status).toBe(200);
			// Without trusting the certificate a client fails, which is what "ignore SSL issues" is for.
			await expect(call(baseUrl, 'GET', '/v2/WhoAmI')).rejects.toThrow(/self[- ]signed/i);
		} finally {
			await sim.stop();
		}
	});

	it('has a certificate valid for localhost and 127.0.0.1 for about 20 years', () => {
		const cert = new X509Certificate(readFileSync(TLS_CERT_PATH));
		expect(cert.checkHost('localhost')).toBe('localhost');
		expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
		const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365.25 * 24 * 3600 * 1000);
		expect(Math.round(years)).toBe(20);
	});
});

describe('authentication', () => {
	const { sim, req } = useSimulator();

	it('rejects a missing or wrong Authtoken with 401 GenericResp', async () => {
		for (const token of [null, 'wrong-token', '', `QSDK ${DEFAULT_AUTHTOKEN}x`]) {
			const res = await req('GET', '/V4/PlanIds', { token });
			expect(res.status).toBe(401);
			expect(res.json).toEqual({ errorCode: 1, errorMessage: 'Unauthorized' });
		}
	});

	it('accepts the static token with or without the QSDK prefix', async () => {
		expect((await req('GET', '/V4/PlanIds', { token: DEFAULT_AUTHTOKEN })).status).toBe(200);
		expect((await req('GET', '/V4/PlanIds', { token: `QSDK ${DEFAULT_AUTHTOKEN}` })).status).toBe(200);
		expect(sim().authtoken).toBe(DEFAULT_AUTHTOKEN);
	});

	it('ignores Authorization: Bearer unless acceptBearer is set', async () => {
		const res = await req('GET', '/v2/WhoAmI', { token: null, headers: { Authorization: `Bearer ${DEFAULT_AUTHTOKEN}` } });
		expect(res.status).toBe(401);
	});

	it('answers WhoAmI for the token owner', async () => {
		const res = await req('GET', '/v2/WhoAmI');
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ user: { userName: DEFAULT_USER.username } });
	});

	it('answers 404 with an HTML body for an unknown path or a wrong base path, and 405 for a wrong method', async () => {
		const unknown = await req('GET', '/V4/NoSuchThing');
		expect(unknown.status).toBe(404);
		expect(unknown.headers['content-type']).toMatch(/text\/html/);
		expect(unknown.json).toBeUndefined();
		const wrongBase = await call(sim().baseUrl.replace('/commandcenter/api', '/webconsole/api'), 'GET', '/V4/PlanIds');
		expect(wrongBase.status).toBe(404);
		expect(sim().lastRequest).toMatchObject({ fullPath: '/webconsole/api/V4/PlanIds', path: '/webconsole/api/V4/PlanIds' });
		const doubled = await req('GET', '//V4/PlanIds');
		expect(doubled.status).toBe(404);
		expect((await req('DELETE', '/V4/PlanIds')).status).toBe(405);
	});
});

describe('static token options', () => {
	const { req } = useSimulator({ authtoken: 'QSDK custom-token', acceptBearer: true });

	it('compares a configured QSDK token without its prefix', async () => {
		expect((await req('GET', '/V4/PlanIds', { token: 'custom-token' })).status).toBe(200);
		expect((await req('GET', '/V4/PlanIds', { token: 'QSDK custom-token' })).status).toBe(200);
		expect((await req('GET', '/V4/PlanIds', { token: DEFAULT_AUTHTOKEN })).status).toBe(401);
	});

	it('accepts Authorization: Bearer when acceptBearer is set', async () => {
		const res = await req('GET', '/V4/PlanIds', { token: null, headers: { Authorization: 'Bearer custom-token' } });
		expect(res.status).toBe(200);
	});
});

describe('POST /Login', () => {
	const { sim, req } = useSimulator({ tokenUses: 2 });
	const login = (username: string, password: string): ReturnType<typeof call> =>
		req('POST', '/Login', { token: null, body: { username, password } });

	it('issues a QSDK token for the base64 of the UTF-8 password, usable as Authtoken', async () => {
		const res = await login('ADMIN', base64(DEFAULT_USER.password));
		expect(res.status).toBe(200);
		const { token, userName } = res.json as { token: string; userName: string };
		expect(token).toMatch(/^QSDK [0-9a-f]{128}$/);
		expect(userName).toBe('admin');
		expect((await req('GET', '/v2/WhoAmI', { token })).status).toBe(200);
		expect((await req('GET', '/v2/WhoAmI', { token: token.slice('QSDK '.length) })).status).toBe(200);
	});

	it('answers HTTP 200 with an errList for a wrong, unencoded or Latin-1 encoded password', async () => {
		const failures = [
			await login('admin', base64('wrong')),
			await login('admin', DEFAULT_USER.password),
			await login('admin', Buffer.from(DEFAULT_USER.password, 'latin1').toString('base64')),
			await login('nobody', base64(DEFAULT_USER.password)),
		];
		for (const res of failures) {
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ errList: [{ errorCode: 5, errLogMessage: 'Login failed: invalid username or password' }] });
		}
	});

	it('validates the login body strictly', async () => {
		const res = await req('POST', '/Login', { token: null, body: { userName: 'admin', password: base64(DEFAULT_USER.password) } });
		expect(res.status).toBe(400);
		expect(sim().lastRequest?.schemaErrors.map((e) => e.path)).toEqual(['/username', '/userName']);
	});

	it('expires a login token after tokenUses authenticated requests; the static token never expires', async () => {
		const { token } = (await login('admin', base64(DEFAULT_USER.password))).json as { token: string };
		expect((await req('GET', '/V4/PlanIds', { token })).status).toBe(200);
		expect((await req('GET', '/V4/PlanIds', { token })).status).toBe(200);
		const expired = await req('GET', '/V4/PlanIds', { token });
		expect(expired).toMatchObject({ status: 401, json: { errorCode: 1, errorMessage: 'Unauthorized' } });
		for (let i = 0; i < 3; i++) expect((await req('GET', '/V4/PlanIds')).status).toBe(200);
	});

	it('expireLoginTokens() ends every session at once', async () => {
		const { token } = (await login('admin', base64(DEFAULT_USER.password))).json as { token: string };
		sim().expireLoginTokens();
		expect((await req('GET', '/V4/PlanIds', { token })).status).toBe(401);
	});
});

describe('login failure as HTTP 401', () => {
	const { req } = useSimulator({ loginFailure: 'http401', users: [{ username: 'svc', password: 'pw' }], authtoken: null });

	it('answers 401 GenericResp, and the default static token is off when authtoken is null', async () => {
		const res = await req('POST', '/Login', { token: null, body: { username: 'svc', password: base64('nope') } });
		expect(res).toMatchObject({ status: 401, json: { errorCode: 5 } });
		expect((await req('GET', '/V4/PlanIds')).status).toBe(401);
		expect((await req('POST', '/Login', { token: null, body: { username: 'svc', password: base64('pw') } })).status).toBe(200);
	});
});

describe('POST /v4/Dynamics365', () => {
	const { sim, req } = useSimulator();

	it('creates an app, answers {id, name} and records the request exactly as sent', async () => {
		const res = await req('POST', CREATE, { body: createBody() });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ id: 1001, name: 'Contoso D365' });
		const [recorded] = sim().requestsTo('POST', '/V4/DYNAMICS365');
		expect(recorded).toMatchObject({
			seq: 1,
			method: 'POST',
			path: '/v4/Dynamics365',
			fullPath: '/commandcenter/api/v4/Dynamics365',
			query: {},
			operationId: 'CreateD365Client',
			valid: true,
			schemaErrors: [],
			scripted: false,
			status: 200,
			responseBody: { id: 1001, name: 'Contoso D365' },
			body: createBody(),
		});
		expect(recorded.headers.authtoken).toBe(DEFAULT_AUTHTOKEN);
		expect(recorded.headers['content-type']).toBe('application/json');
		expect(JSON.parse(recorded.rawBody)).toEqual(createBody());
		expect(sim().app(1001)).toMatchObject({ serverPlan: { id: 1, name: 'Server-Gold' }, decoded: { applicationSecret: 's3cr3t~canary' } });
		expect((await req('POST', CREATE, { body: createBody({ name: 'Second' }) })).json).toEqual({ id: 1002, name: 'Second' });
	});

	it('answers 409 with Commvault\'s message for a name that exists (case-insensitively)', async () => {
		await req('POST', CREATE, { body: createBody() });
		const res = await req('POST', CREATE, { body: createBody({ name: 'CONTOSO d365' }) });
		expect(res.status).toBe(409);
		expect(res.text).toBe('{"errorMessage":"An instance by this name already exists.","errorCode":3}');
	});

	it('resolves serverPlan by id, or by name when no id is given', async () => {
		expect((await req('POST', CREATE, { body: createBody({ name: 'a', serverPlan: { name: 'server bronze (eu)' } }) })).status).toBe(200);
		expect(sim().app('a')?.serverPlan).toEqual({ id: 3, name: 'Server Bronze (EU)' });
		expect((await req('POST', CREATE, { body: createBody({ name: 'b', serverPlan: { id: 2, name: 'ignored' } }) })).status).toBe(200);
		expect(sim().app('b')?.serverPlan.id).toBe(2);
	});

	it.each([
		[{ id: 999 }, 'does not exist'],
		[{ name: 'No Such Plan' }, 'does not exist'],
		[{ id: 11 }, 'is a Dynamics365 plan, not a Server plan'],
		[{ id: 31 }, 'is disabled'],
		[{}, 'id or name is required'],
	])('rejects serverPlan %j with 400 GenericResp', async (serverPlan, message) => {
		const res = await req('POST', CREATE, { body: createBody({ serverPlan }) });
		expect(res.status).toBe(400);
		expect(res.json).toEqual({ errorCode: 2, errorMessage: expect.stringContaining(message) });
		expect(sim().apps).toHaveLength(0);
	});

	it('rejects a secret that is not base64', async () => {
		const res = await req('POST', CREATE, { body: createBody({}, { applicationSecret: 's3cr3t~canary' }) });
		expect(res).toMatchObject({ status: 400, json: { errorMessage: 'azureApp.applicationSecret must be base64 encoded.' } });
	});

	describe('certificate', () => {
		const pfx = readFileSync(AZURE_APP_PFX_PATH);

		it('accepts the base64 of a PKCS#12 file with the base64 of its password', async () => {
			const body = createBody({}, { certificate: pfx.toString('base64'), certificatePassword: base64(AZURE_APP_PFX_PASSWORD) });
			expect((await req('POST', CREATE, { body })).status).toBe(200);
			const app = sim().app('Contoso D365');
			expect(app?.decoded.certificate?.equals(pfx)).toBe(true);
			expect(app?.decoded.certificatePassword).toBe(AZURE_APP_PFX_PASSWORD);
		});

		it.each([
			['a wrong password', pfx.toString('base64'), base64('wrong'), 'is not the password'],
			['an unencoded password', pfx.toString('base64'), AZURE_APP_PFX_PASSWORD, 'certificatePassword must be base64'],
			['a PEM file', readFileSync(NOT_A_PFX_PEM_PATH).toString('base64'), base64(AZURE_APP_PFX_PASSWORD), 'not a valid .pfx'],
			['a text file', readFileSync(NOT_A_PFX_TXT_PATH).toString('base64'), base64(AZURE_APP_PFX_PASSWORD), 'not a valid .pfx'],
			['bytes mangled by a UTF-8 round trip', Buffer.from(pfx.toString('utf8')).toString('base64'), base64(AZURE_APP_PFX_PASSWORD), 'not a valid .pfx'],
		])('rejects %s', async (_label, certificate, certificatePassword, message) => {
			const res = await req('POST', CREATE, { body: createBody({}, { certificate, certificatePassword }) });
			expect(res.status).toBe(400);
			expect((res.json as { errorMessage: string }).errorMessage).toContain(message);
		});
	});

	it('answers 400 listing the schema errors and records the request as invalid', async () => {
		const body = createBody({ name: '' }, { applicationID: 'typo' });
		const res = await req('POST', CREATE, { body });
		expect(res.status).toBe(400);
		const { errorCode, errorMessage } = res.json as { errorCode: number; errorMessage: string };
		expect(errorCode).toBe(2);
		expect(errorMessage).toContain('/name: is required and must not be empty');
		expect(errorMessage).toContain("/azureApp/applicationID: unknown property (did you mean 'applicationId'?)");
		expect(sim().lastRequest).toMatchObject({ valid: false, status: 400, body });
		expect(sim().lastRequest?.schemaErrors).toHaveLength(2);
		expect(sim().apps).toHaveLength(0);
	});

	it('answers 400 for a body that is not JSON or is missing, and 415 for a non-JSON content type', async () => {
		const notJson = await req('POST', CREATE, { rawBody: '{"name": ', headers: { 'Content-Type': 'application/json' } });
		expect(notJson.status).toBe(400);
		expect(sim().lastRequest).toMatchObject({ valid: false, body: undefined, rawBody: '{"name": ', schemaErrors: [{ path: '', message: 'is not valid JSON' }] });
		expect((await req('POST', CREATE)).status).toBe(400);
		const form = await req('POST', CREATE, { rawBody: JSON.stringify(createBody()), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect(form.status).toBe(415);
		expect(sim().lastRequest?.valid).toBe(false);
	});

	it('checks the token before the body', async () => {
		expect((await req('POST', CREATE, { token: null, body: { bad: true } })).status).toBe(401);
		expect(sim().lastRequest?.valid).toBe(false);
	});
});

describe('PUT /V4/Dynamics365/{appId}/Content', () => {
	const { sim, req } = useSimulator({ apps: [{ name: 'Seeded app' }] });

	it('adds content with a Dynamics365 plan and answers errorCode 0', async () => {
		const res = await req('PUT', contentPath(1001), { body: contentBody({ name: 'D365 Long Retention' }) });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ errorCode: 0, errorMessage: null });
		expect(sim().lastRequest).toMatchObject({ path: '/V4/Dynamics365/1001/Content', operationId: 'AddD365Content', valid: true });
		expect(sim().app(1001)?.content).toEqual([{ type: 'ALL_ENVIRONMENTS', plan: { id: 12, name: 'D365 Long Retention' } }]);
		expect(sim().requestsTo('put', /^\/V4\/Dynamics365\/\d+\/Content$/)).toHaveLength(1);
	});

	it('works on an app created through the API (also with lower-case path spelling)', async () => {
		const { id } = (await req('POST', CREATE, { body: createBody({ name: 'Fresh' }) })).json as { id: number };
		expect((await req('PUT', `/v4/dynamics365/${id}/content`, { body: contentBody() })).status).toBe(200);
		expect(sim().app(id)?.content).toHaveLength(1);
	});

	it('answers 404 GenericResp for an unknown app', async () => {
		const res = await req('PUT', contentPath(4242), { body: contentBody() });
		expect(res).toMatchObject({ status: 404, json: { errorCode: 4, errorMessage: 'Dynamics 365 app with id 4242 does not exist.' } });
	});

	it('rejects a plan that is not a Dynamics365 plan', async () => {
		const res = await req('PUT', contentPath(1001), { body: contentBody({ id: 21 }) });
		expect(res.status).toBe(400);
		expect((res.json as { errorMessage: string }).errorMessage).toContain('is a Office365 plan');
	});

	it("rejects 'dynamics365Plan' and a non-int32 appId", async () => {
		expect((await req('PUT', contentPath(1001), { body: { type: 'ALL_ENVIRONMENTS', dynamics365Plan: { id: 11 } } })).status).toBe(400);
		for (const appId of ['abc', '2147483648', '1.5']) {
			expect((await req('PUT', contentPath(appId), { body: contentBody() })).status).toBe(400);
			expect(sim().lastRequest?.schemaErrors[0].path).toBe('{appId}');
		}
	});
});

describe('plans', () => {
	const { sim, req } = useSimulator();

	it('GET /V4/PlanIds lists every plan as {id, name}', async () => {
		const res = await req('GET', '/V4/PlanIds');
		expect(res.json).toEqual({ entities: DEFAULT_PLANS.map((p) => ({ id: p.id, name: p.name })) });
	});

	it('GET /V4/Plan/Summary answers PlanSummaryListResp with types, statuses and the count', async () => {
		const res = await req('GET', '/V4/Plan/Summary');
		expect(res.status).toBe(200);
		expect(loadSpec().registry.validate('PlanSummaryListResp', res.json)).toEqual([]);
		const { plans, plansCount } = res.json as { plans: Array<{ plan: { id: number }; planType: string; status: string }>; plansCount: number };
		expect(plansCount).toBe(DEFAULT_PLANS.length);
		const summary = plans.map((p) => `${p.plan.id}:${p.planType}:${p.status}`);
		expect(summary).toEqual(['1:Server:ENABLED', '2:Server:ENABLED', '3:Server:ENABLED', '11:Dynamics365:ENABLED', '12:Dynamics365:ENABLED', '21:Office365:ENABLED', '22:Office365:ENABLED', '23:Office365:DISABLED', '31:Server:DISABLED']);
	});

	it('can be seeded with hundreds of plans', async () => {
		sim().setPlans([...DEFAULT_PLANS, ...generatePlans(600)]);
		const res = await req('GET', '/V4/Plan/Summary');
		expect((res.json as { plansCount: number }).plansCount).toBe(DEFAULT_PLANS.length + 600);
		expect(loadSpec().registry.validate('PlanSummaryListResp', res.json)).toEqual([]);
		expect(() => sim().setPlans([...DEFAULT_PLANS, { id: 1, name: 'dup', type: 'Server' }])).toThrow(/Duplicate plan id/);
	});

	it('reset() goes back to the seed given at construction', async () => {
		sim().setPlans(generatePlans(3));
		sim().reset();
		expect(sim().plans).toEqual(DEFAULT_PLANS);
	});
});

describe('scripted responses', () => {
	const { sim, req } = useSimulator();

	it.each([
		['409 GenericResp', CommvaultErrors.duplicateName(), 409, { errorMessage: 'An instance by this name already exists.', errorCode: 3 }],
		['500 GenericResp', CommvaultErrors.generic(500, 500, 'Internal error'), 500, { errorCode: 500, errorMessage: 'Internal error' }],
		['503 GenericResp', CommvaultErrors.unavailable(), 503, { errorCode: 503, errorMessage: expect.any(String) }],
		['200 with errorCode', CommvaultErrors.errorCodeIn200(7, 'Failed in 200'), 200, { errorCode: 7, errorMessage: 'Failed in 200' }],
		['200 with error object', CommvaultErrors.errorObjectIn200(8, 'Nested'), 200, { error: { errorCode: 8, errorMessage: 'Nested' } }],
		['200 with errList', CommvaultErrors.errListIn200(9, 'Listed'), 200, { errList: [{ errorCode: 9, errLogMessage: 'Listed' }] }],
	])('answers %s for the next matching request only', async (_label, scripted, status, json) => {
		sim().failNext({ method: 'POST', path: CREATE }, scripted);
		const res = await req('POST', CREATE, { body: createBody() });
		expect(res.status).toBe(status);
		expect(res.json).toEqual(json);
		expect(sim().lastRequest).toMatchObject({ scripted: true, valid: true, status });
		expect(sim().apps).toHaveLength(0);
		expect((await req('POST', CREATE, { body: createBody() })).status).toBe(200);
	});

	it('answers 429 with Retry-After', async () => {
		sim().respondNext({ path: '/V4/PlanIds' }, CommvaultErrors.rateLimited(3));
		const res = await req('GET', '/V4/PlanIds');
		expect(res.status).toBe(429);
		expect(res.headers['retry-after']).toBe('3');
	});

	it('answers a 500 with an empty body', async () => {
		sim().failNext({ method: 'PUT', path: /Content$/ }, CommvaultErrors.emptyBody());
		const res = await req('PUT', contentPath(5), { body: contentBody() });
		expect(res.status).toBe(500);
		expect(res.text).toBe('');
		expect(res.headers['content-length']).toBe('0');
	});

	it('defaults failNext to a 500 GenericResp, honours times, and still schema-checks the scripted request', async () => {
		sim().failNext({ method: 'post', path: '/commandcenter/api/V4/dynamics365' }, undefined, 2);
		expect(sim().pendingResponses).toBe(2);
		expect((await req('GET', '/V4/PlanIds')).status).toBe(200);
		expect((await req('POST', CREATE, { body: { name: 'x' } })).status).toBe(500);
		expect(sim().lastRequest).toMatchObject({ scripted: true, valid: false });
		expect((await req('POST', CREATE, { body: createBody() })).status).toBe(500);
		expect((await req('POST', CREATE, { body: createBody() })).status).toBe(200);
		expect(sim().pendingResponses).toBe(0);
	});

	it('uses queued answers in order, and can script any path, raw text or a dropped connection', async () => {
		sim().respondNext({}, { status: 502, body: '<html>Bad gateway</html>', headers: { 'Content-Type': 'text/html' } });
		sim().respondNext({ path: '/RenewLoginToken' }, { body: { token: 'QSDK renewed' } });
		sim().respondNext({ path: '/v2/WhoAmI' }, { destroySocket: true });
		const first = await req('GET', '/anything');
		expect(first).toMatchObject({ status: 502, text: '<html>Bad gateway</html>' });
		expect((await req('POST', '/RenewLoginToken', { body: {} })).json).toEqual({ token: 'QSDK renewed' });
		await expect(req('GET', '/v2/WhoAmI')).rejects.toThrow(/socket hang up|ECONNRESET/);
		expect(sim().lastRequest).toMatchObject({ scripted: true, status: 0 });
	});

	it('reset() drops queued answers, recordings and created apps but keeps seeded ones', async () => {
		sim().failNext({});
		await req('POST', CREATE, { body: createBody({ name: 'before reset' }) });
		sim().failNext({});
		sim().reset();
		expect(sim().pendingResponses).toBe(0);
		expect(sim().requests).toHaveLength(0);
		expect(sim().apps).toHaveLength(0);
		expect((await req('POST', CREATE, { body: createBody() })).json).toEqual({ id: 1001, name: 'Contoso D365' });
		expect(sim().lastRequest?.seq).toBe(1);
	});
});

describe('fixtures', () => {
	it('azure-app.pfx is PKCS#12 that opens with its password; the others are not PKCS#12', () => {
		expect(checkPkcs12(readFileSync(AZURE_APP_PFX_PATH), AZURE_APP_PFX_PASSWORD)).toBe('ok');
		expect(checkPkcs12(readFileSync(AZURE_APP_PFX_PATH), 'wrong')).toBe('wrong-password');
		expect(checkPkcs12(readFileSync(NOT_A_PFX_PEM_PATH), AZURE_APP_PFX_PASSWORD)).toBe('not-pkcs12');
		expect(checkPkcs12(readFileSync(NOT_A_PFX_TXT_PATH), AZURE_APP_PFX_PASSWORD)).toBe('not-pkcs12');
	});
});

describe('cli', () => {
	it('prints the base URL and token as one JSON line and exits on SIGTERM', async () => {
		const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(__dirname, '..', '..', 'testing', 'simulator', 'cli.ts'), '--port', '0'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		try {
			const line = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (chunk: Buffer) => {
					out += chunk.toString('utf8');
					if (out.includes('\n')) resolve(out.split('\n')[0]);
				});
				child.once('exit', (code) => reject(new Error(`cli exited with ${code}`)));
			});
			const { baseUrl, authtoken } = JSON.parse(line) as { baseUrl: string; authtoken: string };
			expect(authtoken).toBe(DEFAULT_AUTHTOKEN);
			expect((await call(baseUrl, 'GET', '/v2/WhoAmI', { token: authtoken })).status).toBe(200);
			const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('Microsoft 365 apps: POST /V4/Office365/{workload} and PUT /V4/Office365/{workload}/{appId}/Content', () => {
	const { sim, req } = useSimulator();
	const office365 = [
		{ workload: 'Exchange', create: 'CreateExchangeClient', content: 'AddExchangeContent', types: ['ALL_MAILBOXES', 'ALL_PUBLIC_FOLDERS', 'ALL_GROUP_MAILBOXES'] },
		{ workload: 'OneDrive', create: 'CreateOnedriveClient', content: 'AddOnedriveContent', types: ['ALL_USERS'] },
		{ workload: 'SharePoint', create: 'CreateSharepointClient', content: 'AddSharepointContent', types: ['ALL_WEB_SITES', 'ALL_TEAMS_SITES'] },
		{ workload: 'Teams', create: 'CreateTeamsClient', content: 'AddTeamsContent', types: ['ALL_TEAMS'] },
	] as const;
	const ADMIN_SITE = 'https://contoso-admin.sharepoint.com';
	/** A valid create body for the workload: SharePoint needs its admin site URL. */
	const bodyFor = (workload: string, overrides: Record<string, unknown> = {}, azureApp: Record<string, unknown> = {}): Record<string, unknown> =>
		createBody({ name: `Contoso ${workload}`, ...(workload === 'SharePoint' ? { tenantAdminSiteURL: ADMIN_SITE } : {}), ...overrides }, azureApp);
	const createPathOf = (workload: string): string => `/V4/Office365/${workload}`;
	const contentPathOf = (workload: string, appId: number | string): string => `/V4/Office365/${workload}/${appId}/Content`;
	const errorOf = (res: { json: unknown }): string => (res.json as { errorMessage: string }).errorMessage;

	describe.each(office365)('$workload', ({ workload, create, content, types }) => {
		it('creates the app with the minimal body of its schema, then adds each content type with an Office365 plan', async () => {
			const res = await req('POST', createPathOf(workload), { body: bodyFor(workload) });
			expect(res).toMatchObject({ status: 200, json: { id: 1001, name: `Contoso ${workload}` } });
			expect(sim().lastRequest).toMatchObject({ operationId: create, valid: true });
			expect(sim().app(1001)).toMatchObject({ workload, serverPlan: { id: 1, name: 'Server-Gold' }, decoded: { applicationSecret: 's3cr3t~canary' } });

			for (const type of types) {
				const added = await req('PUT', contentPathOf(workload, 1001), { body: { type, office365plan: { name: 'm365 standard (eu)' } } });
				expect(added).toMatchObject({ status: 200, json: { errorCode: 0, errorMessage: null } });
				expect(sim().lastRequest).toMatchObject({ operationId: content, valid: true });
			}
			expect(sim().app(1001)?.content).toEqual(types.map((type) => ({ type, plan: { id: 22, name: 'M365 Standard (EU)' } })));
		});

		it('accepts the certificate fields of AzureAdApp', async () => {
			const pfx = readFileSync(AZURE_APP_PFX_PATH);
			const certificate = { certificate: pfx.toString('base64'), certificatePassword: base64(AZURE_APP_PFX_PASSWORD), certificateThumbprint: 'AB12' };
			expect((await req('POST', createPathOf(workload), { body: bodyFor(workload, {}, certificate) })).status).toBe(200);
			expect(sim().app(1001)?.decoded.certificate?.equals(pfx)).toBe(true);
		});

		it("answers 409 with Commvault's message for a name any app already has (case-insensitively)", async () => {
			sim().addApp({ name: 'Taken Name' });
			const res = await req('POST', createPathOf(workload), { body: bodyFor(workload, { name: 'TAKEN name' }) });
			expect(res.status).toBe(409);
			expect(res.text).toBe('{"errorMessage":"An instance by this name already exists.","errorCode":3}');
			expect((await req('POST', createPathOf(workload), { body: bodyFor(workload) })).status).toBe(200);
			expect((await req('POST', createPathOf(workload), { body: bodyFor(workload) })).status).toBe(409);
		});

		it('rejects a content type of another workload, the capital-P office365Plan, and a plan that is not Office365', async () => {
			sim().addApp({ id: 1001, name: 'Seeded', workload });
			const foreignType = workload === 'Teams' ? 'ALL_MAILBOXES' : 'ALL_TEAMS';
			const wrongType = await req('PUT', contentPathOf(workload, 1001), { body: { type: foreignType, office365plan: { id: 21 } } });
			expect(wrongType.status).toBe(400);
			expect(errorOf(wrongType)).toContain('/type: must be one of');
			expect((await req('PUT', contentPathOf(workload, 1001), { body: { type: types[0], office365Plan: { id: 21 } } })).status).toBe(400);
			expect(errorOf(await req('PUT', contentPathOf(workload, 1001), { body: { type: types[0], office365plan: { id: 11 } } }))).toBe(
				"office365plan: Plan 'D365-Standard' is a Dynamics365 plan, not a Office365 plan.",
			);
			expect(errorOf(await req('PUT', contentPathOf(workload, 1001), { body: { type: types[0], office365plan: { id: 23 } } }))).toBe(
				"office365plan: Plan 'O365-Retired' is disabled.",
			);
			expect(sim().app(1001)?.content).toEqual([]);
		});

		it('answers 404 for an unknown app and for an app of another workload', async () => {
			sim().addApp({ id: 1001, name: 'A Dynamics 365 app' });
			for (const appId of [1001, 4242]) {
				const res = await req('PUT', contentPathOf(workload, appId), { body: { type: types[0], office365plan: { id: 21 } } });
				expect(res).toMatchObject({ status: 404, json: { errorCode: 4, errorMessage: `${workload} app with id ${appId} does not exist.` } });
			}
		});
	});

	it.each(['Exchange', 'OneDrive', 'SharePoint'])('%s: a refreshToken is an unknown property (only Teams and Dynamics 365 take one)', async (workload) => {
		const res = await req('POST', createPathOf(workload), { body: bodyFor(workload, {}, { refreshToken: 'refresh' }) });
		expect(res.status).toBe(400);
		expect(errorOf(res)).toContain('/azureApp/refreshToken: unknown property');
		expect(sim().apps).toEqual([]);
	});

	it('Teams takes a refreshToken', async () => {
		expect((await req('POST', createPathOf('Teams'), { body: bodyFor('Teams', {}, { refreshToken: 'refresh' }) })).status).toBe(200);
		expect(sim().app(1001)?.azureApp.refreshToken).toBe('refresh');
	});

	it('SharePoint requires tenantAdminSiteURL, and it must be an admin site; the other workloads do not know the field', async () => {
		const missing = await req('POST', createPathOf('SharePoint'), { body: createBody({ name: 'No site' }) });
		expect(errorOf(missing)).toContain('/tenantAdminSiteURL: is required');
		for (const url of ['https://contoso.sharepoint.com', 'http://contoso-admin.sharepoint.com', 'contoso-admin.sharepoint.com']) {
			const res = await req('POST', createPathOf('SharePoint'), { body: bodyFor('SharePoint', { tenantAdminSiteURL: url }) });
			expect(res).toMatchObject({ status: 400, json: { errorMessage: 'tenantAdminSiteURL is not the URL of a SharePoint Online admin site.' } });
		}
		expect((await req('POST', createPathOf('SharePoint'), { body: bodyFor('SharePoint') })).status).toBe(200);
		expect(sim().app(1001)?.tenantAdminSiteURL).toBe(ADMIN_SITE);
		const exchange = await req('POST', createPathOf('Exchange'), { body: bodyFor('Exchange', { tenantAdminSiteURL: ADMIN_SITE }) });
		expect(errorOf(exchange)).toContain('/tenantAdminSiteURL: unknown property');
	});

	it.each([
		['Exchange', 'AD_GROUP'],
		['OneDrive', 'GROUP'],
		['Teams', 'GROUP'],
	])('%s: content type %s names its group (GUID or name), and no other type takes one', async (workload, type) => {
		sim().addApp({ id: 1001, name: 'Seeded', workload: workload as 'Exchange' });
		const put = (body: Record<string, unknown>): ReturnType<typeof req> => req('PUT', contentPathOf(workload, 1001), { body: { office365plan: { id: 21 }, ...body } });
		expect(await put({ type })).toMatchObject({ status: 400, json: { errorMessage: `group (GUID or name) is required for type ${type}.` } });
		expect((await put({ type, group: {} })).status).toBe(400);
		expect(errorOf(await put({ type, group: { id: 7 } }))).toContain('/group/id: unknown property');
		const other = workload === 'Exchange' ? 'ALL_MAILBOXES' : workload === 'OneDrive' ? 'ALL_USERS' : 'ALL_TEAMS';
		expect(await put({ type: other, group: { name: 'Sales' } })).toMatchObject({ status: 400, json: { errorMessage: 'group is only for type AD_GROUP or GROUP.' } });
		expect((await put({ type, group: { GUID: 'f0e1d2c3', name: 'Sales' } })).status).toBe(200);
		expect(sim().app(1001)?.content).toEqual([{ type, plan: { id: 21, name: 'O365-Mailboxes' }, group: { GUID: 'f0e1d2c3', name: 'Sales' } }]);
	});

	it('a Dynamics 365 content path does not find a Microsoft 365 app', async () => {
		sim().addApp({ id: 1001, name: 'Mailboxes', workload: 'Exchange' });
		const res = await req('PUT', contentPath(1001), { body: contentBody() });
		expect(res).toMatchObject({ status: 404, json: { errorMessage: 'Dynamics 365 app with id 1001 does not exist.' } });
	});
});

describe('latency, requests in flight and the body limit', () => {
	const { sim, req } = useSimulator({ latencyMs: 60 });

	it('holds every answer latencyMs before sending it, and counts the requests in flight at once', async () => {
		const started = Date.now();
		const answers = await Promise.all([1, 2, 3, 4].map(() => req('GET', '/V4/PlanIds')));
		const elapsed = Date.now() - started;
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
		// four at once: each waited, all together in about one latency, not four
		expect(elapsed).toBeGreaterThanOrEqual(55);
		expect(sim().peakInFlight).toBe(4);
		expect(sim().inFlight).toBe(0);
	});

	it('takes a new latencyMs while running, and reset forgets the peak in flight', async () => {
		await Promise.all([req('GET', '/V4/PlanIds'), req('GET', '/V4/PlanIds')]);
		sim().reset();
		expect(sim().peakInFlight).toBe(0);
		const timed = async (): Promise<number> => {
			const started = Date.now();
			await req('GET', '/V4/PlanIds');
			return Date.now() - started;
		};
		try {
			sim().latencyMs = 600;
			expect(await timed()).toBeGreaterThanOrEqual(590);
			sim().latencyMs = 0;
			expect(await timed()).toBeLessThan(590);
			expect(sim().peakInFlight).toBe(1);
		} finally {
			sim().latencyMs = 60;
		}
		expect(() => (sim().latencyMs = -1)).toThrow(/latencyMs/);
	});

	it('refuses a body above maxBodyBytes with 413, and takes one at the limit', async () => {
		const small = new CommvaultSimulator({ maxBodyBytes: 2048 });
		const baseUrl = await small.start();
		try {
			const padded = (bytes: number): Record<string, unknown> => {
				const body = createBody({ name: '' });
				body.name = 'x'.repeat(bytes - JSON.stringify(body).length);
				return body;
			};
			expect(JSON.stringify(padded(2048)).length).toBe(2048);
			expect((await call(baseUrl, 'POST', CREATE, { body: padded(2048) })).status).toBe(200);
			expect((await call(baseUrl, 'POST', CREATE, { body: padded(2049) })).status).toBe(413);
		} finally {
			await small.stop();
		}
		expect(() => new CommvaultSimulator({ maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
	});
});
