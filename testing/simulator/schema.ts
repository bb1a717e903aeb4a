/**
 * A deliberately small, strict validator for the OpenAPI 3.0 schema subset that Commvault's
 * document uses. We write our own instead of using ajv because OpenAPI 3.0 is not JSON Schema
 * (`nullable`, `allOf` merging) and because we want stricter rules than the document states:
 * Commvault silently ignores unknown properties, so a misspelt field (`dynamics365Plan`) would be
 * dropped by the real server and only discovered in production. Here it is an error.
 */

export type SchemaType = 'object' | 'string' | 'integer' | 'number' | 'array' | 'boolean';

export interface Schema {
	$ref?: string;
	type?: SchemaType;
	format?: string;
	required?: string[];
	properties?: Record<string, Schema>;
	allOf?: Schema[];
	enum?: unknown[];
	nullable?: boolean;
	items?: Schema;
	minimum?: number;
}

/** One problem found in a value; `path` is a JSON pointer into the value ('' = the value itself). */
export interface ValidationError {
	path: string;
	message: string;
}

const SCHEMA_TYPES: readonly SchemaType[] = ['object', 'string', 'integer', 'number', 'array', 'boolean'];

/** Keywords that only document a schema; they never change what is valid. */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'default', 'readOnly', 'writeOnly']);

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns raw JSON into a typed Schema. Unsupported keywords throw, so a future spec update that
 * uses e.g. `oneOf` or `additionalProperties: {…}` fails loudly instead of being validated too loosely.
 */
export function parseSchema(raw: unknown, where: string): Schema {
	if (!isPlainObject(raw)) throw new Error(`${where}: a schema must be an object`);
	const schema: Schema = {};
	for (const [key, value] of Object.entries(raw)) {
		const at = `${where}.${key}`;
		switch (key) {
			case '$ref':
				schema.$ref = expectString(value, at);
				break;
			case 'type': {
				const type = expectString(value, at);
				if (!(SCHEMA_TYPES as readonly string[]).includes(type)) throw new Error(`${at}: unsupported type '${type}'`);
				schema.type = type as SchemaType;
				break;
			}
			case 'format':
				// The document carries `format: ''` on string enums; an empty format means no format.
				if (expectString(value, at) !== '') schema.format = expectString(value, at);
				break;
			case 'required':
				if (!Array.isArray(value)) throw new Error(`${at}: must be an array`);
				schema.required = value.map((name, i) => expectString(name, `${at}[${i}]`));
				break;
			case 'properties':
				if (!isPlainObject(value)) throw new Error(`${at}: must be an object`);
				schema.properties = {};
				for (const [name, sub] of Object.entries(value)) schema.properties[name] = parseSchema(sub, `${at}.${name}`);
				break;
			case 'allOf':
				if (!Array.isArray(value)) throw new Error(`${at}: must be an array`);
				schema.allOf = value.map((sub, i) => parseSchema(sub, `${at}[${i}]`));
				break;
			case 'enum':
				if (!Array.isArray(value)) throw new Error(`${at}: must be an array`);
				schema.enum = [...value];
				break;
			case 'nullable':
				if (typeof value !== 'boolean') throw new Error(`${at}: must be a boolean`);
				schema.nullable = value;
				break;
			case 'items':
				schema.items = parseSchema(value, at);
				break;
			case 'minimum':
				if (typeof value !== 'number') throw new Error(`${at}: must be a number`);
				schema.minimum = value;
				break;
			case 'additionalProperties':
				// Every undeclared property is refused already; only `false` says the same (jobs-api.yaml).
				if (value !== false) throw new Error(`${at}: only false is supported`);
				break;
			default:
				if (!ANNOTATIONS.has(key) && !key.startsWith('x-')) throw new Error(`${at}: unsupported schema keyword`);
		}
	}
	return schema;
}

