/**
 * `npm run demo` is what a newcomer reads first. Its input list left out the certificate password
 * it set (a reader could not tell the certificate went out), and its request list did not say
 * which item a request served, so item 0 getting app id 1002 and item 1 getting 1001 read like a
 * mix-up. Checked against what the demo really sent, with field labels from the node's source.
 */
import type { INodeProperties } from 'n8n-workflow';

import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { runDemo, summary, TENANTS, type DemoRun } from '../../scripts/demo';
import { AZURE_APP_PFX_PASSWORD } from '../../testing/fixtures';

const properties = new Commvault().description.properties.flatMap((p) => [
	p,
	...((p.type === 'collection' ? p.options : []) as INodeProperties[]),
]);
const label = (name: string) => properties.find((p) => p.name === name)?.displayName as string;

/** A create body's field → the node field a user fills for it (the certificate is named by its binary field). */
function nodeFieldsOf(body: Record<string, unknown>): string[] {
	return Object.entries(body).flatMap(([key, value]) =>
		key === 'azureApp' ? Object.keys(value as object).map((k) => (k === 'certificate' ? 'certificateBinaryProperty' : k)) : [key],
	);
}

/** The lines the demo printed for one item, and those it printed for all items. */
function printedFor(lines: string[], item: number): string {
	const start = lines.indexOf(lines.find((l) => l.startsWith(`  item ${item}:`)) as string);
	const end = lines.findIndex((l, i) => i > start && /^ {2}(item \d+:|node fields)/.test(l));
	const common = lines.slice(lines.findIndex((l) => l.startsWith('  node fields')), lines.indexOf(''));
	return [...lines.slice(start, end), ...common].join('\n');
}

let demo: DemoRun;
beforeAll(async () => {
	demo = await runDemo();
}, 60_000);

it('runs without an error, two creates and two content requests', () => {
	expect(demo.result.error).toBeUndefined();
	expect(demo.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'POST', 'POST', 'PUT', 'PUT']);
});

it('the input list names, for each item, every field its create request carried (the certificate and its password too)', () => {
	const creates = demo.requests.filter((r) => r.method === 'POST');
	for (const request of creates) {
		const body = request.body as Record<string, unknown>;
		const item = TENANTS.findIndex((t) => String(body.name).startsWith(t.tenant));
		const printed = printedFor(demo.lines, item);
		for (const field of nodeFieldsOf(body)) expect(`${field}: ${printed}`).toContain(label(field));
	}
	const withCertificate = creates.find((r) => 'certificate' in ((r.body as { azureApp: object }).azureApp ?? {}));
	expect(printedFor(demo.lines, 0)).toMatch(/Certificate Password +••••••••/);
	expect(withCertificate).toBeDefined();
});

it('each request line names the item it came from (the one its output pairs with), and the ids are explained', () => {
	const first = demo.lines.findIndex((l) => l.startsWith('Requests Commvault')) + 1;
	demo.requests.forEach((request, n) => {
		const printed = demo.lines[first + n];
		expect(printed).toContain(`${request.method} ${request.path} -> ${request.status}`);
		if (request.method === 'GET') return expect(printed).toContain('for all items');
		const output =
			request.method === 'POST'
				? demo.result.items.find((i) => i.json.name === (request.body as { name: string }).name)
				: demo.result.items.find((i) => request.path.includes(`/${String(i.json.id)}/`));
		expect(printed).toContain(`item ${(output?.pairedItem as { item: number }).item} (`);
	});
	expect(demo.lines.join('\n')).toMatch(/Commvault numbers new apps in the order their creates arrive \(here: item \d, then item \d\)/);
});

it('never prints a secret, even a demo one', () => {
	const output = demo.lines.join('\n');
	for (const secret of [...TENANTS.map((t) => t.secret), AZURE_APP_PFX_PASSWORD]) expect(output).not.toContain(secret);
});

it("the summary lists the apps in the items' order, whatever order Commvault numbered them in", () => {
	const content = [{ plan: { name: 'D365-Standard' }, type: 'ALL_ENVIRONMENTS' }];
	const apps = [
		{ id: 1001, name: 'Fabrikam Dynamics 365', content },
		{ id: 1002, name: 'Contoso Dynamics 365', content },
	];
	expect(summary(apps, TENANTS)).toBe(
		'2 apps created (item 0: Contoso Dynamics 365, id 1002; item 1: Fabrikam Dynamics 365, id 1001); all environments added to plan D365-Standard',
	);
});
