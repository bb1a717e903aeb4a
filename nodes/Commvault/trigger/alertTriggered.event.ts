import type { IDataObject } from 'n8n-workflow';

import { isObject, isPositiveInt32 } from '../helpers/json';
import type { Success } from '../transport';
import { stringList } from './parameters';
import type { PollRun, TriggerEvent } from './types';

const SEVERITIES = ['CRITICAL', 'MAJOR', 'INFORMATION', 'AUTO_PICK'] as const;

/** One alert of `AlertsTriggeredListResp`, Commvault's fields as returned. */
type Alert = IDataObject & { id: number; detectedTime: number };

type AlertList = IDataObject & { alertsTriggered?: Alert[] | null };

/**
 * `AlertsTriggeredListResp`. Each alert needs an id and a detection time: the cursor is made of
 * them, so a list where one lacks them is not a success to go on from.
 */
const alertList: Success<AlertList> = {
	expected: 'a list of triggered alerts (AlertsTriggeredListResp, with alertsTriggered)',
	is: (body): body is AlertList => {
		const { alertsTriggered, totalCount } = body;
		if (alertsTriggered === undefined && totalCount === undefined) return false;
		if (alertsTriggered === undefined || alertsTriggered === null) return true;
		return (
			Array.isArray(alertsTriggered) &&
			alertsTriggered.every((alert) => isObject(alert) && isPositiveInt32(alert.id) && Number.isInteger(alert.detectedTime))
		);
	},
};

/**
 * Every triggered alert of the severities asked for. Commvault's list has no filter and no
 * paging (the document declares none): one request per poll, and the cursor keeps what is new.
 */
async function matchingAlerts(run: PollRun): Promise<Alert[]> {
	const severities = stringList(run.context.getNodeParameter('severities', []));
	const answer = await run.connection.request({ method: 'GET', path: '/V4/TriggeredAlerts', success: alertList });
	const alerts = answer.alertsTriggered ?? [];
	return severities.length === 0 ? alerts : alerts.filter((alert) => severities.includes(String(alert.severity)));
}

export const alertTriggered: TriggerEvent<Alert> = {
	option: {
		name: 'Alert Triggered',
		value: 'alertTriggered',
		description: 'When Commvault raises an alert (a failed job, a full disk, an expiring licence…)',
	},
	properties: [
		{
			displayName: 'Severities',
			name: 'severities',
			type: 'multiOptions',
			options: SEVERITIES.map((severity) => ({ name: severity === 'AUTO_PICK' ? 'Auto Pick' : severity[0] + severity.slice(1).toLowerCase(), value: severity })),
			default: [],
			description: 'Only alerts of these severities. None: every alert.',
		},
	],
	noun: 'alert',
	// No time filter to send: every alert comes, and the cursor keeps those detected since the last poll.
	since: async (run) => await matchingAlerts(run),
	async newest(run, lookbackSeconds) {
		const from = Date.now() / 1000 - lookbackSeconds;
		const recent = (await matchingAlerts(run)).filter((alert) => alert.detectedTime >= from);
		return recent.reduce<Alert | undefined>((newest, alert) => (newest && newest.detectedTime >= alert.detectedTime ? newest : alert), undefined);
	},
	sighting: (alert) => ({ id: String(alert.id), time: alert.detectedTime }),
	output: (alert) => alert,
};
