/**
 * One generated case per item: a valid input for a batch's workload and operation, the item
 * that carries it, and what Commvault must receive for it.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { WORKLOADS } from '../../../nodes/Commvault/actions/apps/workloads';
import { AZURE_APP_PFX_PASSWORD } from '../../../testing/fixtures';
import type { InputItem } from '../../../testing/engine/run';
import { PFX_BYTES } from '../../../testing/engine/support/create';
import {
	adminSiteUrl,
	base64,
	binaryPropertyName,
	blank,
	certificatePasswordAs,
	guid,
	nameText,
	pasted,
	planChoice,
	plansOf,
	raw,
	recased,
	secretText,
	type BatchConfig,
	type Pasted,
	type PlanChoice,
} from './inputs';

export interface CreateCase {
	kind: 'create';
	name: Pasted;
	serverPlan: PlanChoice;
	/** SharePoint's Tenant Admin Site URL. */
	siteUrl?: Pasted;
	applicationId: Pasted;
	azureDirectoryId: Pasted;
	secret: Pasted;
	encoding: 'plain' | 'base64';
	/** Present when the batch has the field and this item fills it; blank text otherwise. */
	refreshToken?: Pasted;
	certificate?: { field: Pasted; password: Pasted };
	thumbprint?: Pasted;
	contentPlan?: PlanChoice;
	contentType?: string;
	/** What the empty optional fields hold instead (marks only). */
	emptyOptional: string;
}

export interface AddContentCase {
	kind: 'addContent';
	/** The app's ID as a number, or as pasted text. */
	appIdAsText?: Pasted;
	contentPlan: PlanChoice;
	contentType?: string;
}

export type ValidCase = CreateCase | AddContentCase;

function optional<T>(set: boolean, value: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
	return set ? fc.option(value, { nil: undefined }) : fc.constant(undefined);
}

function contentTypeOf(config: BatchConfig): fc.Arbitrary<string | undefined> {
	const workload = WORKLOADS[config.resource];
	if (!config.contentTypeSet) return fc.constant(undefined);
	return fc.constantFrom(...workload.contentTypes.map((type) => type.value));
}

export function validCase(config: BatchConfig): fc.Arbitrary<ValidCase> {
	const workload = WORKLOADS[config.resource];
	const contentPlans = plansOf(workload.contentPlan.kind);
	if (config.operation === 'addContent') {
		return fc.record({
			kind: fc.constant('addContent' as const),
			appIdAsText: fc.option(pasted(fc.constant('')), { nil: undefined }),
			contentPlan: planChoice(contentPlans, config.contentPlanMode ?? 'id'),
			contentType: contentTypeOf(config),
		});
	}
	const sharePoint = workload.createFields.length > 0;
	return fc.record({
		kind: fc.constant('create' as const),
		name: pasted(nameText),
		serverPlan: planChoice(plansOf('Server'), config.serverPlanMode),
		siteUrl: sharePoint ? pasted(adminSiteUrl) : fc.constant(undefined),
		applicationId: pasted(guid),
		azureDirectoryId: pasted(guid),
		secret: pasted(secretText),
		encoding: config.encodingSet ? fc.constantFrom<'plain' | 'base64'>('plain', 'base64') : fc.constant<'plain'>('plain'),
		refreshToken: optional(config.refreshTokenSet, pasted(secretText)),
		certificate: optional(config.certificateSet, fc.record({ field: pasted(binaryPropertyName), password: pasted(fc.constant(AZURE_APP_PFX_PASSWORD)) })),
		thumbprint: optional(config.thumbprintSet, pasted(fc.stringMatching(/^[0-9A-Fa-f]{40}$/))),
		contentPlan: config.contentPlanMode ? planChoice(contentPlans, config.contentPlanMode) : fc.constant(undefined),
		contentType: config.contentPlanMode ? contentTypeOf(config) : fc.constant(undefined),
		emptyOptional: blank,
	});
}

