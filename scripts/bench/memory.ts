/**
 * One memory measurement in a process of its own (peak RSS is per process): started by
 * scripts/bench/index.ts with `node --expose-gc --import tsx`, against a simulator in the parent,
 * so the server's copy of the body is not counted. Prints one JSON line.
 *
 * The peak is Linux's VmHWM, reset (clear_refs 5) right before the measured part:
 * - node: after the input item holds the certificate (in memory, or in n8n's file store), until
 *   this package's Create has sent it and n8n has its output;
 * - raw: readFile of the .pfx, its base64, the JSON body and one axios.post.
 */
import axios from 'axios';
import { readFileSync, writeFileSync } from 'fs';
import { readFile } from 'fs/promises';
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { runWorkflow, type BinaryMode } from '../../test/engine';
import { DEFAULT_AUTHTOKEN } from '../../test/simulator';
import { BENCH_PFX_PASSWORD } from './certificates';
import { benchNode, builtPackage, commvaultCreate, createBody, tenantItems } from './contenders';

export interface MemoryJob {
	contender: 'node' | 'raw';
	binaryMode: BinaryMode;
	certificate: string;
	/** A small certificate sent first, unmeasured: code loaded on first use is not the certificate's cost. */
	warmUpCertificate: string;
	baseUrl: string;
}

export interface MemoryResult {
	baselineBytes: number;
	peakBytes: number;
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
export function memoryAppName(job: MemoryJob): string {
	return tenantItems(1, measuredTag(job))[0].json.name as string;
}

function measuredTag(job: MemoryJob): string {
	return `memory ${job.contender} ${job.binaryMode}`;
}

async function runNode(job: MemoryJob, certificate: string, tag: string, onStart: () => void): Promise<void> {
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

async function measureNode(job: MemoryJob): Promise<MemoryResult> {
	await runNode(job, job.warmUpCertificate, `warm-up ${measuredTag(job)}`, () => undefined);
	let baselineBytes = 0;
	await runNode(job, job.certificate, measuredTag(job), () => (baselineBytes = resetPeak()));
	return { baselineBytes, peakBytes: peak() };
}

async function postRaw(job: MemoryJob, certificate: string, tag: string): Promise<void> {
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

async function measureRaw(job: MemoryJob): Promise<MemoryResult> {
	await postRaw(job, job.warmUpCertificate, `warm-up ${measuredTag(job)}`);
	const baselineBytes = resetPeak();
	await postRaw(job, job.certificate, measuredTag(job));
	return { baselineBytes, peakBytes: peak() };
}

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as MemoryJob;
	const result = job.contender === 'node' ? await measureNode(job) : await measureRaw(job);
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	process.exit(1);
});
