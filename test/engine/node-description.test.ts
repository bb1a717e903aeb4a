/**
 * What AI agents read from the node's description: what the plan pickers tell an agent that
 * fills them with $fromAI (the default mode is "From List", whose value is the numeric plan ID).
 */
import type { INodeProperties } from 'n8n-workflow';

import { Commvault } from '../../nodes/Commvault/Commvault.node';

const description = new Commvault().description;

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
