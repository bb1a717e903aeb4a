/**
 * The trigger's events: the Event list, each event's fields, and what a poll runs. A new event is
 * a file here giving its TriggerEvent and one line below.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { actForCompanyOption } from '../descriptions/company.description';
import { alertTriggered } from './alertTriggered.event';
import { jobFinished } from './jobFinished.event';
import type { TriggerEvent } from './types';

export const EVENTS: ReadonlyArray<TriggerEvent<IDataObject>> = [jobFinished, alertTriggered];

export function eventFor(value: unknown): TriggerEvent<IDataObject> | undefined {
	return EVENTS.find((event) => event.option.value === value);
}

const eventProperty: INodeProperties = {
	displayName: 'Event',
	name: 'event',
	type: 'options',
	noDataExpression: true,
	options: EVENTS.map((event) => event.option),
	default: 'jobFinished',
};

/** Options of every event: the company the polls act for. */
const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			...actForCompanyOption,
			description:
				"For MSPs: watch one of your companies (customers) as its tenant operator, with this credential: only that company's jobs and alerts. Leave empty to watch as the credential's own user.",
		},
	],
};

/** The trigger's fields: Event, then each event's own, shown for it only, then Options. */
export const triggerProperties: INodeProperties[] = [
	eventProperty,
	...EVENTS.flatMap((event) =>
		event.properties.map((property) => ({
			...property,
			displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, event: [event.option.value] } },
		})),
	),
	optionsProperty,
];
