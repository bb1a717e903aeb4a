import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { resolveCompany } from '../companies';
import { isNodeError, operationError } from '../helpers/errors';
import { isObject } from '../helpers/json';
import { outputRedactor, redactError, type RedactableError } from '../helpers/redaction';
import { CommvaultConnection } from '../transport';
import { polled, startsAfresh } from './activation';
import { advance, lookbackSeconds, readCursor, writeCursor } from './cursor';
import { eventFor } from './events';
import type { PollRun, TriggerEvent } from './types';

/** How far back Fetch Test Event looks for an example. */
export const TEST_EVENT_DAYS = 7;

/**
 * One poll. In the editor (Fetch Test Event) the newest matching record of the last 7 days, and
 * the cursor is left alone. Active: every record since the previous good poll that no poll has
 * emitted, each once; `null` when there is none (n8n starts no execution). The cursor is stored
 * only after every request of the poll succeeded: a failing poll leaves it where it was, and the
 * next good one catches up.
 */
export async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const connection = new CommvaultConnection(this);
	try {
		const event = eventFor(this.getNodeParameter('event', ''));
		if (!event) throw operationError(this.getNode(), { message: `Event: unknown event ${JSON.stringify(this.getNodeParameter('event', ''))}` });
		const options: unknown = this.getNodeParameter('options', {});
		// A company named, not numbered, is looked up as the credential's own user, before anything else.
		const companyId = await resolveCompany(isObject(options) ? options.actForCompany : undefined, connection);
		const run: PollRun = { context: this, connection: connection.actingFor(companyId) };
		const records = this.getMode() === 'manual' ? [await testEvent(run, event)] : await newRecords(run, event);
		if (records.length === 0) return null;
		const redact = outputRedactor(await connection.credentialSecrets());
		return [records.map((record) => ({ json: redact(event.output(record)) }))];
	} catch (caught) {
		const error: RedactableError = isNodeError(caught)
			? caught
			: operationError(this.getNode(), { message: caught instanceof Error ? caught.message : String(caught) });
		redactError(error, await connection.credentialSecrets(), []);
		throw error;
	} finally {
		connection.halt();
	}
}

async function newRecords(run: PollRun, event: TriggerEvent<IDataObject>): Promise<IDataObject[]> {
	const staticData = run.context.getWorkflowStaticData('node');
	const key = event.option.value;
	const cursor = startsAfresh(run.context, staticData) ? undefined : readCursor(staticData, key);
	// n8n's clock before the first request leaves: whatever finishes while the poll runs is inside the next window.
	const now = Date.now();
	const records = await event.since(run, lookbackSeconds(cursor, now));
	const byId = new Map(records.map((record) => [event.sighting(record).id, record]));
	const { fresh, next } = advance(cursor, records.map(event.sighting), now);
	writeCursor(staticData, key, next);
	polled(staticData);
	return fresh.map((sighting) => byId.get(sighting.id) ?? {});
}

async function testEvent(run: PollRun, event: TriggerEvent<IDataObject>): Promise<IDataObject> {
	const newest = await event.newest(run, TEST_EVENT_DAYS * 24 * 3600);
	if (newest) return newest;
	throw operationError(run.context.getNode(), {
		message: `No ${event.noun} matching the filters in the last ${TEST_EVENT_DAYS} days`,
		description: 'Commvault has nothing to show as an example yet. Loosen the filters, or activate the workflow: it starts with what happens from then on.',
	});
}
