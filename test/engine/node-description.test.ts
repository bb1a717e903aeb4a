/**
 * What the editor and AI agents read from the node's description: the subtitle as n8n's
 * expression engine renders it, and what the plan pickers tell an agent that fills them with
 * $fromAI (the default mode is "From List", whose value is the numeric plan ID).
 */
import type { INode, INodeProperties } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { NodeTypeRegistry } from './node-types';

const TYPE = 'n8n-nodes-commvault.commvault';
const description = new Commvault().description;

/** The subtitle as the editor renders it under the node on the canvas. */
function subtitleFor(operation: string): unknown {
	const registry = new NodeTypeRegistry();
	registry.register(TYPE, new Commvault());
	const parameters = { resource: 'dynamics365App', operation };
	const node: INode = { id: '1', name: 'Commvault', type: TYPE, typeVersion: 1, position: [0, 0], parameters };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: registry });
	return workflow.expression.getSimpleParameterValue(node, description.subtitle as string, 'internal', {}, undefined, '');
}

/** Every plan picker, with the operation it belongs to, collections included. */
function planPickers(): Array<{ operation: string; picker: INodeProperties }> {
	const found: Array<{ operation: string; picker: INodeProperties }> = [];
	const visit = (properties: INodeProperties[], operation: string): void => {
		for (const property of properties) {
			const shownFor = (property.displayOptions?.show?.operation as string[] | undefined)?.[0] ?? operation;
			if (property.type === 'resourceLocator') found.push({ operation: shownFor, picker: property });
			if (property.type === 'collection') visit((property.options ?? []) as INodeProperties[], shownFor);
		}
	};
	visit(description.properties, '');
	return found;
}

describe('subtitle', () => {
	it.each([
		['create', 'Create: Dynamics 365 App'],
		['addContent', 'Add Content: Dynamics 365 App'],
	])('reads well for %s', (operation, expected) => {
		expect(subtitleFor(operation)).toBe(expected);
	});
});

describe('plan pickers, as an AI agent reads them', () => {
	it('are the three the node has', () => {
		expect(planPickers().map(({ operation, picker }) => `${operation} ${picker.name}`)).toEqual([
			'create serverPlan',
			'create dynamics365Plan',
			'addContent dynamics365Plan',
		]);
	});

	it.each(planPickers().map(({ operation, picker }) => [`${operation} ${picker.name}`, picker]))(
		'%s says which value each mode takes, and starts in the mode that takes the numeric ID',
		(_name, picker) => {
			expect(picker.default).toEqual({ mode: 'list', value: '' });
			expect(picker.description).toMatch(
				/From List \/ By ID: the numeric plan ID; By Name: the exact plan name as shown in Command Center\.$/,
			);
		},
	);
});
