/**
 * The node as an AI agent's tool. n8n makes the tool variant of a `usableAsTool` node by
 * appending "Tool" to its type name (`n8n-nodes-commvault.commvaultTool`) and itself decides "is a
 * tool" by that suffix (n8n-workflow's node-helpers, the `@tool` display option). n8n 1.123 and
 * 2.41 run a tool node two ways, and both fail on a thrown error unless the tool's On Error is
 * Continue: the AI Agent (v3) asks the engine to run it as a node (n8n-core requests-response.ts;
 * its input item is the model's arguments) and gives the model its output items as JSON
 * (nodes-langchain utils/agent-execution/buildSteps.ts); other callers invoke it as a sub-node
 * (n8n-core get-input-connection-data.ts, makeHandleToolInvocation), which returns the items' json
 * and rethrows an error. So a tool's item error is given back as its output: the model reads what
 * was wrong and can correct it.
 *
 * The answer has no top-level `error` key: n8n's engine reads one as a failed node and, with
 * Retry On Fail, would run the tool again, sending a create whose answer was lost a second time.
 */
import type { IDataObject, INode, INodeParameters, INodeProperties } from 'n8n-workflow';

import type { RedactableError } from '../helpers/redaction';
import { InvalidInput } from '../helpers/validation';
import type { PartialSuccess } from './types';

export function runsAsTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/** What the model reads when an item fails: what happened, and whether another call can fix it. */
export function toolAnswer(
	node: INode,
	fields: INodeProperties[],
	error: RedactableError,
	caught: unknown,
	itemIndex: number,
): IDataObject {
	const itemSuffix = ` (item ${itemIndex})`;
	let message = error.message.endsWith(itemSuffix) ? error.message.slice(0, -itemSuffix.length) : error.message;
	let advice: string;
	const argument = caught instanceof InvalidInput ? toolArgumentOf(node.parameters, fields, caught.field) : undefined;
	if (argument !== undefined) {
		message = message.replace(`${(caught as InvalidInput).field}:`, `The argument "${argument}" (${(caught as InvalidInput).field}):`);
		advice = 'Correct this argument and call the tool again.';
	} else if (caught instanceof InvalidInput) {
		advice = "This value is part of the tool's setup in n8n, not an argument: calling again will not help. Tell the user what the message says.";
	} else {
		advice = "This is Commvault's answer (or the network's). Tell the user what it says; call the tool again only if the message shows that nothing was done.";
	}
	const answer: IDataObject = { failed: true, message };
	if (error.description) answer.details = error.description;
	// What Commvault did before the failure (an app created, its content step failed) is part of the answer.
	const created = (caught as PartialSuccess).createdApp;
	if (created) answer.createdApp = created;
	answer.advice = advice;
	return answer;
}

/** The `$fromAI` key a field is filled from, found by the field's label in the operation's fields. */
function toolArgumentOf(parameters: INodeParameters, fields: INodeProperties[], label: string): string | undefined {
	const path = pathOf(fields, label);
	if (!path) return undefined;
	let value: unknown = parameters;
	for (const key of path) value = typeof value === 'object' && value !== null ? (value as IDataObject)[key] : undefined;
	const match = typeof value === 'string' ? /\$fromAI\(\s*(['"`])([^'"`]+)\1/.exec(value) : null;
	return match?.[2];
}

function pathOf(fields: INodeProperties[], label: string): string[] | undefined {
	for (const field of fields) {
		if (field.displayName === label) return [field.name];
		if (field.type === 'collection' && Array.isArray(field.options)) {
			const inner = pathOf(field.options as INodeProperties[], label);
			if (inner) return [field.name, ...inner];
		}
	}
	return undefined;
}
