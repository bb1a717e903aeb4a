import { parsePlanSummary, type PlanSummary } from '../helpers/plans';
import type { CommvaultConnection } from './session';

/** `GET /V4/Plan/Summary`, the one plan listing: the pickers' lists and the lookups by name both read it. */
export async function fetchPlanSummaries(connection: CommvaultConnection, itemIndex?: number): Promise<PlanSummary[]> {
	return parsePlanSummary(await connection.request({ method: 'GET', path: '/V4/Plan/Summary', success: 'planSummary', itemIndex }));
}
