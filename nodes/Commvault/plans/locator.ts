import type { INodeProperties } from 'n8n-workflow';

import { PLAN_KINDS, PLAN_MODES, planMode, type PlanKind } from './kinds';
import { INVISIBLE } from '../helpers/text';

/** What pasting adds around an ID (a direction mark, a zero-width space) is removed, so the editor accepts it too. */
export const ENTITY_ID_PATTERN = `^[${INVISIBLE}]*0*[1-9][0-9]*[${INVISIBLE}]*$`;

interface PlanLocatorOptions {
	name: string;
	kind: PlanKind;
	description: string;
	/** Default: the kind's picker name (PLAN_KINDS). */
	displayName?: string;
	required?: boolean;
}

/**
 * Written for the person picking a plan first. The last sentence is for whoever fills the field
 * without seeing the list (an AI agent through $fromAI, an expression): the default mode, From
 * list, takes the numeric ID, not the name people speak of.
 */
export function modeValues(entity: 'plan' | 'company'): string {
	return `Pick it from the list, or switch the mode to ${planMode('id')} or ${planMode('name')}. When the value is filled in by an expression or an AI agent: the ${planMode('list')} and ${planMode('id')} modes take the ${entity}'s numeric ID; ${planMode('name')} takes the ${entity}'s exact name as shown in Command Center`;
}

/**
 * Every plan is picked the same way: from a list, by ID, or by the name an admin sees in Command
 * Center. What differs by kind (list method, labels, placeholder) comes from PLAN_KINDS.
 */
export function planLocator(options: PlanLocatorOptions): INodeProperties {
	const kind = PLAN_KINDS[options.kind];
	return {
		displayName: options.displayName ?? kind.pickerName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required,
		description: `${options.description}. ${modeValues('plan')}.`,
		modes: [
			{
				displayName: PLAN_MODES.list,
				name: 'list',
				type: 'list',
				placeholder: `Select a ${kind.label}...`,
				typeOptions: { searchListMethod: kind.listMethod, searchable: true },
			},
			{
				displayName: PLAN_MODES.id,
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 12',
				hint: `The ${kind.label}'s number, as in its address in Command Center (Manage > Plans)`,
				validation: [
					{
						type: 'regex',
						properties: { regex: ENTITY_ID_PATTERN, errorMessage: 'A plan ID is a positive whole number' },
					},
				],
			},
			{
				displayName: PLAN_MODES.name,
				name: 'name',
				type: 'string',
				placeholder: kind.namePlaceholder,
				hint: `The ${kind.label}'s exact name as Command Center shows it; case does not matter`,
			},
		],
	};
}
