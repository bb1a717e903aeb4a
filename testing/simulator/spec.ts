/**
 * Loads the vendored Commvault OpenAPI subset (see README.md in this folder for where it comes
 * from) and answers "which schema does this operation's body / path parameter use?", so the
 * simulator's routes name an operationId and never restate a schema by hand.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { isPlainObject, parseSchema, Schema, SchemaRegistry } from './schema';

export const OPENAPI_FILE = join(__dirname, 'openapi-subset.json');

/** Commvault's job calls (its older REST API, not in the OpenAPI document), vendored the same way. */
export const JOBS_API_FILE = join(__dirname, 'jobs-api.json');

const DOCUMENTS = [OPENAPI_FILE, JOBS_API_FILE];

export interface OperationInfo {
	operationId: string;
	method: string;
	/** The path as the document spells it, e.g. `/V4/Dynamics365/{appId}/Content`. */
	path: string;
	/** Component schema name of the JSON request body, if the operation takes one. */
	bodySchema?: string;
	pathParams: Record<string, Schema>;
	/** The query parameters the document declares; any other is refused. */
	queryParams: Record<string, QueryParam>;
	/** Component schema name of the 200 JSON answer, if the document declares one. */
	responseSchema?: string;
}

export interface QueryParam {
	schema: Schema;
	required: boolean;
}

/**
 * `POST /Login` is not in Commvault's OpenAPI document; this schema is ours, written from the
 * contract (`{username, password}` with a base64 password). Kept strict like the others so a
 * misspelt `userName` is caught.
 */
const SIMULATOR_SCHEMAS: Record<string, Schema> = {
	SimLoginReq: {
		type: 'object',
		required: ['username', 'password'],
		properties: { username: { type: 'string' }, password: { type: 'string' } },
	},
};

export interface LoadedSpec {
	registry: SchemaRegistry;
	operations: Map<string, OperationInfo>;
}

let cached: LoadedSpec | undefined;

export function loadSpec(): LoadedSpec {
	cached ??= parseSpec(DOCUMENTS.map((file) => ({ file, doc: JSON.parse(readFileSync(file, 'utf8')) as unknown })));
	return cached;
}

/** The documents' operations and schemas as one: a name in two of them is an error, not an override. */
function parseSpec(documents: Array<{ file: string; doc: unknown }>): LoadedSpec {
	const schemas: Record<string, Schema> = { ...SIMULATOR_SCHEMAS };
	const paths: Array<[string, unknown]> = [];
	for (const { file, doc } of documents) {
		const components = isPlainObject(doc) && isPlainObject(doc.components) ? doc.components.schemas : undefined;
		if (!isPlainObject(components) || !isPlainObject(doc) || !isPlainObject(doc.paths)) {
			throw new Error(`${file}: not an OpenAPI document with paths and components.schemas`);
		}
		for (const [name, raw] of Object.entries(components)) {
			if (name in schemas) throw new Error(`${file}: schema ${name} is declared twice`);
			schemas[name] = parseSchema(raw, `components.schemas.${name}`);
		}
		paths.push(...Object.entries(doc.paths));
	}
	const registry = new SchemaRegistry(schemas);

	const operations = new Map<string, OperationInfo>();
	for (const [path, item] of paths) {
		if (!isPlainObject(item)) continue;
		for (const [method, op] of Object.entries(item)) {
			if (!isPlainObject(op) || typeof op.operationId !== 'string') continue;
			if (operations.has(op.operationId)) throw new Error(`operation ${op.operationId} is declared twice`);
			operations.set(op.operationId, {
				operationId: op.operationId,
				method: method.toUpperCase(),
				path,
				bodySchema: jsonBodySchemaName(op.requestBody, op.operationId),
				// OpenAPI lets a path declare parameters for all its operations (the Office365 paths do).
				pathParams: { ...pathParams(item.parameters, op.operationId), ...pathParams(op.parameters, op.operationId) },
				queryParams: { ...queryParams(item.parameters, op.operationId), ...queryParams(op.parameters, op.operationId) },
				responseSchema: okResponseSchemaName(op.responses, op.operationId),
			});
		}
	}
	return { registry, operations };
}

function jsonBodySchemaName(requestBody: unknown, operationId: string): string | undefined {
	if (!isPlainObject(requestBody)) return undefined;
	return jsonSchemaRef(requestBody.content, `${operationId}: request body`);
}

function okResponseSchemaName(responses: unknown, operationId: string): string | undefined {
	const ok = isPlainObject(responses) ? responses['200'] : undefined;
	if (!isPlainObject(ok)) return undefined;
	return jsonSchemaRef(ok.content, `${operationId}: the 200 answer`);
}

/** The component schema an `application/json` content names; undefined when there is no JSON content. */
function jsonSchemaRef(content: unknown, what: string): string | undefined {
	if (!isPlainObject(content)) return undefined;
	const json = content['application/json'];
	const ref = isPlainObject(json) && isPlainObject(json.schema) ? json.schema.$ref : undefined;
	if (typeof ref !== 'string') throw new Error(`${what} must be a $ref to a component schema`);
	return ref.replace('#/components/schemas/', '');
}

function parametersIn(where: 'path' | 'query', parameters: unknown): Array<Record<string, unknown> & { name: string }> {
	if (!Array.isArray(parameters)) return [];
	return parameters.filter((p): p is Record<string, unknown> & { name: string } => isPlainObject(p) && p.in === where && typeof p.name === 'string');
}

function pathParams(parameters: unknown, operationId: string): Record<string, Schema> {
	const result: Record<string, Schema> = {};
	for (const param of parametersIn('path', parameters)) result[param.name] = parseSchema(param.schema, `${operationId}.parameters.${param.name}`);
	return result;
}

function queryParams(parameters: unknown, operationId: string): Record<string, QueryParam> {
	const result: Record<string, QueryParam> = {};
	for (const param of parametersIn('query', parameters)) {
		result[param.name] = { schema: parseSchema(param.schema, `${operationId}.parameters.${param.name}`), required: param.required === true };
	}
	return result;
}

export function operation(operationId: string): OperationInfo {
	const op = loadSpec().operations.get(operationId);
	if (!op) throw new Error(`Operation '${operationId}' is not in ${DOCUMENTS.join(' or ')}`);
	return op;
}
