/**
 * Issue 8, valid inputs: for every workload and operation of the workload table, generated
 * values in every field (any Unicode, pasted marks around, plans by ID or name, optional fields
 * set or not, a certificate or not, both secret encodings, every content type) run through the
 * node in n8n's engine. Every body Commvault receives passes its schema and carries exactly the
 * cleaned values; every item succeeds, paired to its input.
 */
import type { IDataObject } from 'n8n-workflow';

import { WORKLOADS } from '../../nodes/Commvault/actions/apps/workloads';
import { useSimulator } from '../../testing/engine/support/commvault';
import { PFX_BYTES } from '../../testing/engine/support/create';
import { changes, forCase, propertyTest, runBatch, seedApps } from './support/batch';
import { appName, expectedContentBody, expectedCreateBody, itemOf, validCase, type ValidCase } from './support/cases';
import type { BatchConfig } from './support/inputs';

const sim = useSimulator();

async function checkBatch(config: BatchConfig, cases: ValidCase[]): Promise<void> {
	sim.reset();
	const workload = WORKLOADS[config.resource];
	const appIds = seedApps(sim, config, cases.length);
	const items = cases.map((testCase, k) => itemOf(config, testCase, k, appIds[k]));
	const result = await runBatch(sim, config, items);

	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(cases.length);
	expect(sim.requests.filter((request) => !request.valid).map(({ method, path, schemaErrors }) => ({ method, path, schemaErrors }))).toEqual([]);
	const sentTo = (path: string): IDataObject[] => sim.requests.filter((request) => request.path === path).map((request) => request.body as IDataObject);

	let expectedChanges = 0;
	cases.forEach((testCase, k) => forCase(config, k, items[k].json, () => {
		const output = result.items[k];
		expect({ k, pairedItem: output.pairedItem, error: output.json.error }).toEqual({ k, pairedItem: { item: k }, error: undefined });
		const content = expectedContentBody(config, testCase);
		if (testCase.kind === 'create') {
			const name = appName(testCase, k);
			const app = sim.app(name);
			expect(changes(sim).filter((request) => (request.body as IDataObject | undefined)?.name === name).map((request) => request.body)).toStrictEqual([
				expectedCreateBody(config, testCase, k),
			]);
			expect(app?.decoded.applicationSecret).toBe(testCase.secret.core);
			expect(app?.decoded.certificate?.equals(PFX_BYTES) ?? false).toBe(testCase.certificate !== undefined);
			expect(output.json).toMatchObject({ id: app?.id, name });
			expect(sentTo(workload.contentPath(app?.id ?? 0))).toStrictEqual(content ? [content] : []);
			if (content) expect(output.json.content).toMatchObject({ plan: testCase.contentPlan?.sent, contentType: content.type, added: true });
			expectedChanges += content ? 2 : 1;
		} else {
			expect(sentTo(workload.contentPath(appIds[k]))).toStrictEqual([content]);
			expect(output.json).toMatchObject({ appId: appIds[k], plan: testCase.contentPlan.sent, contentType: content?.type, added: true });
			expectedChanges += 1;
		}
	}));
	expect(changes(sim)).toHaveLength(expectedChanges);
}

propertyTest('every workload and operation: each body valid and carrying exactly the cleaned values', validCase, checkBatch);
