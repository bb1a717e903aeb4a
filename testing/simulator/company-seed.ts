/**
 * A Commvault of an MSP with customers, for the tests of companies and acting for one: three
 * companies with plans of their own, two companies whose names differ only in case, a deleted one,
 * and the MSP's own plans (DEFAULT_PLANS) of which each company was given one.
 */
import { DEFAULT_PLANS } from './plans';
import type { CompanySeed, PlanSeed } from './types';

export const CUSTOMERS = [
	{ id: 501, name: 'Contoso' },
	{ id: 502, name: 'Fabrikam' },
	{ id: 503, name: 'Northwind' },
] as const;

export type Customer = (typeof CUSTOMERS)[number];

/** Two companies Command Center lists as "Tailspin" and "tailspin". */
export const TWINS = [
	{ id: 504, name: 'Tailspin' },
	{ id: 505, name: 'tailspin' },
] as const;

export const DELETED_COMPANY = { id: 506, name: 'Gone Ltd' } as const;

/** The MSP plan every customer was given (Server-Silver). */
export const SHARED_PLAN_ID = 2;

/** Each customer's own plans: `<name> Gold` (Server), `<name> Mail` (Office365), `<name> D365` (Dynamics365). */
export function customerPlans(customer: Customer): { server: PlanSeed; office365: PlanSeed; dynamics365: PlanSeed } {
	const company = { id: customer.id, name: customer.name };
	const base = customer.id * 10;
	return {
		server: { id: base + 1, name: `${customer.name} Gold`, type: 'Server', company },
		office365: { id: base + 2, name: `${customer.name} Mail`, type: 'Office365', company },
		dynamics365: { id: base + 3, name: `${customer.name} D365`, type: 'Dynamics365', company },
	};
}

export const MSP_COMPANIES: CompanySeed[] = [
	...CUSTOMERS.map((customer) => ({ ...customer, planIds: [SHARED_PLAN_ID] })),
	...TWINS,
	{ ...DELETED_COMPANY, status: 'DELETED' },
];

export const MSP_PLANS: PlanSeed[] = [...DEFAULT_PLANS, ...CUSTOMERS.flatMap((customer) => Object.values(customerPlans(customer)))];
