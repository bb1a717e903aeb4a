/**
 * Issue 8, invalid inputs: for every workload and operation of the workload table, a valid case
 * with one field made wrong (blank or whitespace-only required fields, IDs that are not GUIDs or
 * not IDs, bad base64 under "Already Base64", files that are not PKCS#12, missing binary data,
 * SharePoint addresses that are not an admin site, plan names no usable plan has, content types
 * the workload lacks). No create or content request goes out, and each item's error names the
 * field and the item, with no secret in it.
 */

import { useSimulator } from '../../testing/engine/support/commvault';
import { changes, forCase, propertyTest, runBatch, seedApps } from './support/batch';
import { invalidCase, invalidItem, type InvalidCase } from './support/mutations';
import type { BatchConfig } from './support/inputs';

const sim = useSimulator();

/** The secrets a case typed, as generated: none may show in an output item or a log line. */
function secretsOf(testCase: InvalidCase): string[] {
	const { valid } = testCase;
	return valid.kind === 'create' ? [valid.secret.core, valid.refreshToken?.core].filter((secret): secret is string => secret !== undefined) : [];
}

async function checkBatch(config: BatchConfig, cases: InvalidCase[]): Promise<void> {
	sim.reset();
	const appIds = seedApps(sim, config, cases.length);
	const items = cases.map((testCase, k) => invalidItem(config, testCase, k, appIds[k]));
	const result = await runBatch(sim, config, items);

	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(cases.length);
	const shown = [JSON.stringify(result.items), ...result.logs].join('\n');
	cases.forEach((testCase, k) =>
		forCase(config, k, { ...items[k].json, binary: Object.keys(items[k].binary ?? {}), mutation: testCase.mutation.what }, () => {
			const output = result.items[k];
			expect(output.pairedItem).toEqual({ item: k });
			expect(output.json.error).toEqual(expect.stringMatching(new RegExp(`^${escape(testCase.mutation.field)}: .* \\(item ${k}\\)$`, 's')));
			for (const secret of secretsOf(testCase)) expect(shown.includes(secret)).toBe(false);
		}),
	);
	// Only a plan listing (and the Authtoken check before it) may have gone out.
	expect(changes(sim).map((request) => `${request.method} ${request.path}`)).toEqual([]);
	expect(sim.requests.filter((request) => !request.valid)).toEqual([]);
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

propertyTest('every workload and operation: nothing created or changed, each error naming the field and the item', invalidCase, checkBatch);
