/**
 * Invalid inputs: a valid case with exactly one field made wrong in a way the node must catch
 * before it sends anything that changes Commvault, and the field the error must name.
 */
import { readFileSync } from 'fs';

import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { CERTIFICATE_FIELD } from '../../../nodes/Commvault/helpers/certificate';
import { PLAN_KINDS } from '../../../nodes/Commvault/plans/kinds';
import { WORKLOADS } from '../../../nodes/Commvault/actions/apps/workloads';
import { AZURE_APP_PFX_PASSWORD, NOT_A_PFX_PEM_PATH, NOT_A_PFX_TXT_PATH } from '../../../testing/fixtures';
import type { InputItem } from '../../../testing/engine/run';
import { DEFAULT_PLANS, type PlanType } from '../../../testing/simulator';
import { itemOf, notAContentType, validCase, type ValidCase } from './cases';
import { base64, binaryPropertyName, blank, guid, isPasteMark, nameText, pasted, raw, recased, type BatchConfig, type PlanMode } from './inputs';

export interface Mutation {
	/** The field the error must name (its label in the editor). */
	field: string;
	/** What is wrong, for a failure message. */
	what: string;
	/** Item JSON replaced by the mutation. */
	json: IDataObject;
	/** Replaces the item's binary data (`null`: none at all). */
	binary?: InputItem['binary'] | null;
}

export interface InvalidCase {
	valid: ValidCase;
	mutation: Mutation;
}

function mutation(field: string, what: string, json: fc.Arbitrary<IDataObject>, binary?: InputItem['binary'] | null): fc.Arbitrary<Mutation> {
	return json.map((values) => ({ field, what, json: values, ...(binary === undefined ? {} : { binary }) }));
}

/** The node's own cleaning, as the test understands it: marks dropped at both ends. */
function cleaned(text: string): string {
	const characters = [...text];
	while (characters.length && isPasteMark(characters[0])) characters.shift();
	while (characters.length && isPasteMark(characters[characters.length - 1])) characters.pop();
	return characters.join('');
}

const AZURE_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Not a GUID once cleaned: a domain, a GUID with a slip, in braces, without dashes, any text. */
const notAGuid: fc.Arbitrary<string> = fc
	.oneof(
		fc.constantFrom('contoso.onmicrosoft.com', 'Contoso App', 'https://portal.azure.com'),
		guid.map((id) => `{${id}}`),
		guid.map((id) => id.replace(/-/g, '')),
		guid.map((id) => `${id.slice(0, 35)}g`),
		guid.map((id) => id.slice(1)),
		guid.map((id) => `${id.slice(0, 8)} ${id.slice(9)}`),
		fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
	)
	.filter((text) => cleaned(text) !== '' && !AZURE_GUID.test(cleaned(text)));

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** What users paste under "Already Base64" that is not: the plain secret, base64 cut short, URL-safe base64, stray characters. */
const notBase64: fc.Arbitrary<string> = fc
	.oneof(
		fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map((text) => `${text}§`),
		fc.string({ minLength: 2, maxLength: 20 }).map((text) => base64(`§${text}`).slice(0, -1)),
		fc.string({ minLength: 2, maxLength: 20 }).map((text) => base64(`§${text}`).replace(/\+/g, '-').replace(/\//g, '_') + '-'),
		fc.string({ minLength: 1, maxLength: 20 }).map((text) => `${base64(`§${text}`)} ${base64(text)}`),
	)
	.filter((text) => cleaned(text) !== '' && !BASE64.test(cleaned(text)));

/** Not a positive int32 once cleaned, as an expression or an AI agent might fill an ID field. */
const notAnId: fc.Arbitrary<string | number> = fc
	.oneof(
		fc.constantFrom<string | number>(0, -1, 1.5, 2147483648, '0', '-3', '1.5', '1e3', '0x10', '12 34', '2147483648', 'Server-Gold', 'abc'),
		fc.integer({ min: 2147483648, max: Number.MAX_SAFE_INTEGER }),
		fc.integer({ min: -1_000_000, max: 0 }),
		fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }),
	)
	.filter((value) => {
		const text = typeof value === 'number' ? String(value) : cleaned(value);
		return text !== '' && !(/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 2147483647);
	});

