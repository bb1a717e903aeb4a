import type { IDataObject, IExecuteFunctions, INodeProperties, NodeApiError } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { hasOperation } from '../../node.type';

import {
	appNameField,
	AZURE_APP_SOURCE,
	azureAppFields,
	azureAppSourceField,
	certificateFields,
	refreshTokenField,
	secretEncodingOption,
	serverPlanField,
} from '../../descriptions/app.description';
import { optionsCollection } from '../../descriptions/options.description';
import { isOptionalText, isPositiveInt32 } from '../../helpers/json';
import { requireText } from '../../helpers/validation';
import { planKindLabel } from '../../plans/kinds';
import { planLocator } from '../../plans/locator';
import type { Success } from '../../transport';
import type { ItemParameters } from '../parameters';
import { subtitleText } from '../subtitle';
import type { CommvaultOperation, RunContext } from '../types';
import { azureAppOf, fromCredential, fromFields } from './azureApp';
import { addContentAfterCreate, CONTENT_TYPE_FIELD, contentPlanField, contentRequestOf } from './content';
import { existingApp, IF_EXISTS_OPTION } from './ifExists';
import type { Workload, WorkloadName } from './workloads';

/** The Additional Fields a workload's create schema has, in n8n's alphabetical order. */
function additionalFields(workload: Workload): INodeProperties[] {
	const { kind, parameter } = workload.contentPlan;
	const fields: INodeProperties[] = [
		planLocator({
			name: parameter,
			kind,
			description: `If set, right after creating the app the node adds its ${workload.contentTypes[0].noun}${workload.pickContentType ? ' (or the Content Type chosen)' : ''} to this ${planKindLabel(kind)}, as Add Content does`,
		}),
	];
	if (workload.pickContentType) fields.push(contentTypeField(workload, `What to add to the ${contentPlanField(workload)}`));
	if (workload.certificate) fields.push(...certificateFields);
	if (workload.refreshToken) fields.push(refreshTokenField);
	return fields.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The workload's content types as an options field, defaulting to the schema's default. */
export function contentTypeField(workload: Workload, description: string): INodeProperties {
	const schemaDefault = workload.contentTypes[0].value;
	return {
		displayName: CONTENT_TYPE_FIELD,
		name: 'contentType',
		type: 'options',
		options: workload.contentTypes.map(({ name, value, description: what }) => ({ name, value, description: what })),
		default: schemaDefault,
		description,
	};
}

function properties(workload: Workload, lookedUpByName: boolean): INodeProperties[] {
	return [
		appNameField(workload.product, workload.appNamePlaceholder),
		serverPlanField,
		...workload.createFields.map((field) => field.property),
		azureAppSourceField,
		...azureAppFields,
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: additionalFields(workload),
		},
		// Only an app kind Commvault can list can be looked up by its name (node.type.ts).
		optionsCollection(secretEncodingOption, ...(lookedUpByName ? [IF_EXISTS_OPTION] : [])),
	];
}

/** Body fields in the order of the workload's schema: name, serverPlan, its own fields, azureApp. */
function createFieldsOf(parameters: ItemParameters, workload: Workload, i: number): IDataObject {
	const body: IDataObject = {};
	for (const field of workload.createFields) {
		body[field.bodyField] = field.read(field.property.displayName, parameters.get(field.property.name, i, ''));
	}
	return body;
}

/** Commvault's answer to a create: the new app as an IdName with a positive whole-number id. */
export const createdApp: Success<IDataObject & { id: number }> = {
	expected: 'the created app (an IdName with a positive whole-number id)',
	is: (body): body is IDataObject & { id: number } => isPositiveInt32(body.id) && isOptionalText(body.name),
};

export function createOperation(workload: Workload, resource: WorkloadName): CommvaultOperation {
	const lookedUpByName = hasOperation(resource, 'getMany');
	return {
		option: {
			name: 'Create',
			value: 'create',
			description: `Create a ${workload.product} app in Commvault from an Azure app registration`,
			action: `Create ${workload.product} app`,
		},
		subtitle: subtitleText(workload.protects),
		description: updateDisplayOptions({ show: { resource: [resource], operation: ['create'] } }, properties(workload, lookedUpByName)),
		async execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject> {
			const { parameters } = run;
			const additional = parameters.collection('additionalFields', i);
			const options = parameters.collection('options', i);
			const encoding = typeof options.secretEncoding === 'string' ? options.secretEncoding : 'plain';
			const returnExisting = lookedUpByName && options.ifExists === 'returnExisting';

			const name = requireText('App Name', parameters.get('name', i, ''));
			const ownFields = createFieldsOf(parameters, workload, i);
			const source =
				parameters.string(AZURE_APP_SOURCE, i) === 'credential'
					? await fromCredential(this, i, additional)
					: fromFields(this, parameters, i, additional, encoding);
			const azureApp = await azureAppOf(source, workload);

			// Both plans are resolved before anything is sent, so a wrong plan name creates nothing.
			const serverPlan = await run.plans.resolve(
				serverPlanField.displayName,
				'Server',
				parameters.get('serverPlan', i, undefined, { extractValue: false }),
				i,
			);
			const content = await contentRequestOf(workload, run, additional, i);

			let app: IDataObject & { id: number };
			let existed = false;
			try {
				app = await run.connection.request({
					method: 'POST',
					path: workload.createPath,
					body: { name, serverPlan, ...ownFields, azureApp },
					itemIndex: i,
					success: createdApp,
					mayHaveDone: `created the ${workload.product} app "${name}"`,
					secrets: [
						azureApp.applicationSecret,
						azureApp.certificatePassword,
						azureApp.certificate,
						azureApp.refreshToken,
						...source.secrets,
					].filter((value): value is string => typeof value === 'string'),
				});
				run.created.push({ kind: 'app', itemIndex: i, id: app.id, name });
			} catch (error) {
				// Only Commvault's 409 (the name exists) is looked up: a lost answer is never sent again.
				const existing = returnExisting ? await existingApp(run, workload, name, error, i) : undefined;
				if (!existing) throw error as NodeApiError;
				app = existing;
				existed = true;
			}
			const output = returnExisting ? { ...app, alreadyExisted: existed } : app;
			if (!content) return output;

			return { ...output, content: await addContentAfterCreate(this, run, workload, app, name, content, i, existed) };
		},
	};
}
