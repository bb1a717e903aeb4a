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

/** What tells one kind of picker from another: the entity, its list method and what each mode shows. */
export interface LocatorFacts {
	displayName: string;
	name: string;
	description: string;
	required?: boolean;
	/** The entity as the messages say it: "plan" or "company". */
	entity: 'plan' | 'company';
	/** How the list and ID modes name it, e.g. "server plan". */
	label: string;
	listMethod: string;
	/** Where Command Center shows it, e.g. "Manage > Plans". */
	where: string;
	idPlaceholder: string;
	namePlaceholder: string;
}

/**
 * Every plan and company is picked the same way: from a list, by ID, or by the name an admin sees
 * in Command Center; the picker says so to people and to whoever fills it without the list.
 */
export function entityLocator(facts: LocatorFacts): INodeProperties {
	return {
		displayName: facts.displayName,
		name: facts.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: facts.required,
		description: `${facts.description}. ${modeValues(facts.entity)}.`,
		modes: [
			{
				displayName: PLAN_MODES.list,
				name: 'list',
				type: 'list',
				placeholder: `Select a ${facts.label}...`,
				typeOptions: { searchListMethod: facts.listMethod, searchable: true },
			},
			{
				displayName: PLAN_MODES.id,
				name: 'id',
				type: 'string',
				placeholder: facts.idPlaceholder,
				hint: `The ${facts.label}'s number, as in its address in Command Center (${facts.where})`,
				validation: [
					{
						type: 'regex',
						properties: { regex: ENTITY_ID_PATTERN, errorMessage: `A ${facts.entity} ID is a positive whole number` },
					},
				],
			},
			{
				displayName: PLAN_MODES.name,
				name: 'name',
				type: 'string',
				placeholder: facts.namePlaceholder,
				hint: `The ${facts.label}'s exact name as Command Center shows it; case does not matter`,
			},
		],
	};
}

/** A plan picker: what differs by kind (list method, labels, placeholder) comes from PLAN_KINDS. */
export function planLocator(options: PlanLocatorOptions): INodeProperties {
	const kind = PLAN_KINDS[options.kind];
	return entityLocator({
		displayName: options.displayName ?? kind.pickerName,
		name: options.name,
		description: options.description,
		required: options.required,
		entity: 'plan',
		label: kind.label,
		listMethod: kind.listMethod,
		where: 'Manage > Plans',
		idPlaceholder: 'e.g. 12',
		namePlaceholder: kind.namePlaceholder,
	});
}
