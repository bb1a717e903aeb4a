import type { IDataObject } from 'n8n-workflow';

import type { CommvaultRequester, Success } from '../transport';
import { parsePlanSummary, type PlanSummary } from './kinds';

/** Commvault's PlanSummaryListResp: its plans (or null) and, if given, how many. */
const planList: Success = {
	expected: 'a plan list (PlanSummaryListResp)',
	is: (body): body is IDataObject =>
		(Array.isArray(body.plans) || body.plans === null) && (body.plansCount === undefined || Number.isInteger(body.plansCount)),
};

/** `GET /V4/Plan/Summary`, the one plan listing: the pickers' lists and the lookups by name both read it. */
export async function fetchPlanSummaries(connection: CommvaultRequester, itemIndex?: number): Promise<PlanSummary[]> {
	return parsePlanSummary(await connection.request({ method: 'GET', path: '/V4/Plan/Summary', success: planList, itemIndex }));
}
