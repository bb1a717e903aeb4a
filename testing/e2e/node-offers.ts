/**
 * What the built node (dist/) offers, read from its description as n8n's editor reads it: the
 * benchmark and the queue tier run a case only when the node under test has the operation or
 * option the case is about, and say so when it does not.
 */
import { join } from 'path';
import type { INodeProperties, INodeTypeDescription, NodeParameterValue } from 'n8n-workflow';

const BUILT_NODE = join(__dirname, '..', '..', 'dist', 'nodes', 'Commvault', 'Commvault.node.js');

export interface Offer {
	offered: boolean;
	/** A sentence for the report, either way. */
	says: string;
}

interface NodeInstance {
	description?: INodeTypeDescription;
	nodeVersions?: Record<number, { description: INodeTypeDescription }>;
	currentVersion?: number;
}

/** The description of the node in dist/ (run `npm run build` first), of its current version if it is versioned. */
export function builtNodeDescription(path = BUILT_NODE): INodeTypeDescription {
	const { Commvault } = require(path) as { Commvault: new () => NodeInstance };
	const node = new Commvault();
	const description = node.nodeVersions && node.currentVersion !== undefined ? node.nodeVersions[node.currentVersion]?.description : node.description;
	if (!description) throw new Error(`${path}: no node description`);
	return description;
}

/** Whether n8n shows a property for these parameter values (`displayOptions` on plain values; other conditions are taken as met). */
function shownFor(property: INodeProperties, values: Record<string, NodeParameterValue>): boolean {
	const { show = {}, hide = {} } = property.displayOptions ?? {};
	const given = (name: string): boolean => Object.prototype.hasOwnProperty.call(values, name);
	for (const [name, allowed] of Object.entries(show)) {
		if (given(name) && !(allowed ?? []).includes(values[name])) return false;
	}
	for (const [name, refused] of Object.entries(hide)) {
		if (given(name) && (refused ?? []).includes(values[name])) return false;
	}
	return true;
}

function optionValues(property: INodeProperties): unknown[] {
	return (property.options ?? []).map((option) => ('value' in option ? option.value : undefined));
}

/** `resource` › `operation`, as the editor's Resource and Operation lists offer it. */
export function offersOperation(description: INodeTypeDescription, resource: string, operation: string): Offer {
	const offered = description.properties.some(
		(p) => p.name === 'operation' && p.type === 'options' && shownFor(p, { resource }) && optionValues(p).includes(operation),
	);
	const what = `${resource} › ${operation}`;
	return { offered, says: offered ? `the built node offers ${what}` : `the built node (dist/) does not offer ${what} (node-contract.md) yet` };
}

/** An option of a collection (`options.ifExists`), and one of its values, for `resource` › `operation`. */
export function offersOption(
	description: INodeTypeDescription,
	at: { resource: string; operation: string },
	collection: string,
	option: string,
	value?: string,
): Offer {
	const offered = description.properties.some(
		(p) =>
			p.name === collection &&
			p.type === 'collection' &&
			shownFor(p, at) &&
			(p.options ?? []).some((o) => 'name' in o && o.name === option && (value === undefined || optionValues(o as INodeProperties).includes(value))),
	);
	const what = `${collection}.${option}${value === undefined ? '' : `: ${value}`} on ${at.resource} › ${at.operation}`;
	return { offered, says: offered ? `the built node offers ${what}` : `the built node (dist/) does not offer ${what} (node-contract.md) yet` };
}
