import type { INodeTypeDescription } from 'n8n-workflow';

import { builtNodeDescription, offersOperation, offersOption } from '../../testing/e2e/node-offers';

/** The two shapes a node can take: one Operation list per resource (today's), or one list for several. */
const described = (properties: INodeTypeDescription['properties']): INodeTypeDescription =>
	({ displayName: 'X', name: 'x', group: [], version: 1, description: '', defaults: {}, inputs: [], outputs: [], properties }) as INodeTypeDescription;

const ifExists = {
	displayName: 'If Exists',
	name: 'ifExists',
	type: 'options' as const,
	default: 'fail',
	options: [
		{ name: 'Fail', value: 'fail' },
		{ name: 'Return Existing', value: 'returnExisting' },
	],
};

const synthetic = described([
	{ displayName: 'Resource', name: 'resource', type: 'options', default: 'dynamics365App', options: [{ name: 'D', value: 'dynamics365App' }, { name: 'E', value: 'exchangeApp' }] },
	{ displayName: 'Operation', name: 'operation', type: 'options', default: 'create', displayOptions: { show: { resource: ['dynamics365App'] } }, options: [{ name: 'Create', value: 'create' }] },
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		default: 'create',
		displayOptions: { show: { resource: ['exchangeApp', 'teamsApp'] } },
		options: [
			{ name: 'Create', value: 'create' },
			{ name: 'Get Many', value: 'getMany' },
		],
	},
	{ displayName: 'Options', name: 'options', type: 'collection', default: {}, displayOptions: { show: { resource: ['dynamics365App'], operation: ['create'] } }, options: [{ ...ifExists, options: [{ name: 'Fail', value: 'fail' }] }] },
	{ displayName: 'Options', name: 'options', type: 'collection', default: {}, displayOptions: { show: { operation: ['create'] }, hide: { resource: ['dynamics365App'] } }, options: [ifExists] },
]);

describe('what a node description offers, as the editor shows it', () => {
	it('finds an operation only in the Operation list shown for the resource', () => {
		expect(offersOperation(synthetic, 'exchangeApp', 'getMany')).toEqual({ offered: true, says: 'the built node offers exchangeApp › getMany' });
		expect(offersOperation(synthetic, 'teamsApp', 'getMany').offered).toBe(true);
		expect(offersOperation(synthetic, 'dynamics365App', 'getMany')).toEqual({
			offered: false,
			says: 'the built node (dist/) does not offer dynamics365App › getMany (node-contract.md) yet',
		});
		expect(offersOperation(synthetic, 'exchangeApp', 'backup').offered).toBe(false);
	});

	it('finds an option, and one of its values, only in the collection shown for the resource and operation (show and hide)', () => {
		expect(offersOption(synthetic, { resource: 'exchangeApp', operation: 'create' }, 'options', 'ifExists', 'returnExisting').offered).toBe(true);
		expect(offersOption(synthetic, { resource: 'exchangeApp', operation: 'getMany' }, 'options', 'ifExists').offered).toBe(false);
		expect(offersOption(synthetic, { resource: 'dynamics365App', operation: 'create' }, 'options', 'ifExists').offered).toBe(true);
		expect(offersOption(synthetic, { resource: 'dynamics365App', operation: 'create' }, 'options', 'ifExists', 'returnExisting').offered).toBe(false);
		expect(offersOption(synthetic, { resource: 'exchangeApp', operation: 'create' }, 'options', 'concurrency').offered).toBe(false);
	});

	it('reads the built node in dist/: Create and its concurrency option are there for every workload, an unknown operation is not', () => {
		const built = builtNodeDescription();
		for (const resource of ['dynamics365App', 'exchangeApp', 'oneDriveApp', 'sharePointApp', 'teamsApp']) {
			expect(offersOperation(built, resource, 'create').offered).toBe(true);
			expect(offersOption(built, { resource, operation: 'create' }, 'options', 'concurrency').offered).toBe(true);
		}
		expect(offersOperation(built, 'exchangeApp', 'noSuchOperation').offered).toBe(false);
		expect(offersOption(built, { resource: 'exchangeApp', operation: 'create' }, 'options', 'noSuchOption').offered).toBe(false);
	});
});
