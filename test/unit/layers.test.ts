/**
 * The node's layers point one way (DEVELOPMENT.md, "Measures of the shape"): every relative import
 * of a file under nodes/Commvault/ goes to its own layer or one below, never back up. The layers,
 * lowest first: helpers; transport; plans, jobs, companies, descriptions and the node.type.ts map; actions,
 * methods and the trigger's events; the node files.
 *
 * The same one-way rule one level up: scripts/ (demo, bench, screenshots, e2e) use the test harness
 * in testing/, never the tests in test/, so moving or deleting a test cannot break a script.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../nodes/Commvault');
const REPO = resolve(__dirname, '../..');

function layerOf(file: string): number {
	const path = relative(ROOT, file).replace(/\\/g, '/');
	const [top] = path.split('/');
	if (top === 'helpers') return 0;
	if (top === 'transport') return 1;
	if (top === 'plans' || top === 'jobs' || top === 'companies' || top === 'descriptions' || path === 'node.type.ts') return 2;
	if (top === 'actions' || top === 'methods' || top === 'trigger') return 3;
	if (path === 'Commvault.node.ts' || path === 'CommvaultTrigger.node.ts') return 4;
	throw new Error(`${path} belongs to no layer: give it one here and in DEVELOPMENT.md`);
}

function sources(dir: string, name = /\.ts$/): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sources(path, name);
		return name.test(entry.name) ? [path] : [];
	});
}

function importsOf(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	return [...text.matchAll(/from '(\.[^']+)'/g)].map((match) => resolve(dirname(file), `${match[1]}`));
}

/** An import names a module without its extension, or a folder whose index.ts it means. */
function fileOf(target: string, files: Set<string>): string {
	for (const candidate of [`${target}.ts`, join(target, 'index.ts')]) if (files.has(candidate)) return candidate;
	if (target.endsWith('.json')) return join(ROOT, 'node.type.ts');
	throw new Error(`cannot resolve ${target}`);
}

describe('layers', () => {
	const files = sources(ROOT);
	const known = new Set(files);

	it('sees every source file (the walk reaches nested folders)', () => {
		expect(files.map((file) => relative(ROOT, file))).toEqual(
			expect.arrayContaining(['Commvault.node.ts', 'actions/apps/create.operation.ts', 'transport/paging.ts', 'helpers/json.ts', 'plans/listing.ts']),
		);
	});

	it('no import runs back up (actions → transport → helpers)', () => {
		const upward = files.flatMap((file) =>
			importsOf(file)
				.map((target) => fileOf(target, known))
				.filter((target) => layerOf(target) > layerOf(file))
				.map((target) => `${relative(ROOT, file)} → ${relative(ROOT, target)}`),
		);
		expect(upward).toEqual([]);
	});

	it("transport knows no operation: no success shape of a call (an app, a plan list, an app list) is named in it", () => {
		// GenericResp is also Commvault's error body, which transport does read: only the shapes of successes are the operations'.
		const named = files
			.filter((file) => layerOf(file) === 1)
			.filter((file) => /IdName|PlanSummary|Office365Clients|'idName'|'genericResp'|'planSummary'/.test(readFileSync(file, 'utf8')))
			.map((file) => relative(ROOT, file));
		expect(named).toEqual([]);
	});
});

describe('typed parameter reads', () => {
	it('no parameter read is cast with `as`: reads go through ItemParameters\' typed reads', () => {
		const cast = /(?:getNodeParameter|parameters\.get)\((?:[^()]|\([^()]*\))*\)\s+as\s/;
		const casting = sources(ROOT)
			.filter((file) => cast.test(readFileSync(file, 'utf8')))
			.map((file) => relative(ROOT, file));
		expect(casting).toEqual([]);
	});
});

describe('scripts/ → testing/, never test/', () => {
	const scripts = sources(join(REPO, 'scripts'), /\.(ts|mjs|js)$/);

	/** Every relative module a file loads: `from '…'`, `import '…'`, `import('…')`, `require('…')`. */
	function modulesOf(file: string): string[] {
		const text = readFileSync(file, 'utf8');
		const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)];
		return specifiers.map((match) => relative(REPO, resolve(dirname(file), match[1])).replace(/\\/g, '/'));
	}

	it('sees the scripts and what they load (the scan reaches the harness imports)', () => {
		const loaded = scripts.flatMap(modulesOf);
		expect(scripts.map((file) => relative(REPO, file).replace(/\\/g, '/'))).toEqual(
			expect.arrayContaining(['scripts/demo.ts', 'scripts/bench/index.ts', 'scripts/screenshots/index.ts', 'scripts/e2e/prove-n8n.ts']),
		);
		expect(loaded).toEqual(expect.arrayContaining(['testing/engine', 'testing/simulator', 'testing/e2e/n8n-cli']));
	});

	it('no file under scripts/ imports from test/', () => {
		const intoTests = scripts.flatMap((file) =>
			modulesOf(file)
				.filter((target) => target === 'test' || target.startsWith('test/'))
				.map((target) => `${relative(REPO, file)} → ${target}`),
		);
		expect(intoTests).toEqual([]);
	});
});
