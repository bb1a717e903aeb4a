/**
 * ItemParameters in n8n's engine: every parameter resolved by n8n once per item when it holds an
 * expression, once per run when it does not, with the values n8n itself gives. Each item's
 * expression cost is most of what a big batch costs (issue 9), so a second resolution per item,
 * or one per item for a constant, shows here as a count.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes, sleep } from 'n8n-workflow';

import { ItemParameters } from '../../nodes/Commvault/actions/parameters';
import { runNode } from '../../testing/engine/run';

interface Seen {
	/** How often n8n's getNodeParameter ran, by parameter name. */
	resolved: Record<string, number>;
	frozen: boolean[];
}

/** getNodeParameter of the context, counted per parameter name. */
function counting(context: IExecuteFunctions, resolved: Record<string, number>): IExecuteFunctions {
	const wrapped = Object.create(context) as IExecuteFunctions;
	wrapped.getNodeParameter = ((name: string, ...rest: unknown[]) => {
		resolved[name] = (resolved[name] ?? 0) + 1;
		return (context.getNodeParameter as (...args: unknown[]) => unknown)(name, ...rest);
	}) as IExecuteFunctions['getNodeParameter'];
	return wrapped;
}

const PROPERTIES: INodeType['description']['properties'] = [
	{ displayName: 'Per Item', name: 'perItem', type: 'string', default: '' },
	{ displayName: 'Constant', name: 'constant', type: 'string', default: '' },
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'collection',
		default: {},
		options: [
			{ displayName: 'Fixed', name: 'fixed', type: 'string', default: '' },
			{ displayName: 'Varying', name: 'varying', type: 'string', default: '' },
		],
	},
	{ displayName: 'Settings', name: 'settings', type: 'collection', default: {}, options: [{ displayName: 'Level', name: 'level', type: 'number', default: 0 }] },
];

function testNode(displayName: string, execute: INodeType['execute']): INodeType {
	const main = [NodeConnectionTypes.Main];
	const name = displayName.replace(/\s+/g, '').replace(/^./, (c) => c.toLowerCase());
	return {
		description: { displayName, name, group: ['transform'], version: 1, description: displayName, defaults: { name: displayName }, inputs: main, outputs: main, properties: PROPERTIES },
		execute,
	};
}

/** A node that reads its parameters through ItemParameters twice per item, as the router and an operation do. */
function readingNode(seen: Seen): INodeType {
	return testNode('Reads Parameters', async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const parameters = new ItemParameters(counting(this, seen.resolved));
		return [
			this.getInputData().map((_, i) => {
				const read = (): IDataObject => ({
					perItem: parameters.string('perItem', i),
					constant: parameters.string('constant', i),
					fields: parameters.collection('fields', i),
					settings: parameters.collection('settings', i),
				});
				const first = read();
				const again = read();
				expect(again).toEqual(first);
				seen.frozen.push(Object.isFrozen(first.settings));
				parameters.forget(i);
				return { json: first, pairedItem: { item: i } };
			}),
		];
	});
}

/**
 * Item 0 reads, then says it started with items up to 2 ahead, then waits as a request would; the
 * counts say what was resolved before items 1 and 2 asked. Then the run stops before item 4.
 */
function readingAheadNode(log: string[]): INodeType {
	return testNode('Reads Ahead', async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resolved: Record<string, number> = {};
		const parameters = new ItemParameters(counting(this, resolved));
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		const readItem = (i: number): void => {
			let perItem: string;
			try {
				perItem = parameters.string('perItem', i);
			} catch (error) {
				perItem = `failed: ${(error as Error).message}`;
			}
			out.push({ json: { perItem, constant: parameters.string('constant', i) }, pairedItem: { item: i } });
		};
		readItem(0);
		parameters.readAhead(0, 2);
		for (let turn = 0; turn < 10; turn++) await sleep(1);
		log.push(`after reading ahead to 2: ${JSON.stringify(resolved)}`);
		for (const i of [1, 2]) readItem(i);
		log.push(`items 1 and 2 read: ${JSON.stringify(resolved)}`);
		parameters.readAhead(2, 4);
		parameters.stop();
		for (let turn = 0; turn < 10; turn++) await sleep(1);
		log.push(`stopped: ${JSON.stringify(resolved)}`);
		for (let i = 3; i < items.length; i++) readItem(i);
		return [out];
	});
}

