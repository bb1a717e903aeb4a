import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runNode, runWorkflow, testCredential } from '../../testing/engine';

const USERNAME = 'harness-user';
const PASSWORD = 'harness-pa55word-SECRET';

// ---------------------------------------------------------------- dummy API

interface DummyServer {
	baseUrl: string;
	logins: number;
	requests: Array<{ method: string; url: string; authorization?: string; body: unknown }>;
	/** Forget every issued token, as if the server-side session expired. */
	expireSessions(): void;
	/** Expire sessions right after the given number of successful /echo calls. */
	expireAfterEchoes(count: number): void;
	close(): Promise<void>;
}

async function startDummyServer(tls?: { key: Buffer; cert: Buffer }): Promise<DummyServer> {
	const validTokens = new Set<string>();
	let tokenCounter = 0;
	let echoes = 0;
	let expireAt: number | undefined;

	const handler: http.RequestListener = (req, res) => {
		let raw = '';
		req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
		req.on('end', () => {
			const body: unknown = raw === '' ? undefined : JSON.parse(raw);
			const authorization = req.headers.authorization;
			state.requests.push({ method: req.method ?? '', url: req.url ?? '', authorization, body });
			const send = (status: number, payload: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(payload));
			};
			const authorised = () =>
				authorization?.startsWith('QSDK ') === true && validTokens.has(authorization.slice(5));

			if (req.method === 'POST' && req.url === '/login') {
				const { username, password } = (body ?? {}) as IDataObject;
				if (password !== PASSWORD) return send(401, { errorMessage: 'Invalid credentials' });
				state.logins++;
				const token = `token-${++tokenCounter}-${String(username)}`;
				validTokens.add(token);
				return send(200, { token });
			}
			if (!authorised()) return send(401, { errorMessage: 'Session expired' });
			if (req.method === 'GET' && req.url === '/whoami') {
				const user = authorization?.split('-').slice(2).join('-');
				if (user === 'forbidden-user') return send(403, { errorMessage: 'No permission' });
				return send(200, { user, ok: true });
			}
			if (req.method === 'POST' && req.url === '/echo') {
				echoes++;
				if (expireAt !== undefined && echoes >= expireAt) {
					expireAt = undefined;
					validTokens.clear();
				}
				return send(200, { received: body ?? null });
			}
			if (req.method === 'POST' && req.url === '/fail') {
				return send(500, { errorMessage: 'Internal failure' });
			}
			return send(404, { errorMessage: 'Not found' });
		});
	};

	const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
	// Over TLS by the certificate's name, not an IP: n8n's helper sends the host as TLS server name (DEP0123).
	const host = tls ? 'localhost' : '127.0.0.1';
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	const { port } = server.address() as AddressInfo;
	const state: DummyServer = {
		baseUrl: `${tls ? 'https' : 'http'}://${host}:${port}`,
		logins: 0,
		requests: [],
		expireSessions: () => validTokens.clear(),
		expireAfterEchoes: (count) => {
			expireAt = echoes + count;
		},
		close: async () =>
			await new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
	return state;
}

// ------------------------------------------------- dummy credential + node

class DummyApi implements ICredentialType {
	name = 'dummyApi';

