/**
 * Generated node inputs for the property tests: what a user (or an expression, or an AI agent)
 * may put into every field of every workload and operation, as the raw value the node gets and
 * the value Commvault must receive. Every field of a batch is an expression over the item's JSON,
 * so one engine run carries many independent cases, one per item.
 */
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { WORKLOAD_NAMES, WORKLOADS, type Workload, type WorkloadName } from '../../../nodes/Commvault/actions/apps/workloads';
import { AZURE_APP_PFX_PASSWORD } from '../../../testing/fixtures';
import { DEFAULT_PLANS, type PlanType, type SimWorkload } from '../../../testing/simulator';

/** How many generated cases each property checks: `npm test` 1,000, `npm run fuzz` 10,000. */
export const CASES = Math.max(1, Number(process.env.FUZZ_RUNS ?? 1000) || 1000);
/** Cases per engine run (one item each); a property run is one batch for every workload and operation. */
export const BATCH = 10;

export type Operation = 'create' | 'addContent';

export const COMBOS: ReadonlyArray<{ resource: WorkloadName; operation: Operation }> = WORKLOAD_NAMES.flatMap((resource) =>
	(['create', 'addContent'] as const).map((operation) => ({ resource, operation })),
);

/** fast-check runs so that every property sees at least CASES cases. */
export const NUM_RUNS = Math.ceil(CASES / (COMBOS.length * BATCH));

/** What a batch fixes for all its items: the fields that are set at all, and the plan pickers' modes. */
export interface BatchConfig {
	resource: WorkloadName;
	operation: Operation;
	serverPlanMode: PlanMode;
	/** Create: Additional Fields > plan (undefined: not added). Add Content: the required picker's mode. */
	contentPlanMode?: PlanMode;
	contentTypeSet: boolean;
	refreshTokenSet: boolean;
	certificateSet: boolean;
	thumbprintSet: boolean;
	encodingSet: boolean;
}

export type PlanMode = 'list' | 'id' | 'name';

/** A value as pasted: what the node must drop around it, and what it must keep. */
export interface Pasted {
	lead: string;
	core: string;
	trail: string;
}

export function raw(value: Pasted, suffix = ''): string {
	return `${value.lead}${value.core}${suffix}${value.trail}`;
}

// What pasting puts around a value (line breaks, tabs, no-break and ideographic spaces, the
// byte-order mark, zero-width characters, direction marks and embeddings) and is never part of it.
const PASTE_MARKS = [' ', '  ', '\t', '\n', '\r\n', '\u00A0', '\u3000', '\u2028', '\uFEFF', '\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202C', '\u202E', '\u2060', '\u2063', '\u180E', '\u206F'];
const MARK_CODE_POINTS: ReadonlyArray<[number, number]> = [
	[0x00a0, 0x00a0],
	[0x180e, 0x180e],
	[0x200b, 0x200f],
	[0x202a, 0x202e],
	[0x2060, 0x2064],
	[0x206a, 0x206f],
	[0xfeff, 0xfeff],
];

/** True for a character the node drops at either end of a value: white space or an invisible mark. */
export function isPasteMark(character: string): boolean {
	const code = character.codePointAt(0) ?? 0;
	return /^\s$/u.test(character) || MARK_CODE_POINTS.some(([from, to]) => code >= from && code <= to);
}

function endsAreKept(text: string): boolean {
	const characters = [...text];
	return characters.length > 0 && !isPasteMark(characters[0]) && !isPasteMark(characters[characters.length - 1]);
}

export const noise: fc.Arbitrary<string> = fc.array(fc.constantFrom(...PASTE_MARKS), { maxLength: 3 }).map((marks) => marks.join(''));

/** Only marks, or nothing: what an empty or "blank" field holds. */
export const blank: fc.Arbitrary<string> = noise;

export function pasted(core: fc.Arbitrary<string>): fc.Arbitrary<Pasted> {
	return fc.record({ lead: noise, core, trail: noise });
}

/** Marks a secret so that no generated name can ever contain one (a secret is redacted wherever it shows). */
export const SECRET_MARK = '§';

/** Any Unicode text (astral planes, controls, marks inside) whose ends are not paste marks. */
export const secretText: fc.Arbitrary<string> = fc
	.tuple(fc.string({ unit: 'binary', maxLength: 16 }), fc.string({ unit: 'binary', maxLength: 16 }))
	.map(([before, after]) => `${before}${SECRET_MARK}${after}`)
	.filter(endsAreKept);

/** App names: printable text of any script, spaces and marks inside allowed. */
export const nameText: fc.Arbitrary<string> = fc
	.string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
	.filter((text) => endsAreKept(text) && !text.includes(SECRET_MARK));

const HEX = '[0-9a-fA-F]';
export const guid: fc.Arbitrary<string> = fc.stringMatching(new RegExp(`^${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}$`));

