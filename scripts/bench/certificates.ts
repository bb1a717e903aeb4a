/** Large PKCS#12 files for the memory scenario, made with OpenSSL once and kept in the temp folder. */
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

export const BENCH_PFX_PASSWORD = 'bench-pfx-pass';
const DIR = join(tmpdir(), 'n8n-nodes-commvault-bench');
/** What a key, a certificate and PKCS#12's wrapping add to the padding extension, roughly. */
const OVERHEAD = 2500;

/**
 * A real PKCS#12 file of about `bytes` bytes: a throwaway key and a self-signed certificate that
 * carries random bytes in a private extension (one big certificate opens fast; thousands of small
 * ones in a chain take OpenSSL seconds). Commvault's simulator opens it with the password.
 */
export function certificateOfSize(bytes: number): string {
	mkdirSync(DIR, { recursive: true });
	const file = join(DIR, `certificate-${bytes}.pfx`);
	if (existsSync(file)) return file;
	const work = join(DIR, `work-${process.pid}`);
	mkdirSync(work, { recursive: true });
	try {
		const key = join(work, 'key.pem');
		const cert = join(work, 'cert.pem');
		const config = join(work, 'req.cnf');
		execFileSync('openssl', ['genrsa', '-out', key, '2048'], { stdio: 'ignore' });
		writeFileSync(
			config,
			'[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=n8n-nodes-commvault bench\n[ext]\nbasicConstraints=CA:FALSE\n' +
				`1.3.6.1.4.1.55555.1=ASN1:FORMAT:HEX,OCTETSTRING:${randomBytes(Math.max(0, bytes - OVERHEAD)).toString('hex')}\n`,
		);
		execFileSync('openssl', ['req', '-new', '-x509', '-key', key, '-out', cert, '-days', '3650', '-config', config, '-extensions', 'ext'], {
			stdio: 'ignore',
		});
		const out = join(work, 'certificate.pfx');
		execFileSync(
			'openssl',
			['pkcs12', '-export', '-inkey', key, '-in', cert, '-certpbe', 'NONE', '-passout', `pass:${BENCH_PFX_PASSWORD}`, '-out', out],
			{ stdio: 'ignore' },
		);
		renameSync(out, file);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
	return file;
}

export function sizeOf(file: string): number {
	return statSync(file).size;
}