	displayName = 'Dummy API';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'User Name', name: 'username', type: 'string', default: '' },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Ignore SSL Issues', name: 'ignoreSslIssues', type: 'boolean', default: false },
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${String(credentials.baseUrl)}/login`,
			body: { username: credentials.username, password: credentials.password },
			json: true,
			skipSslCertificateValidation: credentials.ignoreSslIssues === true,
		})) as { token: string };
		return { sessionToken: response.token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{ "QSDK " + $credentials.sessionToken }}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl }}',
			url: '/whoami',
			method: 'GET',
			skipSslCertificateValidation: '={{ $credentials.ignoreSslIssues }}',
		},
		rules: [{ type: 'responseCode', properties: { value: 403, message: 'This user may not use the API' } }],
	};
}

class DummyNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dummy',
		name: 'dummy',
		group: ['transform'],
		version: [1, 2],
		description: 'Posts each item to the dummy API',
		defaults: { name: 'Dummy' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dummyApi', required: true }],
		properties: [
			{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' },
			{ displayName: 'Binary Property', name: 'binaryProperty', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const credentials = await this.getCredentials('dummyApi', i);
				const urlPath = this.getNodeParameter('path', i) as string;
				const binaryProperty = this.getNodeParameter('binaryProperty', i) as string;
				const body: IDataObject = { index: i, value: items[i].json.value ?? null };
				if (binaryProperty !== '') {
					const meta = this.helpers.assertBinaryData(i, binaryProperty);
					const bytes = await this.helpers.getBinaryDataBuffer(i, binaryProperty);
					body.file = { name: meta.fileName ?? null, base64: bytes.toString('base64') };
				}
				this.logger.info('Dummy posting item', { itemIndex: i, path: urlPath });
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'dummyApi', {
					method: 'POST',
					url: `${String(credentials.baseUrl)}${urlPath}`,
					body,
					json: true,
				})) as IDataObject;
				output.push({ json: response, binary: items[i].binary, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					output.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [output];
	}
}

/** Throws for every run; shows what the ENGINE does with an uncaught error. */
class ThrowingNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Thrower',
		name: 'thrower',
		group: ['transform'],
		version: 1,
		description: 'Always fails',
		defaults: { name: 'Thrower' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'Thrower always fails', { itemIndex: 0 });
	}
}

// ------------------------------------------------------------------ tests

describe('engine harness', () => {
	let server: DummyServer;
	let credentials: Record<string, ICredentialDataDecryptedObject>;

	beforeEach(async () => {
		server = await startDummyServer();
		credentials = { dummyApi: { baseUrl: server.baseUrl, username: USERNAME, password: PASSWORD } };
	});

	afterEach(async () => {
		await server.close();
	});

	const base = () => ({
		nodeType: DummyNode,
		credentialTypes: [DummyApi],
		credentials,
	});

	it('runs the node in WorkflowExecute, pairs output items and applies the generic auth header', async () => {
		const result = await runNode({
			...base(),
			parameters: {},
			items: [{ json: { value: 'a' } }, { json: { value: 'b' } }, { json: { value: 'c' } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json)).toEqual([
			{ received: { index: 0, value: 'a' } },
			{ received: { index: 1, value: 'b' } },
			{ received: { index: 2, value: 'c' } },
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

		const echoes = server.requests.filter((request) => request.url === '/echo');
		expect(echoes).toHaveLength(3);
		for (const echo of echoes) expect(echo.authorization).toBe(`QSDK token-1-${USERNAME}`);
	});

	it('logs in once per run and keeps the refreshed token in memory only', async () => {
		const given = structuredClone(credentials);
		const result = await runNode({
			...base(),
			parameters: {},
			items: [{ json: {} }, { json: {} }, { json: {} }],
		});

		expect(result.error).toBeUndefined();
		expect(server.logins).toBe(1);
		expect(result.preAuthenticationCalls).toEqual([
			{ credentialType: 'dummyApi', credentialsExpired: false, testing: false, refreshed: true },
		]);
		expect(result.storedCredentials.dummyApi.sessionToken).toBe(`token-1-${USERNAME}`);
		expect(credentials).toEqual(given);
	});

	it('re-runs preAuthentication after a 401 and retries the request', async () => {
		server.expireAfterEchoes(1);
		const result = await runNode({
			...base(),
			parameters: {},
			items: [{ json: { value: 1 } }, { json: { value: 2 } }, { json: { value: 3 } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(server.logins).toBe(2);
		expect(result.preAuthenticationCalls.map((call) => call.credentialsExpired)).toEqual([false, true]);
		// item 2 was rejected once, then retried with the new token
		const secondItemCalls = server.requests.filter(
			(request) => request.url === '/echo' && (request.body as IDataObject).index === 1,
		);
		expect(secondItemCalls.map((request) => request.authorization)).toEqual([
			`QSDK token-1-${USERNAME}`,
			`QSDK token-2-${USERNAME}`,
		]);
	});

	it('treats a stored but stale token as expired on the first 401', async () => {
		credentials.dummyApi.sessionToken = 'stale-token';
		const result = await runNode({ ...base(), parameters: {}, items: [{ json: {} }, { json: {} }] });

		expect(result.error).toBeUndefined();
		expect(result.preAuthenticationCalls.map((call) => call.credentialsExpired)).toEqual([true]);
		expect(server.logins).toBe(1);
	});

	it.each(['default', 'filesystem'] as const)('hands binary data to the node in %s mode', async (binaryMode) => {
		const bytes = Buffer.from('-----BEGIN CERT----- harness bytes', 'utf8');
		const result = await runNode({
			...base(),
			binaryMode,
			parameters: { binaryProperty: 'cert' },
			items: [
				{
					json: { value: 'with-file' },
					binary: { cert: { data: bytes.toString('base64'), mimeType: 'application/x-pem-file', fileName: 'app.pem' } },
				},
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({
			received: { index: 0, value: 'with-file', file: { name: 'app.pem', base64: bytes.toString('base64') } },
		});
		const binary = result.items[0].binary?.cert;
		if (binaryMode === 'filesystem') {
			// bytes live in the file store; the item only references them
			expect(binary?.id).toMatch(/^filesystem-v2:/);
			expect(binary?.data).toBe('filesystem-v2');
		} else {
			expect(binary?.id).toBeUndefined();
			expect(binary?.data).toBe(bytes.toString('base64'));
		}
		expect(result.binary[0].cert.equals(bytes)).toBe(true);
		expect(existsSync(result.userFolder)).toBe(false);
	});

	it('turns failures into error items when the node continues on fail', async () => {
		const result = await runNode({
			...base(),
			continueOnFail: true,
			parameters: { path: '={{ $json.path }}' },
			items: [{ json: { path: '/echo', value: 'ok' } }, { json: { path: '/fail' } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json).toEqual({ received: { index: 0, value: 'ok' } });
		expect(result.items[1].json.error).toEqual(expect.any(String));
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
	});

	it('surfaces the node error when the node does not continue on fail', async () => {
		const result = await runNode({
			...base(),
			parameters: { path: '/fail' },
			items: [{ json: {} }],
		});

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '500' });
		expect(result.run.data.resultData.lastNodeExecuted).toBe('Dummy');
		// the token must not travel with the recorded error or its log lines
		const token = String(result.storedCredentials.dummyApi.sessionToken);
		expect(token).toMatch(/^token-/);
		expect(JSON.stringify(result.error)).not.toContain(token);
		for (const line of result.logs) {
			expect(line).not.toContain(token);
			expect(line).not.toContain(PASSWORD);
		}
	});

	it('passes the input through and records the error when an uncaught error meets continueOnFail', async () => {
		const result = await runNode({
			nodeType: ThrowingNode,
			continueOnFail: true,
			parameters: {},
			items: [{ json: { value: 1 } }, { json: { value: 2 } }],
		});

		// n8n outputs the node's INPUT items unchanged and records the error on
		// the task; as the last node's error is still pending when the run ends,
		// the execution itself is marked as failed too.
		expect(result.items.map((item) => item.json)).toEqual([{ value: 1 }, { value: 2 }]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.error).toMatchObject({ name: 'NodeOperationError', message: 'Thrower always fails' });
		expect(result.status).toBe('error');
	});

	it('captures log lines from n8n and the node without leaking secrets', async () => {
		const result = await runNode({ ...base(), parameters: {}, items: [{ json: {} }, { json: {} }] });

		expect(result.logs.some((line) => line.includes('Start executing node "Dummy"'))).toBe(true);
		expect(result.logs.some((line) => line.includes('Dummy posting item') && line.includes('itemIndex: 1'))).toBe(
			true,
		);
		const token = String(result.storedCredentials.dummyApi.sessionToken);
		for (const line of result.logs) {
			expect(line).not.toContain(PASSWORD);
			expect(line).not.toContain(token);
		}
	});

	it('runs a chain of nodes', async () => {
		const result = await runWorkflow({
			chain: [
				{ nodeType: DummyNode, parameters: {} },
				{ nodeType: new DummyNode(), parameters: {} },
			],
			credentialTypes: [new DummyApi()],
			credentials,
			items: [{ json: { value: 'x' } }],
		});

		expect(result.nodeNames).toEqual(['Dummy', 'Dummy1']);
		expect(result.nodes.Dummy1.items[0].json).toEqual({ received: { index: 0, value: null } });
		expect(server.logins).toBe(1);
	});

	it('reports a credential test as OK after logging in', async () => {
		const outcome = await testCredential(DummyApi, credentials.dummyApi);

		expect(outcome).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(outcome.preAuthenticationCalls).toEqual([
			{ credentialType: 'dummyApi', credentialsExpired: false, testing: true, refreshed: true },
		]);
		expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
			'POST /login',
			'GET /whoami',
		]);
		for (const line of outcome.logs) expect(line).not.toContain(PASSWORD);
	});

	it('logs in again for a credential test even when a token is stored', async () => {
		const outcome = await testCredential(new DummyApi(), { ...credentials.dummyApi, sessionToken: 'old' });

		expect(outcome.status).toBe('OK');
		expect(server.logins).toBe(1);
	});

	it('reports a credential test Error for a bad password', async () => {
		const outcome = await testCredential(DummyApi, { ...credentials.dummyApi, password: 'wrong' });

		expect(outcome).toMatchObject({
			status: 'Error',
			message: 'Authorization failed - please check your credentials',
		});
		// the login's own 401 makes n8n-core try preAuthentication once more
		expect(outcome.preAuthenticationCalls.map((call) => call.credentialsExpired)).toEqual([false, true]);
		expect(server.logins).toBe(0);
	});

	it('reports a non-2xx test response with NodeApiError\'s message, as n8n 1.123 does', async () => {
		const outcome = await testCredential(DummyApi, { ...credentials.dummyApi, username: 'forbidden-user' });

		// n8n's tester only applies `responseCode` rules when `error.cause.response`
		// exists, but NodeApiError (n8n-workflow 1.120) drops an Error cause, so
		// the rule message never shows; the user sees NodeApiError's message.
		expect(outcome).toMatchObject({ status: 'Error', message: 'Forbidden - perhaps check your credentials?' });
	});

	it('reports an unreachable server as a credential test Error', async () => {
		const unreachable = server.baseUrl;
		await server.close();
		server = await startDummyServer();

		const outcome = await testCredential(DummyApi, { ...credentials.dummyApi, baseUrl: unreachable });

		expect(outcome).toMatchObject({
			status: 'Error',
			message: 'The service refused the connection - perhaps it is offline',
		});
	});
});

describe('engine harness over TLS with a self-signed certificate', () => {
	const tlsDir = path.join(__dirname, '..', '..', 'testing', 'fixtures', 'tls');
	let server: DummyServer;

	beforeEach(async () => {
		server = await startDummyServer({
			key: readFileSync(path.join(tlsDir, 'localhost.key.pem')),
			cert: readFileSync(path.join(tlsDir, 'localhost.cert.pem')),
		});
	});

	afterEach(async () => {
		await server.close();
	});

	const data = (ignoreSslIssues: boolean): ICredentialDataDecryptedObject => ({
		baseUrl: server.baseUrl,
		username: USERNAME,
		password: PASSWORD,
		ignoreSslIssues,
	});

	it('passes the credential test only when SSL issues are ignored', async () => {
		expect((await testCredential(DummyApi, data(true))).status).toBe('OK');

		const strict = await testCredential(DummyApi, data(false));
		expect(strict.status).toBe('Error');
		expect(strict.message).toMatch(/self[- ]signed|DEPTH_ZERO|certificate/i);
	});
});