describe('ItemParameters in the engine', () => {
	it('resolves an expression once per item and a constant once per run, with the values n8n gives', async () => {
		const seen: Seen = { resolved: {}, frozen: [] };
		const result = await runNode({
			nodeType: readingNode(seen),
			parameters: {
				perItem: '={{ $json.name }}',
				constant: 'Server-Gold',
				fields: { fixed: 'same', varying: '={{ $json.name.toUpperCase() }}' },
				settings: { level: 3 },
			},
			items: [{ json: { name: 'alpha' } }, { json: { name: 'beta' } }, { json: { name: 'gamma' } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual(
			['alpha', 'beta', 'gamma'].map((name) => ({
				perItem: name,
				constant: 'Server-Gold',
				fields: { fixed: 'same', varying: name.toUpperCase() },
				settings: { level: 3 },
			})),
		);
		expect(seen.resolved).toEqual({ perItem: 3, constant: 1, fields: 3, settings: 1 });
		// Shared between items, so no item can change what the next one reads.
		expect(seen.frozen).toEqual([true, true, true]);
	});

	it('reads the next items ahead, one per turn of the event loop, until the run stops; a failing expression is not kept', async () => {
		const log: string[] = [];
		const result = await runNode({
			nodeType: readingAheadNode(log),
			parameters: { perItem: '={{ $json.name ? $json.name.toUpperCase() : $("No Such Node").item.json.name }}', constant: 'x', fields: {}, settings: {} },
			items: [{ json: { name: 'a' } }, { json: { name: 'b' } }, { json: {} }, { json: { name: 'd' } }, { json: { name: 'e' } }],
		});

		expect(result.error).toBeUndefined();
		expect(log).toEqual([
			// item 0 read by itself; items 1 and 2 ahead (item 2's expression fails there, and is not kept)
			'after reading ahead to 2: {"perItem":3,"constant":1}',
			// item 1 came from what was read ahead; item 2 asked n8n again
			'items 1 and 2 read: {"perItem":4,"constant":1}',
			'stopped: {"perItem":4,"constant":1}',
		]);
		expect(result.items.map((item) => item.json.perItem)).toEqual(['A', 'B', expect.stringMatching(/^failed: /), 'D', 'E']);
	});

	it('typed reads: a text field an expression filled with a number is its text, a list is refused naming the field, n8n\'s own error passes through', async () => {
		const result = await runNode({
			nodeType: testNode('Reads Typed', async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
				const parameters = new ItemParameters(this);
				return [
					this.getInputData().map((_, i) => {
						let perItem: string;
						try {
							perItem = parameters.string('perItem', i);
						} catch (error) {
							perItem = `${(error as Error).name}: ${(error as Error).message}`;
						}
						return { json: { perItem, type: typeof perItem, level: parameters.collection('settings', i).level ?? null }, pairedItem: { item: i } };
					}),
				];
			}),
			parameters: { perItem: '={{ $json.value }}', constant: '', fields: {}, settings: { level: 2 } },
			items: [{ json: { value: 'text' } }, { json: { value: 42 } }, { json: { value: ['a'] } }, { json: {} }],
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			{ perItem: 'text', type: 'string', level: 2 },
			{ perItem: '42', type: 'string', level: 2 },
			{ perItem: 'InvalidInput: perItem: must be text, got a list', type: 'string', level: 2 },
			{ perItem: '', type: 'string', level: 2 },
		]);
	});
});