export function recased(text: string): fc.Arbitrary<string> {
	const characters = [...text];
	return fc
		.array(fc.boolean(), { minLength: characters.length, maxLength: characters.length })
		.map((upper) => characters.map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
}

export function base64(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}

/** The simulator's enabled plans of a type, as the node's by-name lookup returns them. */
export function plansOf(type: PlanType): Array<{ id: number; name: string }> {
	return DEFAULT_PLANS.filter((plan) => plan.type === type && (plan.status ?? 'ENABLED') === 'ENABLED').map(({ id, name }) => ({ id, name }));
}

/** A plan locator's raw value and the IdName the body must carry. */
export interface PlanChoice {
	value: string | number;
	sent: IDataObject;
}

/** A valid pick of one of `plans` in `mode`: by name in any case with marks around, by ID as a number or pasted text. */
export function planChoice(plans: Array<{ id: number; name: string }>, mode: PlanMode): fc.Arbitrary<PlanChoice> {
	return fc.constantFrom(...plans).chain((plan) =>
		mode === 'name'
			? pasted(recased(plan.name)).map((name) => ({ value: raw(name), sent: { id: plan.id, name: plan.name } }))
			: fc.oneof(fc.constant<string | number>(plan.id), pasted(fc.constant(String(plan.id))).map((id) => raw(id))).map((value) => ({ value, sent: { id: plan.id } })),
	);
}

export const adminSiteUrl: fc.Arbitrary<string> = fc
	.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/), fc.constantFrom('com', 'us', 'de', 'cn'), fc.constantFrom('', '/'))
	.chain(([tenant, cloud, slash]) => recased(`https://${tenant}-admin.sharepoint.${cloud}`).map((url) => `${url}${slash}`));

export const binaryPropertyName: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('certificate', 'data', 'pfx'), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/));

export function simWorkloadOf(workload: Workload): SimWorkload {
	return workload.product.replace(/ /g, '') as SimWorkload;
}

export function configFor(resource: WorkloadName, operation: Operation): fc.Arbitrary<BatchConfig> {
	const workload = WORKLOADS[resource];
	const mode = fc.constantFrom<PlanMode>('list', 'id', 'name');
	return fc.record({
		resource: fc.constant(resource),
		operation: fc.constant(operation),
		serverPlanMode: mode,
		contentPlanMode: operation === 'addContent' ? mode : fc.option(mode, { nil: undefined }),
		contentTypeSet: workload.pickContentType ? fc.boolean() : fc.constant(false),
		refreshTokenSet: workload.refreshToken ? fc.boolean() : fc.constant(false),
		certificateSet: workload.certificate ? fc.boolean() : fc.constant(false),
		thumbprintSet: workload.certificate ? fc.boolean() : fc.constant(false),
		encodingSet: fc.boolean(),
	});
}

/** The node's parameters for a batch: each field set at all is an expression over the item's JSON. */
export function parametersFor(config: BatchConfig): INodeParameters {
	const workload = WORKLOADS[config.resource];
	const { parameter } = workload.contentPlan;
	const locator = (mode: PlanMode, field: string): INodeParameters => ({ __rl: true, mode, value: `={{ $json.${field} }}` });
	const contentType = workload.pickContentType && config.contentTypeSet ? { contentType: '={{ $json.contentType }}' } : {};
	if (config.operation === 'addContent') {
		return {
			resource: config.resource,
			operation: 'addContent',
			appId: '={{ $json.appId }}',
			[parameter]: locator(config.contentPlanMode ?? 'id', 'contentPlan'),
			...contentType,
		};
	}
	const additionalFields: INodeParameters = {};
	if (config.contentPlanMode) Object.assign(additionalFields, { [parameter]: locator(config.contentPlanMode, 'contentPlan') }, contentType);
	if (config.refreshTokenSet) additionalFields.refreshToken = '={{ $json.refreshToken }}';
	if (config.certificateSet) {
		additionalFields.certificateBinaryProperty = '={{ $json.certificateField }}';
		additionalFields.certificatePassword = '={{ $json.certificatePassword }}';
	}
	if (config.thumbprintSet) additionalFields.certificateThumbprint = '={{ $json.thumbprint }}';
	const ownFields = Object.fromEntries(workload.createFields.map((field) => [field.property.name, `={{ $json.${field.property.name} }}`]));
	return {
		resource: config.resource,
		operation: 'create',
		name: '={{ $json.name }}',
		serverPlan: locator(config.serverPlanMode, 'serverPlan'),
		...ownFields,
		applicationId: '={{ $json.applicationId }}',
		applicationSecret: '={{ $json.applicationSecret }}',
		azureDirectoryId: '={{ $json.azureDirectoryId }}',
		additionalFields,
		options: config.encodingSet ? { secretEncoding: '={{ $json.encoding }}' } : {},
	};
}

/** The certificate password the fixture .pfx opens with, as the user gives it in `encoding`. */
export function certificatePasswordAs(encoding: string): string {
	return encoding === 'base64' ? base64(AZURE_APP_PFX_PASSWORD) : AZURE_APP_PFX_PASSWORD;
}