/** A plan name no usable plan of `type` answers to: unknown, another kind's, or disabled. */
function notAPlanName(type: PlanType): fc.Arbitrary<string> {
	const names = new Set(DEFAULT_PLANS.map((plan) => plan.name.toLowerCase()));
	const unusable = DEFAULT_PLANS.filter((plan) => plan.type !== type || plan.status === 'DISABLED').map((plan) => plan.name);
	return fc.oneof(
		nameText.filter((name) => !names.has(cleaned(name).toLowerCase())),
		fc.constantFrom(...unusable).chain((name) => pasted(recased(name)).map((value) => raw(value))),
	);
}

function wrongPlan(mode: PlanMode, type: PlanType): fc.Arbitrary<string | number> {
	return fc.oneof(blank, mode === 'name' ? notAPlanName(type) : notAnId);
}

const notPkcs12: fc.Arbitrary<Buffer> = fc.oneof(
	fc.constant(readFileSync(NOT_A_PFX_PEM_PATH)),
	fc.constant(readFileSync(NOT_A_PFX_TXT_PATH)),
	fc.uint8Array({ minLength: 0, maxLength: 64 }).filter((bytes) => bytes[0] !== 0x30).map((bytes) => Buffer.from(bytes)),
	// A DER SEQUENCE that is no PFX (version 1), or one whose length does not match the file.
	fc.constant(Buffer.from([0x30, 0x06, 0x02, 0x01, 0x01, 0x30, 0x01, 0x00])),
	fc.constant(Buffer.from([0x30, 0x09, 0x02, 0x01, 0x03, 0x30, 0x00])),
);

const NOT_AN_ADMIN_SITE: readonly string[] = [
	'https://contoso.sharepoint.com',
	'contoso-admin.sharepoint.com',
	'http://contoso-admin.sharepoint.com',
	'https://contoso-admin.sharepoint.com/sites/hr',
	'https://contoso-admin.sharepoint.org',
	'https://-admin.sharepoint.com',
	'https://contoso-my.sharepoint.com',
];

const notAnAdminSite: fc.Arbitrary<string> = fc.oneof(
	blank,
	fc.constantFrom(...NOT_AN_ADMIN_SITE).chain((url) => pasted(recased(url)).map((value) => raw(value))),
	nameText,
);

