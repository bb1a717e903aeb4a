/**
 * Commvault Trigger's `options.actForCompany`: every request of a poll carries `operatorCompanyId`
 * for the company chosen; a company given by name is looked up (as the MSP) before anything else,
 * and a name matching no company fails the poll, naming the field, with nothing else sent.
 */
import { byId, byName, companyHeader, nodeRequests } from '../../testing/engine/support/companies';
import { useSimulator } from '../../testing/engine/support/commvault';
import { fetchTriggerTestEvent, withTrigger } from '../../testing/engine/support/trigger';
import { MSP_COMPANIES, MSP_PLANS } from '../../testing/simulator';

const sim = useSimulator({ companies: MSP_COMPANIES, plans: MSP_PLANS });

describe('Act for Company', () => {
	it('by name: looked up once per poll as the MSP, then every POST /Jobs is sent for that company', async () => {
		await withTrigger(sim, { parameters: { event: 'jobFinished', options: { actForCompany: byName('contoso') } } }, async (poller) => {
			expect((await poller.activate()).error).toBeUndefined();
			expect((await poller.tick()).error).toBeUndefined();
			const sent = nodeRequests(sim.requests).map((request) => [request.operationId, companyHeader(request)]);
			expect(sent).toEqual([
				['GetCompanies', undefined],
				['GetJobs', '501'],
				['GetCompanies', undefined],
				['GetJobs', '501'],
			]);
		});
	});

	it('by ID: no lookup, GET /V4/TriggeredAlerts is sent for that company', async () => {
		await withTrigger(sim, { parameters: { event: 'alertTriggered', options: { actForCompany: byId(502) } } }, async (poller) => {
			await poller.activate();
			expect(nodeRequests(sim.requests).map((request) => [request.operationId, companyHeader(request)])).toEqual([['GetAlertsTriggered', '502']]);
		});
	});

	it('left empty: no header', async () => {
		await fetchTriggerTestEvent(sim, { parameters: { event: 'alertTriggered' } });
		expect(nodeRequests(sim.requests).map((request) => companyHeader(request))).toEqual([undefined]);
	});

	it('a name no company has fails the activation, naming the field, and nothing else is sent', async () => {
		await withTrigger(sim, { parameters: { event: 'jobFinished', options: { actForCompany: byName('Nobody Inc') } } }, async (poller) => {
			const outcome = await poller.activate();
			expect(outcome.error?.message).toContain('Options > Act for Company');
			expect(outcome.error?.message).toContain('no company is named "Nobody Inc"');
			expect(nodeRequests(sim.requests).map((request) => request.operationId)).toEqual(['GetCompanies']);
		});
	});
});
