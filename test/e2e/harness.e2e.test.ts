/**
 * Self-test of the real-n8n harness (test/e2e/n8n-cli.ts) with a plain-JS dummy community
 * package (test/e2e/fixtures/dummy-package), on every n8n of test/e2e/versions.json.
 * It proves the harness itself: package loading, credential + workflow import, binary data
 * from core nodes, an authenticated HTTP call to a loopback server, errors and continue-on-fail.
 * When the product's e2e tests fail but this passes, the fault is not in the harness.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

import type { IDataObject } from 'n8n-workflow';

import {
	assertSuccess,
	cleanup,
	ensureN8n,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	makeUserFolder,
	nodeError,
	outputItems,
	packPackage,
	selectedTargets,
	type UserFolder,
	type WorkflowFixture,
} from '../../testing/e2e/n8n-cli';

const HOOK_TIMEOUT = 30 * 60 * 1000; // a cold install of n8n happens in beforeAll

interface Seen {
	url?: string;
	apiKey?: string;
	/** the request's JSON as parsed; arbitrary, read only where a test knows its shape */
	body?: unknown;
}

let server: http.Server;
let baseUrl: string;
let tarball: string;
let workDir: string;
const seen: Seen[] = [];

beforeAll(async () => {
	server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', () => {
			const rec: Seen = { url: req.url, apiKey: req.headers['x-api-key'] as string, body: raw ? JSON.parse(raw) : undefined };
			seen.push(rec);
			const send = (code: number, body: unknown) => {
				res.writeHead(code, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (rec.apiKey !== 'secret-key') return send(401, { message: 'bad key' });
			if (req.url === '/fail') return send(422, { message: 'simulated failure' });
			return send(200, { ok: true, received: rec });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-harness-'));
	tarball = await packPackage(path.join(__dirname, '..', '..', 'testing', 'e2e', 'fixtures', 'dummy-package'), workDir);
}, HOOK_TIMEOUT);

afterAll(async () => {
	await cleanup();
	await new Promise<void>((resolve) => server?.close(() => resolve()));
	if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

const CRED = { id: 'e2eDummyCred01', name: 'E2E dummy cred' };

function workflow(id: string, dummy: { path: string; onError?: string; continueOnFail?: boolean }): WorkflowFixture {
	const { path: p, ...settings } = dummy;
	return {
		id,
		name: `harness ${id}`,
		nodes: [
			{ id: 'a0000000-0000-4000-8000-000000000001', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a0000000-0000-4000-8000-000000000002',
				name: 'Fields',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							{ id: 'f1', name: 'content', value: Buffer.from('hello world').toString('base64'), type: 'string' },
							{ id: 'f2', name: 'tenant', value: 'contoso', type: 'string' },
						],
					},
					options: {},
				},
			},
			{
				id: 'a0000000-0000-4000-8000-000000000003',
				name: 'To File',
				type: 'n8n-nodes-base.convertToFile',
				typeVersion: 1.1,
				position: [400, 0],
				parameters: {
					operation: 'toBinary',
					sourceProperty: 'content',
					binaryPropertyName: 'data',
					options: { fileName: 'hello.txt', mimeType: 'text/plain' },
				},
			},
			{
				id: 'a0000000-0000-4000-8000-000000000004',
				name: 'Dummy',
				type: 'n8n-nodes-e2e-dummy.e2eDummy',
				typeVersion: 1,
				position: [600, 0],
				parameters: { path: p, binaryPropertyName: 'data' },
				credentials: { e2eDummyApi: CRED },
				...settings,
			},
		],
		connections: {
			Manual: { main: [[{ node: 'Fields', type: 'main', index: 0 }]] },
			Fields: { main: [[{ node: 'To File', type: 'main', index: 0 }]] },
			'To File': { main: [[{ node: 'Dummy', type: 'main', index: 0 }]] },
		},
	};
}

const targets = selectedTargets();

describe.each(targets.map((t) => [t.label, t] as const))('harness on %s', (label, target) => {
	let uf: UserFolder;

	beforeAll(async () => {
		const install = await ensureN8n(label);
		expect(install.n8nVersion).toBe(target.n8n);
		uf = await makeUserFolder(install, tarball);
		await importCredentials(uf, { ...CRED, type: 'e2eDummyApi', data: { baseUrl, apiKey: 'secret-key' } });
		await importWorkflow(uf, [
			workflow('harnessOk000001', { path: '/echo' }),
			workflow('harnessFail0001', { path: '/fail' }),
			workflow('harnessCont0001', { path: '/fail', onError: 'continueRegularOutput' }),
		]);
	}, HOOK_TIMEOUT);

	it('loads the community package without a second n8n-workflow', () => {
		expect(fs.existsSync(path.join(uf.packageDir, 'package.json'))).toBe(true);
		expect(fs.existsSync(path.join(uf.n8nDir, 'nodes', 'node_modules', 'n8n-workflow'))).toBe(false);
		expect(fs.existsSync(path.join(uf.packageDir, 'node_modules', 'n8n-workflow'))).toBe(false);
	});

	it('runs Set -> Convert to File -> the package node, with credential and binary data', async () => {
		const before = seen.length;
		const run = assertSuccess(await executeWorkflow(uf, 'harnessOk000001'));
		expect(run.exitCode).toBe(0);
		expect(run.status).toBe('success');
		const [item] = outputItems(run, 'Dummy');
		expect(item.json.ok).toBe(true);
		// the dummy server echoes its Seen record; the dummy node sends { item, binary } as the body
		const received = item.json.received as IDataObject;
		const body = received.body as IDataObject;
		expect(received.apiKey).toBe('secret-key');
		expect(body.item).toEqual({});
		expect(body.binary).toMatchObject({ fileName: 'hello.txt', mimeType: 'text/plain', size: 11, text: 'hello world' });
		// binary data went to disk (N8N_DEFAULT_BINARY_DATA_MODE=filesystem)
		expect(outputItems(run, 'To File')[0].binary?.data.id).toMatch(/^filesystem/);
		expect(seen.length).toBe(before + 1);
		process.stderr.write(`[harness ${label}] execute took ${run.durationMs} ms\n`);
	});

	it('reports a node error with exit code 1 and the run data', async () => {
		const run = await executeWorkflow(uf, 'harnessFail0001');
		expect(run.exitCode).toBe(1);
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/invalid or could not be processed/);
		expect(run.error?.httpCode).toBe('422');
		expect(run.lastNodeExecuted).toBe('Dummy');
		expect(run.error?.node?.name).toBe('Dummy');
		expect(nodeError(run, 'Dummy')?.description).toBe('simulated failure');
		expect(() => assertSuccess(run)).toThrow(/workflow failed in node "Dummy"/);
	});

	it('continues on fail with the error as an item', async () => {
		const run = assertSuccess(await executeWorkflow(uf, 'harnessCont0001'));
		expect(outputItems(run, 'Dummy')).toEqual([
			expect.objectContaining({ json: { error: expect.stringMatching(/invalid or could not be processed/) } }),
		]);
	});
});
