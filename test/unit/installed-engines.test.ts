/**
 * Every installed package accepts the running Node in its `engines.node`, so that `npm ci` stays
 * free of EBADENGINE warnings on the Node the project supports. A dev dependency bump that pulls in
 * a package wanting a newer Node fails here, with its name, instead of as one more warning line.
 *
 * INSTALLED_TREE points the check at another node_modules folder (to check a tree before a change).
 * The range reading is a small copy of node-semver's grammar instead of `semver` itself, which is
 * here only as somebody else's transitive dependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Version = [number, number, number];
type Bound = { op: '<' | '<=' | '>' | '>='; version: Version };

const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

const COMPARATOR = /^(<=|>=|<|>|=|\^|~>?)?v?(\d+|[xX*])?(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** One comparator as plain bounds, the way node-semver desugars x-ranges, `~` and `^`. */
function bounds(comparator: string): Bound[] | undefined {
	const match = COMPARATOR.exec(comparator);
	if (!match) return undefined;
	const op = match[1] ?? '';
	const parts: number[] = [];
	for (const part of match.slice(2, 5)) {
		if (part === undefined || !/^\d+$/.test(part)) break;
		parts.push(Number(part));
	}
	const [major = 0, minor = 0, patch = 0] = parts;
	const low: Version = [major, minor, patch];
	if (parts.length === 0) return op === '<' || op === '>' ? [{ op: '<', version: [0, 0, 0] }] : [];
	// The first version past what the given parts cover: 1 -> 2.0.0, 1.2 -> 1.3.0, 1.2.3 -> 1.2.4.
	const past = (given: number): Version =>
		given === 1 ? [major + 1, 0, 0] : given === 2 ? [major, minor + 1, 0] : [major, minor, patch + 1];
	const exact = parts.length === 3;
	switch (op) {
		case '>=':
			return [{ op: '>=', version: low }];
		case '>':
			return [exact ? { op: '>', version: low } : { op: '>=', version: past(parts.length) }];
		case '<':
			return [{ op: '<', version: low }];
		case '<=':
			return [exact ? { op: '<=', version: low } : { op: '<', version: past(parts.length) }];
		case '~':
		case '~>':
			return [
				{ op: '>=', version: low },
				{ op: '<', version: past(Math.min(parts.length, 2)) },
			];
		case '^': {
			const significant = major > 0 || parts.length === 1 ? 1 : minor > 0 || parts.length === 2 ? 2 : 3;
			return [
				{ op: '>=', version: low },
				{ op: '<', version: past(significant) },
			];
		}
		default:
			return [
				{ op: '>=', version: low },
				exact ? { op: '<=', version: low } : { op: '<', version: past(parts.length) },
			];
	}
}

/** Whether `version` is in `range` (node-semver syntax); undefined when the range can't be read, which npm counts as not satisfied. */
function satisfies(version: Version, range: string): boolean | undefined {
	let readable = false;
	let anySet = false;
	for (const set of range.split('||')) {
		const text = set.trim().replace(/(<=|>=|<|>|=|\^|~>?)\s+/g, '$1');
		const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
		const comparators = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text.split(/\s+/).filter(Boolean);
		const all: Bound[] = [];
		for (const comparator of comparators) {
			const more = bounds(comparator);
			if (!more) return undefined;
			all.push(...more);
		}
		readable = true;
		const inSet = all.every(({ op, version: v }) => {
			const c = compare(version, v);
			return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
		});
		anySet ||= inSet;
	}
	return readable ? anySet : undefined;
}

type Installed = { name: string; version: string; folder: string; range: string };

/** Each installed package with an `engines.node`, found through node_modules folders only (not a package's own test fixtures). */
function installedWithEngines(nodeModules: string, found: Installed[] = []): Installed[] {
	let entries;
	try {
		entries = readdirSync(nodeModules, { withFileTypes: true });
	} catch {
		return found;
	}
	for (const entry of entries) {
		if (entry.name.startsWith('.') || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
		const folder = join(nodeModules, entry.name);
		if (entry.name.startsWith('@')) {
			installedWithEngines(folder, found);
			continue;
		}
		let manifest: { name?: string; version?: string; engines?: { node?: unknown } };
		try {
			manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as typeof manifest;
		} catch {
			continue;
		}
		// npm reads only an engines object with a string node field (old packages have an array).
		const range = manifest.engines && !Array.isArray(manifest.engines) ? manifest.engines.node : undefined;
		if (typeof range === 'string') {
			found.push({ name: manifest.name ?? entry.name, version: manifest.version ?? '?', folder, range });
		}
		installedWithEngines(join(folder, 'node_modules'), found);
	}
	return found;
}

describe('satisfies (the node-semver range grammar used in engines.node)', () => {
	const v20: Version = [20, 20, 2];
	it.each([
		['>=20.15', true],
		['>= 18.0.0', true],
		['>=22.0.0', false],
		['>20', false],
		['>19', true],
		['>20.20', false],
		['<=20', true],
		['<20.20.2', false],
		['20 || >=22', true],
		['18 || >=22', false],
		['20.x', true],
		['6.* || 8.* || >= 10.*', true],
		['>=0.8.x', true],
		['^20.19.0 || ^22.13.0 || >=24', true],
		['^20.21.0 || >=22', false],
		['^14.15.0 || ^16.10.0 || >=18.0.0', true],
		['~20.20.0', true],
		['~20.19', false],
		['>=16 || 14 >=14.17', true],
		['>=12 <20', false],
		['18 - 20', true],
		['18 - 20.19', false],
		['*', true],
		['', true],
		['20.20.2', true],
		['=20.20.1', false],
	])('%j on 20.20.2: %s', (range, expected) => {
		expect(satisfies(v20, range)).toBe(expected);
	});

	it('follows ^ and ~ below 1.0.0 like node-semver', () => {
		expect(satisfies([0, 2, 9], '^0.2.3')).toBe(true);
		expect(satisfies([0, 3, 0], '^0.2.3')).toBe(false);
		expect(satisfies([0, 0, 4], '^0.0.3')).toBe(false);
		expect(satisfies([0, 9, 0], '^0.x')).toBe(true);
		expect(satisfies([1, 0, 0], '^0')).toBe(false);
		expect(satisfies([1, 2, 9], '~1.2.3')).toBe(true);
		expect(satisfies([1, 3, 0], '~1')).toBe(true);
	});

	it('cannot read what is not a range', () => {
		expect(satisfies(v20, 'node >= 20')).toBeUndefined();
		expect(satisfies(v20, '>=20 || latest')).toBeUndefined();
	});
});

describe('the installed tree', () => {
	const tree = resolve(process.env.INSTALLED_TREE ?? join(__dirname, '..', '..', 'node_modules'));
	const running = process.version.slice(1).split('.').map(Number) as Version;

	it(`every package in it accepts the running Node ${process.version} in engines.node`, () => {
		const installed = installedWithEngines(tree);
		// Guards against a check that passes because it read nothing.
		expect(installed.length).toBeGreaterThan(100);
		const offenders = installed
			.filter(({ range }) => satisfies(running, range) !== true)
			.map(({ name, version, folder, range }) => `${name}@${version} wants node ${JSON.stringify(range)} (${folder})`);
		expect(offenders).toEqual([]);
	});
});
