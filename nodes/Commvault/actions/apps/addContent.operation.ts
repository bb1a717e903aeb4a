import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { appIdField } from '../../descriptions/app.description';
import { optionsCollection } from '../../descriptions/options.description';
import { planLocator } from '../../plans/locator';
import { planKindLabel } from '../../plans/kinds';
import { requireAppId } from '../../helpers/validation';
import { choose, subtitleText } from '../subtitle';
import type { CommvaultOperation, RunContext } from '../types';
import { contentPlanField, contentTypeOf, putContent } from './content';
import { contentTypeField } from './create.operation';
import type { Workload, WorkloadName } from './workloads';

function properties(workload: Workload): INodeProperties[] {
	const { kind, parameter } = workload.contentPlan;
	const fields: INodeProperties[] = [
		appIdField(workload.product),
		planLocator({
			name: parameter,
			kind,
			required: true,
			description: `The ${planKindLabel(kind)} (type ${kind}) that the app's ${workload.pickContentType ? 'content' : workload.contentTypes[0].noun} ${workload.pickContentType ? 'is' : 'are'} added to`,
		}),
	];
	if (workload.pickContentType) fields.push(contentTypeField(workload, `What to add to the ${contentPlanField(workload)}`));
	fields.push(optionsCollection());
	return fields;
}

/** Under the node's name: the content type chosen (or the workload's only one). */
function subtitle(workload: Workload): string {
	const [first, ...types] = workload.contentTypes;
	return choose('contentType', [first, ...types].map((t) => [t.value, subtitleText(t.name)]), subtitleText(first.name));
}

export function addContentOperation(workload: Workload, resource: WorkloadName): CommvaultOperation {
	return {
		option: {
			name: 'Add Content',
			value: 'addContent',
			description: `Add the ${workload.protects} of an app to a plan, so they get backed up`,
			action: `Add content to ${workload.product} app`,
		},
		subtitle: subtitle(workload),
		description: updateDisplayOptions({ show: { resource: [resource], operation: ['addContent'] } }, properties(workload)),
		async execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<IDataObject> {
			const appId = requireAppId(run.parameters.get('appId', i, ''));
			const type = contentTypeOf(workload, workload.pickContentType ? run.parameters.get('contentType', i, '') : undefined);
			const plan = await run.plans.resolve(
				contentPlanField(workload),
				workload.contentPlan.kind,
				run.parameters.get(workload.contentPlan.parameter, i, undefined, { extractValue: false }),
				i,
			);
			return { appId, ...(await putContent(run, workload, appId, { plan, type }, i)) };
		},
	};
}
