/**
 * Triggered alerts: `GET /V4/TriggeredAlerts` (every alert, no filter and no paging, as the
 * document declares none) and `GET /V4/TriggeredAlerts/{id}`. Alerts are raised by tests
 * (`sim.raiseAlert`), stamped with Commvault's clock (the jobs' simulated clock, `sim.jobs.clock`)
 * unless the seed says when.
 */
import type { SimClock } from './jobs';
import { DEFAULT_COMPANY } from './plans';
import type { Reply, RouteRequest } from './routes';

export type AlertSeverity = 'CRITICAL' | 'MAJOR' | 'INFORMATION' | 'AUTO_PICK';

export interface AlertSeed {
	id?: number;
	/** Default `CRITICAL`. */
	severity?: AlertSeverity;
	/** Default `Job Failed`. */
	detectedCriterion?: string;
	/** The alert's name; default `Backup job failed`. */
	info?: string;
	/** Default `Job Management - Data Protection`. */
	type?: string;
	/** Unix seconds in Commvault's clock; default: its now. */
	detectedTime?: number;
	client?: { id: number; name: string };
	jobId?: number;
}

export interface SimAlert extends Required<Omit<AlertSeed, 'client' | 'jobId'>> {
	client?: { id: number; name: string };
	jobId?: number;
	readStatus: boolean;
}

export class AlertBook {
	private readonly alerts = new Map<number, SimAlert>();
	private nextId = 5001;

	constructor(private readonly clock: SimClock) {}

	raise(seed: AlertSeed = {}): SimAlert {
		const id = seed.id ?? this.nextId;
		if (this.alerts.has(id)) throw new Error(`Alert id ${id} already exists`);
		this.nextId = Math.max(this.nextId, id + 1);
		const alert: SimAlert = {
			id,
			severity: seed.severity ?? 'CRITICAL',
			detectedCriterion: seed.detectedCriterion ?? 'Job Failed',
			info: seed.info ?? 'Backup job failed',
			type: seed.type ?? 'Job Management - Data Protection',
			detectedTime: seed.detectedTime ?? Math.floor(this.clock.now()),
			...(seed.client ? { client: { ...seed.client } } : {}),
			...(seed.jobId === undefined ? {} : { jobId: seed.jobId }),
			readStatus: false,
		};
		this.alerts.set(id, alert);
		return alert;
	}

	get all(): SimAlert[] {
		return [...this.alerts.values()];
	}

	/** `AlertsTriggeredListResp`: newest first (the document does not say; a client must not rely on it). */
	list(): Reply {
		const alerts = this.all.sort((a, b) => b.detectedTime - a.detectedTime || b.id - a.id);
		return {
			status: 200,
			body: {
				totalCount: alerts.length,
				unreadCount: alerts.filter((alert) => !alert.readStatus).length,
				alertsTriggered: alerts.map(toSummary),
			},
		};
	}

	/** `TriggeredAlertsDetails`; an id Commvault does not know is a 404 GenericResp. */
	details(req: RouteRequest): Reply {
		const id = Number(req.pathParams.id);
		const alert = this.alerts.get(id);
		if (!alert) return { status: 404, body: { errorMessage: `Triggered alert ${id} does not exist.`, errorCode: 4 } };
		return {
			status: 200,
			body: {
				id: alert.id,
				severity: alert.severity,
				alertType: alert.type,
				detectedCriteria: alert.detectedCriterion,
				description: `<html><body>${alert.info}</body></html>`,
			},
		};
	}
}

/** `AlertTriggeredSummary`, fields in the document's order. */
function toSummary(alert: SimAlert): Record<string, unknown> {
	return {
		id: alert.id,
		severity: alert.severity,
		detectedCriterion: alert.detectedCriterion,
		info: alert.info,
		type: alert.type,
		detectedTime: alert.detectedTime,
		...(alert.client ? { client: { ...alert.client } } : {}),
		readStatus: alert.readStatus,
		...(alert.jobId === undefined ? {} : { jobId: alert.jobId }),
		company: { ...DEFAULT_COMPANY },
	};
}
