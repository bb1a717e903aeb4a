/**
 * Company › Create, property-tested inside n8n's engine: generated names and aliases (any script,
 * pasted marks around), the tenant admin given or not, plan IDs in every form people and
 * expressions give them (`12, 31`, `12 31`, `[12,31]`, a list, repeats), and one field made wrong
 * in some items (the admin's email or name alone, a plan ID that is not one, an empty name or
 * alias). A valid item's body passes CreateCompany and carries exactly the cleaned values; a wrong
 * one fails naming its field and item, and nothing is sent for it.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { runCommvault, useSimulator } from '../../testing/engine/support/commvault';
import { DEFAULT_PLANS } from '../../testing/simulator';
import { forCase, propertyOptions } from './support/batch';
import { BATCH, CASES, nameText, pasted, raw, type BatchConfig, type Pasted } from './support/inputs';

const sim = useSimulator();
const PLAN_IDS = DEFAULT_PLANS.map((plan) => plan.id);
const RUNS = Math.ceil(CASES / BATCH);
/** How a failure names the batch (forCase prints it). */
const BATCH_NAME = { resource: 'company', operation: 'create' } as unknown as BatchConfig;

type PlanForm = 'commas' | 'spaces' | 'brackets' | 'list';
type Mistake = 'emailAlone' | 'nameAlone' | 'notAnId' | 'noName' | 'noAlias';

interface CompanyCase {
	name: Pasted;
	alias: Pasted;
	admin?: { email: Pasted; contactName: Pasted };
	plans: number[];
	planForm: PlanForm;
	mistake?: { what: Mistake; notAnId: string };
}

const FIELD_OF: Record<Mistake, string> = {
	emailAlone: 'Tenant Admin Name',
	nameAlone: 'Tenant Admin Email',
	notAnId: 'Plan IDs',
	noName: 'Company Name',
	noAlias: 'Alias',
};

const email = fc.tuple(fc.stringMatching(/^[a-z0-9._-]{1,12}$/), fc.stringMatching(/^[a-z0-9-]{1,12}\.[a-z]{2,6}$/)).map(([local, domain]) => `${local}@${domain}`);

const companyCase: fc.Arbitrary<CompanyCase> = fc.record(
	{
		name: pasted(nameText),
		alias: pasted(nameText),
		admin: fc.record({ email: pasted(email), contactName: pasted(nameText) }),
		plans: fc.array(fc.constantFrom(...PLAN_IDS), { maxLength: 4 }),
		planForm: fc.constantFrom<PlanForm>('commas', 'spaces', 'brackets', 'list'),
		mistake: fc.record({
			what: fc.constantFrom<Mistake>('emailAlone', 'nameAlone', 'notAnId', 'noName', 'noAlias'),
			notAnId: fc.constantFrom('abc', '0', '-3', '1.5', '12a', '2147483648'),
		}),
	},
	{ requiredKeys: ['name', 'alias', 'plans', 'planForm'] },
);

/** Name and alias made unique in the batch (Commvault refuses a taken one whatever the case). */
const nameOf = (testCase: CompanyCase, k: number): string => `${testCase.name.core} #${k}`;
const aliasOf = (testCase: CompanyCase, k: number): string => `${testCase.alias.core}-${k}`;

function plansValue(testCase: CompanyCase): unknown {
	const ids: Array<number | string> = testCase.mistake?.what === 'notAnId' ? [...testCase.plans, testCase.mistake.notAnId] : testCase.plans;
	if (testCase.planForm === 'list') return ids;
	if (testCase.planForm === 'brackets') return `[${ids.join(',')}]`;
	return ids.join(testCase.planForm === 'commas' ? ', ' : ' ');
}

function itemOf(testCase: CompanyCase, k: number): { json: IDataObject } {
	const { mistake, admin } = testCase;
	return {
		json: {
			name: mistake?.what === 'noName' ? testCase.name.lead : raw(testCase.name, ` #${k}`),
			alias: mistake?.what === 'noAlias' ? testCase.alias.trail : raw(testCase.alias, `-${k}`),
			email: admin && mistake?.what !== 'nameAlone' ? raw(admin.email) : '',
			contactName: admin && mistake?.what !== 'emailAlone' ? raw(admin.contactName) : '',
			plans: plansValue(testCase) as IDataObject['plans'],
		},
	};
}

/** A mistake about the admin is one only when the case has an admin to leave half out. */
function fails(testCase: CompanyCase): boolean {
	const what = testCase.mistake?.what;
	if (what === 'emailAlone' || what === 'nameAlone') return testCase.admin !== undefined;
	return what !== undefined;
}

function expectedBody(testCase: CompanyCase, k: number): IDataObject {
	const body: IDataObject = { name: nameOf(testCase, k), alias: aliasOf(testCase, k) };
	if (testCase.admin && !testCase.mistake?.what.endsWith('Alone')) Object.assign(body, { email: testCase.admin.email.core, contactName: testCase.admin.contactName.core });
	const plans = [...new Set(testCase.plans)];
	if (plans.length > 0) body.plans = plans.map((id) => ({ id }));
	return body;
}

it(`Company › Create: each body valid and exactly the cleaned values; each wrong field named, nothing sent for it (${CASES} cases)`, async () => {
	let checked = 0;
	await fc.assert(
		fc.asyncProperty(fc.array(companyCase, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
			sim.reset();
			const items = cases.map(itemOf);
			const result = await runCommvault(sim, {
				parameters: {
					resource: 'company',
					operation: 'create',
					name: '={{ $json.name }}',
					alias: '={{ $json.alias }}',
					additionalFields: { email: '={{ $json.email }}', contactName: '={{ $json.contactName }}', plans: '={{ $json.plans }}' },
					options: { concurrency: 4 },
				},
				items,
				continueOnFail: true,
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(BATCH);
			expect(sim.requests.filter((request) => !request.valid).map(({ schemaErrors }) => schemaErrors)).toEqual([]);
			const posted = sim.requestsTo('POST', '/V4/company').map((request) => request.body as IDataObject);
			cases.forEach((testCase, k) =>
				forCase(BATCH_NAME, k, { ...items[k].json, mistake: testCase.mistake?.what }, () => {
					const output = result.items[k];
					expect(output.pairedItem).toEqual({ item: k });
					const sent = posted.filter((body) => body.alias === aliasOf(testCase, k));
					if (fails(testCase)) {
						const field = FIELD_OF[testCase.mistake?.what ?? 'noName'];
						expect(output.json.error).toEqual(expect.stringMatching(new RegExp(`^${field}: .* \\(item ${k}\\)$`, 's')));
						expect(sent).toEqual([]);
					} else {
						expect(output.json.error).toBeUndefined();
						expect(sent).toStrictEqual([expectedBody(testCase, k)]);
						expect(output.json).toEqual({ id: sim.company(nameOf(testCase, k))?.id, name: nameOf(testCase, k) });
					}
				}),
			);
			expect(posted).toHaveLength(cases.filter((testCase) => !fails(testCase)).length);
			checked += cases.length;
		}),
		propertyOptions(RUNS),
	);
	expect(checked).toBeGreaterThanOrEqual(CASES);
}, 60_000 + CASES * 40);
