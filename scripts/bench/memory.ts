/**
 * One memory measurement in a process of its own (peak RSS is per process): started by
 * scripts/bench/index.ts with `node --expose-gc --import tsx`, against a simulator in the parent,
 * so the server's copy of the body is not counted. Prints one JSON line.
 *
 * The peak is Linux's VmHWM, reset (clear_refs 5) right before the measured part:
 * - certificate, node: after the input item holds the certificate (in memory, or in n8n's file
 *   store), until this package's Create has sent it and n8n has its output;
 * - certificate, raw: readFile of the .pfx, its base64, the JSON body and one axios.post;
 * - list (Get Many), node or HTTP Request node: from the node's start until n8n has its output;
 *   raw: every page with axios, the apps in one array; floor: a node that outputs apps the process
 *   already holds, one item each (n8n's own cost of that many items). The output's JSON size is
 *   measured after the peak is read, so the measuring does not count.
 */
import axios from 'axios';
import { readFileSync, writeFileSync } from 'fs';
import { readFile } from 'fs/promises';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { runWorkflow, type BinaryMode, type NodeSpec } from '../../testing/engine';
import { DEFAULT_AUTHTOKEN } from '../../testing/simulator';
import { BENCH_PFX_PASSWORD } from './certificates';
import { HEADER_AUTH, benchNode, builtPackage, commvaultCreate, createBody, httpRequestNode, tenantItems } from './contenders';
import { LIST_PATH, appsIn, commvaultGetMany, fetchAllPages, httpRequestGetMany } from './list-contenders';

export type MemoryJob = CertificateJob | ListJob;

/** One Create with a certificate. */
export interface CertificateJob {
	kind: 'certificate';
	contender: 'node' | 'raw';
	binaryMode: BinaryMode;
	certificate: string;
	/** A small certificate sent first, unmeasured: code loaded on first use is not the certificate's cost. */
	warmUpCertificate: string;
	baseUrl: string;
}

/**
 * Every Exchange app of the simulator, listed once. `floor`: n8n's own cost of 10,000 output
 * items, a node that outputs the same apps, fetched (outside n8n, unmeasured) before the peak is
 * reset, one item each: the INodeExecutionData wrappers, their pairedItem and what the engine
 * keeps of a node's output, which any node that outputs one item per app adds.
 */
export interface ListJob {
	kind: 'list';
	contender: 'node' | 'httpRequest' | 'raw' | 'floor';
	baseUrl: string;
	/** Where the HTTP Request node comes from. */
	n8nInstallDir: string;
}

export interface MemoryResult {
	baselineBytes: number;
	peakBytes: number;
	/** List jobs: the bytes of the JSON the contender output, and how many apps it held. */
	outputJsonBytes?: number;
	apps?: number;
}

declare const gc: () => void;

function resetPeak(): number {
	gc();
	gc();
	writeFileSync('/proc/self/clear_refs', '5');
	return process.memoryUsage().rss;
}

function peak(): number {
	const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
	if (!match) throw new Error('no VmHWM in /proc/self/status');
	return Number(match[1]) * 1024;
}

/** Passes its items on, after marking where the measured part starts. */
function markerNode(onStart: () => void): INodeType {
	return benchNode('Start Measuring', async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		onStart();
		return [this.getInputData()];
	});
}

/** The app a job creates in its measured run (each job its own, so jobs can run side by side). */
export function memoryAppName(job: CertificateJob): string {
	return tenantItems(1, measuredTag(job))[0].json.name as string;
}

function measuredTag(job: CertificateJob): string {
	return `memory ${job.contender} ${job.binaryMode}`;
}

async function runNode(job: CertificateJob, certificate: string, tag: string, onStart: () => void): Promise<void> {
	const { Commvault, CommvaultApi } = builtPackage();
	const [item] = tenantItems(1, tag);
	const result = await runWorkflow({
		chain: [
			{ nodeType: markerNode(onStart), parameters: {} },
			commvaultCreate(Commvault, undefined, { certificateBinaryProperty: 'certificate', certificatePassword: BENCH_PFX_PASSWORD }),
		],
		items: [{ ...item, binary: { certificate: { data: readFileSync(certificate), mimeType: 'application/x-pkcs12', fileName: 'bench.pfx' } } }],
		credentialTypes: [CommvaultApi],
		credentials: { commvaultApi: { baseUrl: job.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } },
		binaryMode: job.binaryMode,
	});
	if (result.error) throw new Error(`the node failed: ${result.error.message}`);
}

async function measureNode(job: CertificateJob): Promise<MemoryResult> {
	await runNode(job, job.warmUpCertificate, `warm-up ${measuredTag(job)}`, () => undefined);
	let baselineBytes = 0;
	await runNode(job, job.certificate, measuredTag(job), () => (baselineBytes = resetPeak()));
	return { baselineBytes, peakBytes: peak() };
}

