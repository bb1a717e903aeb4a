/** The simulator's triggered alerts, checked against Commvault's schemas, and its clock. */
import { CommvaultSimulator, loadSpec } from '../../testing/simulator';
import { useSimulator } from '../../testing/simulator/use-simulator';

const { registry } = loadSpec();

describe('GET /V4/TriggeredAlerts', () => {
	const { sim, req } = useSimulator();

	it('lists every alert raised, newest first, as AlertsTriggeredListResp', async () => {
		const now = Math.floor(sim().jobs.clock.now());
		sim().raiseAlert({ severity: 'MAJOR', detectedTime: now - 60, client: { id: 1001, name: 'Contoso' }, jobId: 77 });
		const newer = sim().raiseAlert({ severity: 'INFORMATION', detectedCriterion: 'Job Succeeded', info: 'Backup done' });
		const res = await req('GET', '/V4/TriggeredAlerts');
		expect(res.status).toBe(200);
		expect(registry.validate('AlertsTriggeredListResp', res.json)).toEqual([]);
		const body = res.json as { totalCount: number; unreadCount: number; alertsTriggered: Array<Record<string, unknown>> };
		expect(body.totalCount).toBe(2);
		expect(body.unreadCount).toBe(2);
		expect(body.alertsTriggered.map((a) => a.id)).toEqual([newer.id, newer.id - 1]);
		expect(body.alertsTriggered[1]).toMatchObject({ severity: 'MAJOR', detectedTime: now - 60, client: { id: 1001, name: 'Contoso' }, jobId: 77 });
		expect(Math.abs((body.alertsTriggered[0].detectedTime as number) - now)).toBeLessThanOrEqual(1);
	});

	it('takes no query parameter (the document declares none)', async () => {
		const res = await req('GET', '/V4/TriggeredAlerts?pageNumber=0');
		expect(res.status).toBe(400);
	});

	it('needs a token', async () => {
		const res = await req('GET', '/V4/TriggeredAlerts', { headers: { Authtoken: 'wrong' } });
		expect(res.status).toBe(401);
	});

	it('answers one alert as TriggeredAlertsDetails, and 404 for an id it does not know', async () => {
		const alert = sim().raiseAlert({});
		const res = await req('GET', `/V4/TriggeredAlerts/${alert.id}`);
		expect(res.status).toBe(200);
		expect(registry.validate('TriggeredAlertsDetails', res.json)).toEqual([]);
		expect(res.json).toMatchObject({ id: alert.id, severity: 'CRITICAL', detectedCriteria: 'Job Failed' });
		expect((await req('GET', '/V4/TriggeredAlerts/99999')).status).toBe(404);
	});

	it('refuses an alert id given twice', () => {
		sim().raiseAlert({ id: 9 });
		expect(() => sim().raiseAlert({ id: 9 })).toThrow('Alert id 9 already exists');
	});
});

describe("Commvault's clock", () => {
	it('stamps alerts with the jobs\' simulated clock, skew included', () => {
		const sim = new CommvaultSimulator();
		sim.jobs.clock.advance(-300);
		const alert = sim.raiseAlert();
		expect(Math.abs(alert.detectedTime - (Math.floor(Date.now() / 1000) - 300))).toBeLessThanOrEqual(1);
	});
});
