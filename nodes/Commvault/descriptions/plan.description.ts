import type { INodeProperties } from 'n8n-workflow';

import type { PlanKind } from '../helpers/plans';

interface PlanLocatorOptions {
	name: string;
	displayName: string;
	kind: PlanKind;
	description: string;
	required?: boolean;
}

/**
 * What each mode takes. AI agents fill the picker with $fromAI in its default mode (From List),
 * so they must learn from the description that the value is the numeric ID, not the name.
 */
const MODE_VALUES = 'From List / By ID: the numeric plan ID; By Name: the exact plan name as shown in Command Center';

/**
 * Server plans and Dynamics 365 plans are picked the same way: from a list, by ID, or by the
 * name an admin sees in Command Center. Only the plan type and the list method differ.
 */
export function planLocator(options: PlanLocatorOptions): INodeProperties {
	const searchListMethod = options.kind === 'Server' ? 'searchServerPlans' : 'searchDynamics365Plans';
	const label = options.kind === 'Server' ? 'server' : 'Dynamics 365';
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required,
		description: `${options.description}. ${MODE_VALUES}.`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${label} plan...`,
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 12',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\s*0*[1-9][0-9]*\\s*$', errorMessage: 'A plan ID is a positive whole number' },
					},
				],
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: options.kind === 'Server' ? 'e.g. Server Plan Gold' : 'e.g. Dynamics 365 Standard',
				hint: `The ${label} plan's exact name as Command Center shows it; case does not matter`,
			},
		],
	};
}