async function postRaw(job: CertificateJob, certificate: string, tag: string): Promise<void> {
	const [item] = tenantItems(1, tag);
	const bytes = await readFile(certificate);
	const body = createBody(item.json);
	const azureApp = body.azureApp as Record<string, string>;
	azureApp.certificate = bytes.toString('base64');
	azureApp.certificatePassword = Buffer.from(BENCH_PFX_PASSWORD).toString('base64');
	await axios.post(`${job.baseUrl}/v4/Dynamics365`, JSON.stringify(body), {
		headers: { Authtoken: DEFAULT_AUTHTOKEN, 'Content-Type': 'application/json' },
		maxBodyLength: Infinity,
	});
}

async function measureRaw(job: CertificateJob): Promise<MemoryResult> {
	await postRaw(job, job.warmUpCertificate, `warm-up ${measuredTag(job)}`);
	const baselineBytes = resetPeak();
	await postRaw(job, job.certificate, measuredTag(job));
	return { baselineBytes, peakBytes: peak() };
}

/**
 * The warm-up listing's searchKey: a few apps of the bench's seed, so the code is loaded and the
 * heap has not grown to hold a whole list before the measured one (which would then fit in it).
 */
const WARM_UP_SEARCH = 'Bench-Exchange-000';

/** Outputs the apps it is given, one item each, as any node that lists them must. */
function heldAppsNode(apps: IDataObject[]): INodeType {
	return benchNode('Held Apps', async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [apps.map((json) => ({ json, pairedItem: { item: 0 } }))];
	});
}

/** One listing by a node in n8n: the marker, then the contender; its output items. */
async function listInN8n(job: ListJob, onStart: () => void, searchKey?: string, held: IDataObject[] = []): Promise<Array<{ json: IDataObject }>> {
	let chain: NodeSpec[];
	let run: Partial<Parameters<typeof runWorkflow>[0]> = {};
	if (job.contender === 'floor') {
		chain = [{ nodeType: heldAppsNode(held), parameters: {} }];
	} else if (job.contender === 'node') {
		const { Commvault, CommvaultApi } = builtPackage();
		chain = [commvaultGetMany(Commvault, searchKey)];
		run = { credentialTypes: [CommvaultApi], credentials: { commvaultApi: { baseUrl: job.baseUrl, authentication: 'authtoken', authtoken: DEFAULT_AUTHTOKEN } } };
	} else {
		const { HttpRequest, HttpHeaderAuth, version } = httpRequestNode(job.n8nInstallDir);
		chain = [httpRequestGetMany(HttpRequest, version, job.baseUrl, searchKey)];
		run = { credentialTypes: [HttpHeaderAuth], credentials: { httpHeaderAuth: HEADER_AUTH }, packageName: 'n8n-nodes-base' };
	}
	const result = await runWorkflow({ ...run, chain: [{ nodeType: markerNode(onStart), parameters: {} }, ...chain], items: [{ json: {} }] });
	const last = result.nodes[result.nodeNames[result.nodeNames.length - 1]];
	const problem = result.error?.message ?? last?.error?.message;
	if (problem) throw new Error(`${job.contender} failed: ${problem}`);
	return last?.items ?? [];
}

async function measureList(job: ListJob): Promise<MemoryResult> {
	const url = `${job.baseUrl}${LIST_PATH}`;
	let baselineBytes = 0;
	let outputs: Array<{ json: IDataObject }>;
	if (job.contender === 'raw') {
		await fetchAllPages(url, 1, WARM_UP_SEARCH);
		baselineBytes = resetPeak();
		outputs = (await fetchAllPages(url, 1)).map((json) => ({ json }));
	} else if (job.contender === 'floor') {
		await listInN8n(job, () => undefined, undefined, await fetchAllPages(url, 1, WARM_UP_SEARCH));
		const held = await fetchAllPages(url, 1);
		outputs = await listInN8n(job, () => (baselineBytes = resetPeak()), undefined, held);
	} else {
		await listInN8n(job, () => undefined, WARM_UP_SEARCH);
		outputs = await listInN8n(job, () => (baselineBytes = resetPeak()));
	}
	const peakBytes = peak();
	const outputJsonBytes = Buffer.byteLength(JSON.stringify(outputs.map((item) => item.json)));
	return { baselineBytes, peakBytes, outputJsonBytes, apps: appsIn(outputs).length };
}

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as MemoryJob;
	let result: MemoryResult;
	if (job.kind === 'list') result = await measureList(job);
	else result = job.contender === 'node' ? await measureNode(job) : await measureRaw(job);
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	process.exit(1);
});
