/**
 * `npm test` printed "DeprecationWarning: Setting the TLS ServerName to an IP address is not
 * permitted by RFC 6066" (DEP0123). Its source: n8n-core's request helper passes the URL's host
 * as the TLS server name (request-helper-functions.js, `agentOptions.servername = host`), and the
 * TLS tests addressed their servers as https://127.0.0.1. They now use the certificate's name.
 * Node emits the warning once per process, so the TLS path runs in a fresh one.
 */
import { execFile } from 'child_process';
import { join } from 'path';
import { promisify } from 'util';

const ROOT = join(__dirname, '..', '..');

interface Report {
	baseUrl: string;
	error?: string;
	requests: number;
	warnings: Array<{ name: string; code?: string; message: string }>;
}

it('a run over TLS in n8n\'s engine emits no DEP0123 (TLS server name set to an IP address)', async () => {
	const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'testing', 'engine', 'support', 'tls-run.ts')], {
		cwd: ROOT,
		timeout: 90_000,
	});
	const report = JSON.parse(stdout.trim().split('\n').pop() as string) as Report;

	expect(report.baseUrl).toMatch(/^https:/);
	expect(report.error).toBeUndefined();
	expect(report.requests).toBeGreaterThan(0);
	expect(report.warnings.filter((warning) => warning.code === 'DEP0123')).toEqual([]);
}, 120_000);
