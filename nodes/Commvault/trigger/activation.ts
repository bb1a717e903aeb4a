import type { IDataObject, IPollFunctions, WorkflowActivateMode } from 'n8n-workflow';

/**
 * The activations after which the trigger starts afresh, emitting nothing older: the user turned
 * the workflow on (`activate`) or created it active (`create`). After an n8n restart (`init`), a
 * save of the active workflow (`update`) or a new leader in multi-main (`leadershipChange`) the
 * polls go on from the cursor, and catch up.
 */
const STARTS_AFRESH: ReadonlySet<WorkflowActivateMode> = new Set(['activate', 'create']);

/**
 * The node static data objects this process has polled with. n8n builds a workflow's static data
 * afresh from its database for each activation and keeps that object for every poll of the
 * activation, so "not polled with yet" is "the first poll of this activation". The objects are
 * n8n's: held weakly, they go when n8n drops the activation, and nothing else is kept (DEVELOPMENT.md).
 */
const polledWith = new WeakSet<object>();

/** True for the first poll of an activation that starts afresh: the cursor stored before is not used. */
export function startsAfresh(context: IPollFunctions, staticData: IDataObject): boolean {
	return !polledWith.has(staticData) && STARTS_AFRESH.has(context.getActivationMode());
}

/** A good poll has stored its cursor in this static data: the activation's next polls go on from it. */
export function polled(staticData: IDataObject): void {
	polledWith.add(staticData);
}