/** The name Commvault gets for item k: unique in the batch (Commvault refuses a second app of a name). */
export function appName(testCase: CreateCase, k: number): string {
	return `${testCase.name.core} (${k})`;
}

/** The item carrying a case; `appId` is the Add Content case's app in the simulator. */
export function itemOf(config: BatchConfig, testCase: ValidCase, k: number, appId = 0): InputItem {
	if (testCase.kind === 'addContent') {
		const asText = testCase.appIdAsText;
		return {
			json: {
				appId: asText ? raw({ ...asText, core: String(appId) }) : appId,
				contentPlan: testCase.contentPlan.value,
				contentType: testCase.contentType ?? '',
			},
		};
	}
	const workload = WORKLOADS[config.resource];
	const given = (value: Pasted | undefined): string => (value ? raw(value) : testCase.emptyOptional);
	const json: IDataObject = {
		name: raw(testCase.name, ` (${k})`),
		serverPlan: testCase.serverPlan.value,
		applicationId: raw(testCase.applicationId),
		azureDirectoryId: raw(testCase.azureDirectoryId),
		applicationSecret: testCase.encoding === 'base64' ? raw({ ...testCase.secret, core: base64(testCase.secret.core) }) : raw(testCase.secret),
		encoding: testCase.encoding,
		refreshToken: given(testCase.refreshToken),
		certificateField: given(testCase.certificate?.field),
		certificatePassword: testCase.certificate
			? raw({ ...testCase.certificate.password, core: certificatePasswordAs(testCase.encoding) })
			: testCase.emptyOptional,
		thumbprint: given(testCase.thumbprint),
		contentPlan: testCase.contentPlan?.value ?? '',
		contentType: testCase.contentType ?? '',
	};
	for (const field of workload.createFields) json[field.property.name] = testCase.siteUrl ? raw(testCase.siteUrl) : '';
	const binary = testCase.certificate
		? { [testCase.certificate.field.core]: { data: PFX_BYTES, fileName: 'azure-app.pfx', mimeType: 'application/x-pkcs12' } }
		: undefined;
	return binary ? { json, binary } : { json };
}

/** The create body Commvault must receive for a case: the cleaned values, and nothing else. */
export function expectedCreateBody(config: BatchConfig, testCase: CreateCase, k: number): IDataObject {
	const workload = WORKLOADS[config.resource];
	const azureApp: IDataObject = {
		applicationId: testCase.applicationId.core,
		applicationSecret: base64(testCase.secret.core),
		azureDirectoryId: testCase.azureDirectoryId.core,
	};
	if (testCase.refreshToken) azureApp.refreshToken = testCase.refreshToken.core;
	if (testCase.certificate) {
		azureApp.certificate = PFX_BYTES.toString('base64');
		azureApp.certificatePassword = base64(AZURE_APP_PFX_PASSWORD);
	}
	if (testCase.thumbprint) azureApp.certificateThumbprint = testCase.thumbprint.core;
	const body: IDataObject = { name: appName(testCase, k), serverPlan: testCase.serverPlan.sent };
	for (const field of workload.createFields) body[field.bodyField] = testCase.siteUrl?.core;
	body.azureApp = azureApp;
	return body;
}

/** The content body for a case's content step (Add Content, or Create with a plan). */
export function expectedContentBody(config: BatchConfig, testCase: ValidCase): IDataObject | undefined {
	const workload = WORKLOADS[config.resource];
	if (!testCase.contentPlan) return undefined;
	return { type: testCase.contentType ?? workload.contentTypes[0].value, [workload.contentPlan.bodyField]: testCase.contentPlan.sent };
}

/** Text that is not one of a workload's content types, as an expression might give. */
export function notAContentType(values: string[]): fc.Arbitrary<string> {
	return fc
		.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(...values).chain((value) => recased(value)), fc.constantFrom(...values).map((value) => ` ${value}`))
		.filter((text) => !values.includes(text) && text !== '');
}