function expectString(value: unknown, where: string): string {
	if (typeof value !== 'string') throw new Error(`${where}: must be a string`);
	return value;
}

/** A schema with its `$ref`s and `allOf` parts folded together, one level deep. */
interface Flattened {
	types: SchemaType[];
	formats: string[];
	minimums: number[];
	enums: unknown[][];
	nullable: boolean;
	/** A property declared in several allOf parts must satisfy every declaration. */
	properties: Map<string, Schema[]>;
	required: Set<string>;
	items: Schema[];
}

const REF_PREFIX = '#/components/schemas/';

export class SchemaRegistry {
	private readonly schemas = new Map<string, Schema>();

	constructor(components: Record<string, Schema>) {
		for (const [name, schema] of Object.entries(components)) this.schemas.set(name, schema);
		// Resolve every $ref up front so a broken document fails at load, not mid-test.
		for (const [name, schema] of this.schemas) this.checkRefs(schema, name);
	}

	has(name: string): boolean {
		return this.schemas.has(name);
	}

	get(name: string): Schema {
		const schema = this.schemas.get(name);
		if (!schema) throw new Error(`Unknown schema '${name}'`);
		return schema;
	}

	/** Validates `value` against a named component schema or an inline schema. */
	validate(schema: string | Schema, value: unknown): ValidationError[] {
		const errors: ValidationError[] = [];
		this.check(typeof schema === 'string' ? { $ref: REF_PREFIX + schema } : schema, value, '', errors);
		return errors;
	}

	private resolveRef(ref: string): Schema {
		if (!ref.startsWith(REF_PREFIX)) throw new Error(`Unsupported $ref '${ref}' (only local component schemas)`);
		return this.get(ref.slice(REF_PREFIX.length));
	}

	private checkRefs(schema: Schema, where: string): void {
		if (schema.$ref !== undefined) this.resolveRef(schema.$ref);
		for (const sub of schema.allOf ?? []) this.checkRefs(sub, where);
		for (const sub of Object.values(schema.properties ?? {})) this.checkRefs(sub, where);
		if (schema.items) this.checkRefs(schema.items, where);
	}

	private flatten(schema: Schema, into?: Flattened, refsSeen: ReadonlySet<string> = new Set()): Flattened {
		const flat: Flattened = into ?? {
			types: [],
			formats: [],
			minimums: [],
			enums: [],
			nullable: false,
			properties: new Map(),
			required: new Set(),
			items: [],
		};
		if (schema.$ref !== undefined) {
			if (refsSeen.has(schema.$ref)) throw new Error(`Circular allOf/$ref through '${schema.$ref}'`);
			this.flatten(this.resolveRef(schema.$ref), flat, new Set([...refsSeen, schema.$ref]));
		}
		for (const part of schema.allOf ?? []) this.flatten(part, flat, refsSeen);
		if (schema.type) flat.types.push(schema.type);
		if (schema.format) flat.formats.push(schema.format);
		if (schema.minimum !== undefined) flat.minimums.push(schema.minimum);
		if (schema.enum) flat.enums.push(schema.enum);
		// OpenAPI 3.0 leaves nullable inside allOf vague; we let any part opt in to null.
		if (schema.nullable) flat.nullable = true;
		for (const [name, sub] of Object.entries(schema.properties ?? {})) {
			const list = flat.properties.get(name) ?? [];
			list.push(sub);
			flat.properties.set(name, list);
		}
		for (const name of schema.required ?? []) flat.required.add(name);
		if (schema.items) flat.items.push(schema.items);
		return flat;
	}

