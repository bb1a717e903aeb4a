/**
 * ItemParameters in n8n's engine: every parameter resolved by n8n once per item when it holds an
 * expression, once per run when it does not, with the values n8n itself gives. Each item's
 * expression cost is most of what a big batch costs (issue 9), so a second resolution per item,
 * or one per item for a constant, shows here as a count.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ItemParameters } from '../../nodes/Commvault/actions/parameters';
import { runNode } from './run';

interface Seen {
	/** How often n8n's getNodeParameter ran, by parameter name. */
	resolved: Record<string, number>;
	frozen: boolean[];
}

/** A node that reads its parameters through ItemParameters twice per item, as the router and an operation do. */
function readingNode(seen: Seen): INodeType {
	const main = [NodeConnectionTypes.Main];
	return {
		description: {
			displayName: 'Reads Parameters',
			name: 'readsParameters',
			group: ['transform'],
			version: 1,
			description: 'Reads its parameters through ItemParameters',
			defaults: { name: 'Reads Parameters' },
			inputs: main,
			outputs: main,
			properties: [
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
			],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const context = this;
			const counting = Object.create(context) as IExecuteFunctions;
			counting.getNodeParameter = ((name: string, ...rest: unknown[]) => {
				seen.resolved[name] = (seen.resolved[name] ?? 0) + 1;
				return (context.getNodeParameter as (...args: unknown[]) => unknown)(name, ...rest);
			}) as IExecuteFunctions['getNodeParameter'];
			const parameters = new ItemParameters(counting);
			return [
				this.getInputData().map((_, i) => {
					const read = (): IDataObject => ({
						perItem: parameters.get('perItem', i, '') as string,
						constant: parameters.get('constant', i, '') as string,
						fields: parameters.get('fields', i, {}) as IDataObject,
						settings: parameters.get('settings', i, {}) as IDataObject,
					});
					const first = read();
					const again = read();
					expect(again).toEqual(first);
					seen.frozen.push(Object.isFrozen(first.settings));
					parameters.forget(i);
					return { json: first, pairedItem: { item: i } };
				}),
			];
		},
	};
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
});
