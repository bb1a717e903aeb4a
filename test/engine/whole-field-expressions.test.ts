/**
 * The top-level fields that are one expression each are resolved for an item by one n8n
 * expression (ItemParameters, issue 9): one data proxy per item instead of one per field. What
 * the node reads must be exactly what n8n's getNodeParameter gives, value or error, whatever the
 * expressions and the items hold; fast-check generates both and n8n's engine is the reference.
 */
import fc from 'fast-check';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ItemParameters } from '../../nodes/Commvault/actions/parameters';
import { runNode } from '../../testing/engine/run';

const FIELDS = ['first', 'second', 'third', 'fourth'];

type Outcome = { value: unknown } | { error: string };

function outcome(read: () => unknown): Outcome {
	try {
		return { value: read() };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

interface Counts {
	getNodeParameter: number;
	evaluateExpression: number;
}

/** The context with its two ways into n8n's expressions counted, as ItemParameters sees it. */
function counted(context: IExecuteFunctions, counts: Counts): IExecuteFunctions {
	const wrapped = Object.create(context) as IExecuteFunctions;
	wrapped.getNodeParameter = ((...args: unknown[]) => {
		counts.getNodeParameter++;
		return (context.getNodeParameter as (...a: unknown[]) => unknown)(...args);
	}) as IExecuteFunctions['getNodeParameter'];
	wrapped.evaluateExpression = (...args: Parameters<IExecuteFunctions['evaluateExpression']>) => {
		counts.evaluateExpression++;
		return context.evaluateExpression(...args);
	};
	return wrapped;
}

/** Reads every field of every item through ItemParameters, then asks n8n for the same. */
function comparingNode(counts: Counts): INodeType {
	const main = [NodeConnectionTypes.Main];
	return {
		description: {
			displayName: 'Compares Reads',
			name: 'comparesReads',
			group: ['transform'],
			version: 1,
			description: 'Compares Reads',
			defaults: { name: 'Compares Reads' },
			inputs: main,
			outputs: main,
			properties: FIELDS.map((name) => ({ displayName: name, name, type: 'string' as const, default: '' })),
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const parameters = new ItemParameters(counted(this, counts));
			const out = this.getInputData().map((_, i): INodeExecutionData => {
				const ours = FIELDS.map((field) => outcome(() => parameters.get(field, i, '')));
				const n8n = FIELDS.map((field) => outcome(() => this.getNodeParameter(field, i, '')));
				parameters.forget(i);
				return { json: { ours, n8n } as unknown as IDataObject, pairedItem: { item: i } };
			});
			parameters.stop();
			return [out];
		},
	};
}

/** The insides of `{{ … }}`: mappings as the editor writes them, and what would trip a batch up. */
const INSIDES = [
	'$json.a',
	' $json.a ',
	'$json["b c"]',
	"$json['b c']",
	'$json.n',
	'$json.n * 2',
	'$json.missing',
	'$json.obj',
	'$json.obj.x',
	'$json.arr',
	'$json.arr.length',
	'$json.flag',
	'$json.a.toUpperCase()',
	'$json.s.base64Encode()',
	'$json.a + $json.n',
	'$json.a ? 1 : 0',
	'typeof $json.a',
	'$itemIndex',
	'null',
	'1, 2',
	"'x' ), ( 'y'",
	'$json.a // a comment',
	'$json.constructor',
	'$json.binding',
	'$json.nothing()',
	'$("No Such Node").item.json.a',
	'$now.toMillis() > 0',
];

const storedField = fc.oneof(
	{ weight: 6, arbitrary: fc.tuple(fc.constantFrom(...INSIDES), fc.constantFrom('', ' ', '  ')).map(([inside, pad]) => `={{${pad}${inside}${pad}}}`) },
	{ weight: 1, arbitrary: fc.constant('Server-Gold') },
	{ weight: 1, arbitrary: fc.constant('=Tenant {{ $json.a }} of {{ $json.n }}') },
	{ weight: 1, arbitrary: fc.constant('={{ { name: $json.a } }}') },
);

const itemJson = fc.record(
	{
		a: fc.string(),
		'b c': fc.oneof(fc.string(), fc.integer()),
		n: fc.oneof(fc.integer(), fc.double({ noNaN: false })),
		s: fc.string(),
		obj: fc.oneof(fc.constant({ x: 1 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.string(), { maxKeys: 2 })),
		arr: fc.array(fc.integer(), { maxLength: 3 }),
		flag: fc.boolean(),
		binding: fc.string(),
	},
	{ requiredKeys: [] },
);

describe('fields that are one expression each, resolved for an item in one go', () => {
	it('reads what n8n gives, value or error, for generated expressions and items', async () => {
		let batched = 0;
		await fc.assert(
			fc.asyncProperty(fc.tuple(storedField, storedField, storedField, storedField), fc.array(itemJson, { minLength: 2, maxLength: 4 }), async (stored, jsons) => {
				const counts: Counts = { getNodeParameter: 0, evaluateExpression: 0 };
				const parameters: INodeParameters = Object.fromEntries(FIELDS.map((field, index) => [field, stored[index]]));
				const result = await runNode({ nodeType: comparingNode(counts), parameters, items: jsons.map((json) => ({ json: json as IDataObject })) });
				expect(result.error).toBeUndefined();
				for (const item of result.items) expect(item.json.ours).toEqual(item.json.n8n);
				batched += counts.evaluateExpression;
			}),
			{ numRuns: 150 },
		);
		// The property says something only if the one-go path ran in it.
		expect(batched).toBeGreaterThan(50);
	});

	it('asks n8n once per item after the first, which asked field by field', async () => {
		const counts: Counts = { getNodeParameter: 0, evaluateExpression: 0 };
		const result = await runNode({
			nodeType: comparingNode(counts),
			parameters: { first: '={{ $json.a }}', second: '={{ $json["b c"] }}', third: '={{ $json.n }}', fourth: '={{ $json.flag }}' },
			items: [{ json: { a: 'x', 'b c': 'y', n: 1, flag: true } }, { json: { a: 'p', 'b c': 'q', n: 2, flag: false } }, { json: { a: 'r', 'b c': 's', n: 3, flag: true } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.ours)).toEqual([
			[{ value: 'x' }, { value: 'y' }, { value: 1 }, { value: true }],
			[{ value: 'p' }, { value: 'q' }, { value: 2 }, { value: false }],
			[{ value: 'r' }, { value: 's' }, { value: 3 }, { value: true }],
		]);
		// 4 reads for item 0, then one expression each for items 1 and 2 (the reference reads are not counted)
		expect(counts).toEqual({ getNodeParameter: 4, evaluateExpression: 2 });
	});

	it('leaves a field whose value is no string, number or boolean, and a failing batch, to n8n field by field', async () => {
		const counts: Counts = { getNodeParameter: 0, evaluateExpression: 0 };
		const result = await runNode({
			nodeType: comparingNode(counts),
			parameters: { first: '={{ $json.a }}', second: '={{ $json.obj }}', third: '={{ $json.a ? $json.a.toUpperCase() : $("No Such Node").item.json.a }}', fourth: 'Gold' },
			// item 1 has no `a`: its third field fails, and so does the one expression for it
			items: [{ json: { a: 'x', obj: { k: 1 } } }, { json: { obj: { k: 2 } } }],
		});
		expect(result.error).toBeUndefined();
		for (const item of result.items) expect(item.json.ours).toEqual(item.json.n8n);
		expect((result.items[1].json.ours as Outcome[]).slice(0, 2)).toEqual([{ value: undefined }, { value: { k: 2 } }]);
		expect((result.items[1].json.ours as Outcome[])[2]).toEqual({ error: expect.any(String) });
		// item 1's three expressions went to n8n one by one after the one expression failed
		expect(counts).toEqual({ getNodeParameter: 4 + 3, evaluateExpression: 1 });
	});
});