	private check(schema: Schema, value: unknown, path: string, errors: ValidationError[]): void {
		const flat = this.flatten(schema);
		if (value === null) {
			if (!flat.nullable) errors.push({ path, message: 'must not be null' });
			return;
		}
		const types = [...new Set(flat.types)];
		if (types.length === 0 && (flat.properties.size > 0 || flat.required.size > 0)) types.push('object');
		for (const type of types) {
			if (!hasType(value, type)) {
				errors.push({ path, message: `must be ${article(type)} ${type}, got ${describe(value)}` });
				return;
			}
		}
		for (const format of flat.formats) this.checkFormat(format, value, path, errors);
		for (const minimum of flat.minimums) {
			if (typeof value === 'number' && value < minimum) errors.push({ path, message: `must be >= ${minimum}` });
		}
		for (const allowed of flat.enums) {
			if (!allowed.includes(value)) {
				errors.push({ path, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}` });
			}
		}
		if (Array.isArray(value)) {
			value.forEach((item, i) => flat.items.forEach((sub) => this.check(sub, item, `${path}/${i}`, errors)));
		} else if (isPlainObject(value) && types.includes('object')) {
			this.checkObject(flat, value, path, errors);
		}
	}

	private checkObject(flat: Flattened, value: Record<string, unknown>, path: string, errors: ValidationError[]): void {
		for (const name of flat.required) {
			const child = `${path}/${escapePointer(name)}`;
			if (!(name in value) || value[name] === undefined) {
				errors.push({ path: child, message: 'is required' });
			} else if (typeof value[name] === 'string' && (value[name] as string).trim() === '') {
				// Commvault accepts "" for a required field and fails later, far from the cause.
				errors.push({ path: child, message: 'is required and must not be empty' });
			}
		}
		const known = [...flat.properties.keys()];
		for (const [name, child] of Object.entries(value)) {
			const childPath = `${path}/${escapePointer(name)}`;
			const declared = flat.properties.get(name);
			if (!declared) {
				const hint = closest(name, known);
				errors.push({ path: childPath, message: `unknown property${hint ? ` (did you mean '${hint}'?)` : ''}` });
				continue;
			}
			for (const sub of declared) this.check(sub, child, childPath, errors);
		}
	}

	private checkFormat(format: string, value: unknown, path: string, errors: ValidationError[]): void {
		if (typeof value !== 'number') return;
		if (format === 'int32' && (value < INT32_MIN || value > INT32_MAX)) {
			errors.push({ path, message: `must be an int32 (${INT32_MIN}..${INT32_MAX}), got ${value}` });
		} else if (format === 'int64' && !Number.isSafeInteger(value)) {
			errors.push({ path, message: `must be an int64 that JSON can carry exactly, got ${value}` });
		}
	}
}

function hasType(value: unknown, type: SchemaType): boolean {
	switch (type) {
		case 'object':
			return isPlainObject(value);
		case 'array':
			return Array.isArray(value);
		case 'string':
			return typeof value === 'string';
		case 'boolean':
			return typeof value === 'boolean';
		case 'integer':
			return typeof value === 'number' && Number.isInteger(value);
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
	}
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'number' && !Number.isInteger(value)) return `the number ${value}`;
	if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
	if (isPlainObject(value)) return 'an object';
	return `${typeof value} ${String(value)}`;
}

function article(word: string): string {
	return /^[aeiou]/.test(word) ? 'an' : 'a';
}

export function escapePointer(segment: string): string {
	return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Suggests the declared name a typo was probably meant to be (case slip or up to 2 edits). */
function closest(name: string, candidates: string[]): string | undefined {
	const lower = name.toLowerCase();
	const caseSlip = candidates.find((c) => c.toLowerCase() === lower);
	if (caseSlip) return caseSlip;
	let best: { name: string; distance: number } | undefined;
	for (const candidate of candidates) {
		const distance = editDistance(lower, candidate.toLowerCase());
		if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
	}
	return best?.name;
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		previous = current;
	}
	return previous[b.length];
}

/** Renders errors as one line for an HTTP error message: "/a/b: msg; /c: msg". */
export function formatErrors(errors: readonly ValidationError[]): string {
	return errors.map((e) => `${e.path === '' ? '(body)' : e.path}: ${e.message}`).join('; ');
}
