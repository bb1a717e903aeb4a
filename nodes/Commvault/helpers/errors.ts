import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RedactableError } from './redaction';

export interface ErrorWording {
	message: string;
	description?: string;
	itemIndex?: number;
}

/**
 * n8n's NodeApiError and NodeOperationError constructors replace any message that merely
 * contains a Node.js error code, case-insensitively, by a generic sentence: "User lacks
 * RolePermission" (EPERM), "A preexisting client" (EEXIST), an app or plan named
 * "SharePermissions". Every error the node builds goes through this file, which puts back the
 * wording the node chose, so Commvault's own message and the field names always reach the user.
 */
function keepWording<T extends NodeApiError | NodeOperationError>(error: T, wording: ErrorWording): T {
	error.message = wording.message;
	// n8n drops a description that repeats the message; a different one is kept as written.
	if (wording.description !== undefined && wording.description !== wording.message) {
		error.description = wording.description;
	}
	return error;
}

/** What Commvault answered (or the network did), for NodeApiError. */
export function apiError(
	node: INode,
	wording: ErrorWording & { httpCode?: string },
	errorResponse: JsonObject = { message: wording.message },
): NodeApiError {
	const error = new NodeApiError(node, errorResponse, {
		message: wording.message,
		description: wording.description,
		httpCode: wording.httpCode,
		itemIndex: wording.itemIndex,
	});
	return keepWording(error, wording);
}

/** Bad input or a failure of the node itself, for NodeOperationError; `cause` keeps an Error's stack. */
export function operationError(node: INode, wording: ErrorWording, cause?: Error): NodeOperationError {
	const error = new NodeOperationError(node, cause ?? wording.message, {
		description: wording.description,
		itemIndex: wording.itemIndex,
	});
	return keepWording(error, wording);
}

/** n8n's node errors, recognised by what they carry: n8n may have built them from another copy of n8n-workflow. */
export function isNodeError(value: unknown): value is RedactableError & { context: IDataObject } {
	if (typeof value !== 'object' || value === null) return false;
	const error = value as { name?: unknown; message?: unknown; context?: unknown; node?: unknown };
	return (
		typeof error.message === 'string' &&
		typeof error.context === 'object' &&
		error.context !== null &&
		typeof error.node === 'object' &&
		/^Node(Api|Operation)Error$/.test(String(error.name))
	);
}

/**
 * One failure shared by several items (a plan listing they all waited on), as an error of each
 * item's own: n8n and the node write the item index into an error, and redact it per item.
 */
export function errorForItem(error: unknown, itemIndex: number): unknown {
	if (typeof error !== 'object' || error === null) return error;
	const copy = Object.create(Object.getPrototypeOf(error) as object, Object.getOwnPropertyDescriptors(error)) as { context?: unknown };
	if (typeof copy.context === 'object' && copy.context !== null) copy.context = { ...copy.context, itemIndex };
	return copy;
}
