#!/usr/bin/env node
// The committed n8n lockfiles (testing/e2e/installs/<label>/) and the cached installs made from them.
//
//   node scripts/e2e/lockfile.mjs check <lockdir> <n8n version>
//       exit 0 when <lockdir> holds a package.json and package-lock.json that install exactly
//       that n8n (a versions.json bump without a new lockfile fails here, saying so)
//   node scripts/e2e/lockfile.mjs verify <install dir>
//       exit 0 when node_modules holds every package of the lockfile at its locked version, the
//       way `npm ci` left it; else prints the first differences and exits 1 (the folder is then
//       installed again rather than trusted)
import fs from 'node:fs';
import path from 'node:path';

const [command, dir, version] = process.argv.slice(2);

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (error) {
		return { unreadable: `${file}: ${error.message}` };
	}
}

function check() {
	const manifest = readJson(path.join(dir, 'package.json'));
	const lock = readJson(path.join(dir, 'package-lock.json'));
	const problems = [];
	if (manifest.unreadable) problems.push(manifest.unreadable);
	if (lock.unreadable) problems.push(lock.unreadable);
	if (!problems.length) {
		if (manifest.dependencies?.n8n !== version) problems.push(`package.json asks for n8n ${manifest.dependencies?.n8n}, not ${version}`);
		if (lock.packages?.['node_modules/n8n']?.version !== version) {
			problems.push(`package-lock.json locks n8n ${lock.packages?.['node_modules/n8n']?.version}, not ${version}`);
		}
		if (JSON.stringify(lock.packages?.['']?.dependencies) !== JSON.stringify(manifest.dependencies)) {
			problems.push('package-lock.json was not made from this package.json');
		}
	}
	for (const problem of problems) console.error(`[lockfile] ${dir}: ${problem}`);
	return problems.length === 0;
}

function verify() {
	const lock = readJson(path.join(dir, 'package-lock.json'));
	if (lock.unreadable) {
		console.error(`[lockfile] ${lock.unreadable}`);
		return false;
	}
	const differences = [];
	let checked = 0;
	for (const [where, entry] of Object.entries(lock.packages ?? {})) {
		// npm ci prunes what the lockfile itself marks as reached by nothing
		if (!where.startsWith('node_modules/') || entry.link || entry.extraneous) continue;
		const installed = readJson(path.join(dir, where, 'package.json'));
		// npm ci leaves out optional packages meant for another platform
		if (installed.unreadable && entry.optional) continue;
		checked++;
		if (installed.unreadable) differences.push(`${where}: missing`);
		else if (installed.version !== entry.version) differences.push(`${where}: ${installed.version}, locked ${entry.version}`);
	}
	for (const difference of differences.slice(0, 10)) console.error(`[lockfile] ${dir}: ${difference}`);
	if (differences.length > 10) console.error(`[lockfile] … and ${differences.length - 10} more`);
	if (!differences.length) console.error(`[lockfile] ${dir}: all ${checked} locked packages in place`);
	return differences.length === 0 && checked > 0;
}

const commands = { check, verify };
if (!commands[command] || !dir || (command === 'check' && !version)) {
	console.error('usage: lockfile.mjs check <lockdir> <n8n version> | verify <install dir>');
	process.exit(2);
}
process.exit(commands[command]() ? 0 : 1);