function createMutations(config: BatchConfig, valid: Extract<ValidCase, { kind: 'create' }>): Array<fc.Arbitrary<Mutation>> {
	const workload = WORKLOADS[config.resource];
	const secretAsBase64 = raw({ ...valid.secret, core: base64(valid.secret.core) });
	const mutations = [
		mutation('App Name', 'blank', blank.map((name) => ({ name }))),
		mutation('Application (Client) ID', 'blank or not a GUID', fc.oneof(blank, notAGuid).map((applicationId) => ({ applicationId }))),
		mutation('Azure Directory (Tenant) ID', 'blank or not a GUID', fc.oneof(blank, notAGuid).map((azureDirectoryId) => ({ azureDirectoryId }))),
		mutation('Application Secret', 'blank', blank.map((applicationSecret) => ({ applicationSecret }))),
		mutation('Server Plan', 'no usable server plan', wrongPlan(config.serverPlanMode, 'Server').map((serverPlan) => ({ serverPlan }))),
	];
	if (config.encodingSet) {
		// Under "Already Base64" every other secret is given in base64, so that only the one wrong field fails.
		const password = valid.certificate ? { certificatePassword: base64(AZURE_APP_PFX_PASSWORD) } : {};
		mutations.push(mutation('Application Secret', 'not base64 under "Already Base64"', notBase64.map((applicationSecret) => ({ encoding: 'base64', applicationSecret, ...password }))));
		if (valid.certificate) {
			mutations.push(
				mutation('Certificate Password', 'not base64 under "Already Base64"', notBase64.map((certificatePassword) => ({ encoding: 'base64', applicationSecret: secretAsBase64, certificatePassword }))),
			);
		}
	}
	for (const field of workload.createFields) {
		mutations.push(mutation(field.property.displayName, 'not a SharePoint admin site', notAnAdminSite.map((url) => ({ [field.property.name]: url }))));
	}
	if (config.certificateSet) {
		// The certificate is read before its password is looked at: whatever the password, the file is what fails.
		mutations.push(
			fc.tuple(binaryPropertyName, fc.boolean()).map(([certificateField, others]) => ({
				field: CERTIFICATE_FIELD,
				what: 'names binary data the item does not have',
				json: { certificateField },
				binary: others ? { [`${certificateField}_other`]: { data: Buffer.from('x'), fileName: 'other.bin' } } : null,
			})),
			fc.tuple(binaryPropertyName, notPkcs12, fc.constantFrom('azure-app.pem', 'notes.txt', 'azure-app.pfx')).map(([certificateField, data, fileName]) => ({
				field: CERTIFICATE_FIELD,
				what: 'a file that is not PKCS#12',
				json: { certificateField },
				binary: { [certificateField]: { data, fileName, mimeType: 'application/octet-stream' } },
			})),
			mutation('Certificate Password', 'set without a certificate', pasted(fc.constant(AZURE_APP_PFX_PASSWORD)).map((value) => ({ certificateField: '', certificatePassword: raw(value) })), null),
		);
	}
	if (config.contentPlanMode) {
		const picker = PLAN_KINDS[workload.contentPlan.kind].pickerName;
		mutations.push(mutation(picker, 'no usable plan', wrongPlan(config.contentPlanMode, workload.contentPlan.kind).map((contentPlan) => ({ contentPlan }))));
		if (config.contentTypeSet) {
			mutations.push(mutation('Content Type', 'not a content type', notAContentType(workload.contentTypes.map((type) => type.value)).map((contentType) => ({ contentType }))));
		}
	}
	return mutations;
}

function addContentMutations(config: BatchConfig): Array<fc.Arbitrary<Mutation>> {
	const workload = WORKLOADS[config.resource];
	const picker = PLAN_KINDS[workload.contentPlan.kind].pickerName;
	const mutations = [
		mutation('App ID', 'blank or not an ID', fc.oneof(blank, notAnId).map((appId) => ({ appId }))),
		mutation(picker, 'no usable plan', wrongPlan(config.contentPlanMode ?? 'id', workload.contentPlan.kind).map((contentPlan) => ({ contentPlan }))),
	];
	if (config.contentTypeSet) {
		mutations.push(mutation('Content Type', 'not a content type', notAContentType(workload.contentTypes.map((type) => type.value)).map((contentType) => ({ contentType }))));
	}
	return mutations;
}

export function invalidCase(config: BatchConfig): fc.Arbitrary<InvalidCase> {
	return validCase(config).chain((valid) => {
		const mutations = valid.kind === 'create' ? createMutations(config, valid) : addContentMutations(config);
		return fc.oneof(...mutations).map((chosen) => ({ valid, mutation: chosen }));
	});
}

/** The valid case's item with the mutation applied. */
export function invalidItem(config: BatchConfig, testCase: InvalidCase, k: number, appId: number): InputItem {
	const item = itemOf(config, testCase.valid, k, appId);
	const json = { ...item.json, ...testCase.mutation.json };
	const { binary } = testCase.mutation;
	if (binary === null) return { json };
	if (binary !== undefined) return { json, binary };
	return item.binary ? { json, binary: item.binary } : { json };
}
