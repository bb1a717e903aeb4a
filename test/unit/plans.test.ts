/** The pure plan code: reading the listing, name resolution and locator values. */
import {
	findPlanByName,
	hasPlanValue,
	parsePlanSummary,
	planRequest,
	plansOfKind,
	type PlanSummary,
} from '../../nodes/Commvault/plans/kinds';

const plan = (id: number, name: string, planType = 'Server', status = 'ENABLED', company?: string): PlanSummary => ({
	id,
	name,
	planType,
	status,
	company,
});

describe('parsePlanSummary', () => {
	it('keeps id, name, type, status and company name of each PlanSummary', () => {
		expect(
			parsePlanSummary({
				plans: [{ plan: { id: 5, name: 'Gold' }, planType: 'Server', status: 'ENABLED', company: { id: 2, name: 'Acme' } }],
				plansCount: 1,
			}),
		).toEqual([{ id: 5, name: 'Gold', planType: 'Server', status: 'ENABLED', company: 'Acme' }]);
	});

	it('skips entries without a numeric id or a name, and tolerates a missing or odd plans array', () => {
		expect(
			parsePlanSummary({
				plans: [null, 'x', { plan: { id: '5', name: 'A' } }, { plan: { id: 6 } }, { planType: 'Server' }, { plan: { id: 7, name: 'B' } }],
			}),
		).toEqual([{ id: 7, name: 'B', planType: undefined, status: undefined, company: undefined }]);
		expect(parsePlanSummary({})).toEqual([]);
		expect(parsePlanSummary({ plans: { id: 1 } })).toEqual([]);
	});
});

describe('plansOfKind', () => {
	it('keeps enabled (or not fully enabled) plans of the type, not disabled or hidden ones', () => {
		const plans = [
			plan(1, 'A'),
			plan(2, 'B', 'Server', 'DISABLED'),
			plan(3, 'C', 'Server', 'HIDDEN'),
			plan(4, 'D', 'Server', 'BACKUP_DISABLED'),
			plan(5, 'E', 'Dynamics365'),
		];
		expect(plansOfKind(plans, 'Server').map((p) => p.id)).toEqual([1, 4]);
		expect(plansOfKind(plans, 'Dynamics365').map((p) => p.id)).toEqual([5]);
	});
});

describe('findPlanByName', () => {
	const plans = [
		plan(1, 'Gold'),
		plan(2, 'Gold Plus'),
		plan(11, 'D365 Gold', 'Dynamics365'),
		plan(31, 'Old', 'Server', 'DISABLED'),
		plan(41, 'Shared', 'Server', 'ENABLED', 'Tenant A'),
		plan(42, 'SHARED', 'Server', 'ENABLED', 'Tenant B'),
	];

	it('matches the exact name, ignoring case and surrounding spaces, and returns {id, name}', () => {
		expect(findPlanByName(plans, 'Server', 'Server Plan', '  gOLD ')).toEqual({ id: 1, name: 'Gold' });
		expect(findPlanByName(plans, 'Dynamics365', 'Dynamics 365 Plan', 'd365 gold')).toEqual({ id: 11, name: 'D365 Gold' });
	});

	it('never matches part of a name', () => {
		expect(() => findPlanByName(plans, 'Server', 'Server Plan', 'Gol')).toThrow('Server Plan: no server plan is named "Gol"');
		expect(() => findPlanByName(plans, 'Dynamics365', 'Dynamics 365 Plan', 'Gold')).toThrow(
			'Dynamics 365 Plan: "Gold" (ID 1) is a Server plan, not a Dynamics 365 plan',
		);
	});

	it('says a plan of that name is disabled', () => {
		expect(() => findPlanByName(plans, 'Server', 'Server Plan', 'old')).toThrow(
			'Server Plan: the server plan "Old" (ID 31) is disabled',
		);
	});

	it('refuses several matches, listing their IDs and companies', () => {
		expect(() => findPlanByName(plans, 'Server', 'Server Plan', 'shared')).toThrow(
			'Server Plan: 2 server plans are named "shared" (IDs 41 (company Tenant A), 42 (company Tenant B)); select the plan by ID instead',
		);
	});
});

describe('planRequest and hasPlanValue', () => {
	it('reads list and id modes as an id, with or without the __rl marker', () => {
		expect(planRequest('Server Plan', { __rl: true, mode: 'list', value: '12' })).toEqual({ id: 12 });
		expect(planRequest('Server Plan', { mode: 'id', value: ' 7 ' })).toEqual({ id: 7 });
		expect(planRequest('Server Plan', 9)).toEqual({ id: 9 });
	});

	it('reads name mode as a name, also when an expression produced a number', () => {
		expect(planRequest('Server Plan', { __rl: true, mode: 'name', value: 'Gold' })).toEqual({ name: 'Gold' });
		expect(planRequest('Server Plan', { __rl: true, mode: 'name', value: 2024 })).toEqual({ name: '2024' });
	});

	it('refuses empty values and bad ids, naming the field', () => {
		expect(() => planRequest('Server Plan', { mode: 'name', value: '  ' })).toThrow('Server Plan: is required: enter the plan name');
		expect(() => planRequest('Server Plan', { mode: 'list', value: '' })).toThrow('Server Plan: is required: pick a plan');
		expect(() => planRequest('Server Plan', { mode: 'id', value: '0' })).toThrow('Server Plan: must be between 1 and');
		expect(() => planRequest('Server Plan', { mode: 'id', value: 'Gold' })).toThrow('Server Plan: must be a positive whole number');
	});

	it('hasPlanValue tells an empty locator from a filled one', () => {
		expect(hasPlanValue({ mode: 'list', value: '' })).toBe(false);
		expect(hasPlanValue({ mode: 'name', value: '   ' })).toBe(false);
		expect(hasPlanValue(undefined)).toBe(false);
		expect(hasPlanValue({ mode: 'id', value: 3 })).toBe(true);
		expect(hasPlanValue({ mode: 'name', value: 'Gold' })).toBe(true);
	});
});
