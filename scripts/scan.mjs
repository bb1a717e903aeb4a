// n8n's verification checks, run the way n8n's scanner runs them: its analyzePackage on the
// source tree and on the unpacked npm tarball, plus what a published package must (not) contain.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = process.cwd();
// What n8n loads and shows: the compiled .js, the codex .json and the icons. Source maps and .d.ts
// are for developers, and n8n loads neither.
const allowed = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^dist\/.+\.(js|json|svg)$/];
// A guard against shipping what n8n does not load (a stray data file, a bundled dependency), not
// a budget for the node's own code: the node grows with each resource, and at 40 KB every change
// was moving README text that npm readers need into docs/. What ships is printed on every run.
const MAX_PACKED_BYTES = 100 * 1000;
let failed = false;

function report(label, result) {
	if (result.passed) {
		console.log(`scan: ${label}: passed${result.message ? ` (${result.message})` : ''}`);
		return;
	}
	failed = true;
	console.error(`scan: ${label}: FAILED: ${result.message}\n${result.details ?? result.error ?? ''}`);
}

function filesBelow(dir) {
	return readdirSync(dir, { recursive: true })
		.map((f) => join(dir, f))
		.filter((f) => statSync(f).isFile())
		.map((f) => relative(dir, f).split('\\').join('/'));
}

report('source tree', await analyzePackage(root, SOURCE_FILE_PATTERNS));

const work = mkdtempSync(join(tmpdir(), 'commvault-scan-'));
try {
	const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { encoding: 'utf8' }));
	const tarball = join(work, packed[0].filename);
	const unpacked = join(work, 'unpacked');
	execFileSync('mkdir', ['-p', unpacked]);
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
	const packageDir = join(unpacked, 'package');

	const files = filesBelow(packageDir);
	const strays = files.filter((f) => !allowed.some((pattern) => pattern.test(f)));
	if (strays.length) {
		failed = true;
		console.error(`scan: tarball holds files beyond dist/**/*.{js,json,svg}, README, CHANGELOG, LICENSE, package.json: ${strays.join(', ')}`);
	}
	for (const needed of ['package.json', 'README.md', 'LICENSE', 'dist/nodes/Commvault/Commvault.node.js', 'dist/credentials/CommvaultApi.credentials.js']) {
		if (!files.includes(needed)) {
			failed = true;
			console.error(`scan: tarball is missing ${needed}`);
		}
	}
	if (packed[0].size > MAX_PACKED_BYTES) {
		failed = true;
		console.error(`scan: tarball is ${packed[0].size} bytes packed, more than ${MAX_PACKED_BYTES}`);
	}
	console.log(
		`scan: tarball ${packed[0].filename}: ${files.length} files, ${(packed[0].size / 1024).toFixed(1)} KiB packed, ${(packed[0].unpackedSize / 1024).toFixed(1)} KiB unpacked`,
	);
	report('unpacked tarball', await analyzePackage(packageDir, ['**/*.js', 'package.json']));
} finally {
	rmSync(work, { recursive: true, force: true });
}

if (failed) process.exit(1);
