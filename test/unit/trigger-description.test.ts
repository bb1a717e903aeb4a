/** Commvault Trigger's public names (node-contract.md, node `commvaultTrigger`): what saved workflows rely on. */
import type { INodeProperties } from 'n8n-workflow';

import { CommvaultTrigger } from '../../nodes/Commvault/CommvaultTrigger.node';
import packageJson from '../../package.json';

const { description } = new CommvaultTrigger();
const property = (name: string, event?: string): INodeProperties | undefined =>
	description.properties.find((p) => p.name === name && (event === undefined || (p.displayOptions?.show?.event as string[] | undefined)?.includes(event)));

describe('Commvault Trigger description', () => {
	it('is a polling trigger of type commvaultTrigger, version 1, with the commvaultApi credential, listed in package.json', () => {
		expect(description).toMatchObject({ name: 'commvaultTrigger', version: 1, polling: true, inputs: [], credentials: [{ name: 'commvaultApi', required: true }] });
		expect(packageJson.n8n.nodes).toContain('dist/nodes/Commvault/CommvaultTrigger.node.js');
	});

	it('offers the events jobFinished (default) and alertTriggered', () => {
		expect(property('event')).toMatchObject({ type: 'options', default: 'jobFinished' });
		expect((property('event')?.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['jobFinished', 'alertTriggered']);
	});

	it('Job Finished: statuses (default the failures), filters.appId and filters.backupOnly (default true)', () => {
		expect(property('statuses', 'jobFinished')).toMatchObject({
			type: 'multiOptions',
			default: ['Failed', 'Completed w/ one or more errors', 'Killed', 'Failed to Start'],
		});
		const filters = property('filters', 'jobFinished')?.options as INodeProperties[];
		expect(filters.map((filter) => [filter.name, filter.default])).toEqual([
			['appId', ''],
			['backupOnly', true],
		]);
	});

	it('Alert Triggered: severities CRITICAL, MAJOR, INFORMATION, AUTO_PICK, none by default (all)', () => {
		const severities = property('severities', 'alertTriggered');
		expect(severities).toMatchObject({ type: 'multiOptions', default: [] });
		expect((severities?.options as Array<{ value: string }>).map((option) => option.value).sort()).toEqual(['AUTO_PICK', 'CRITICAL', 'INFORMATION', 'MAJOR']);
	});

	it('options.actForCompany: a company locator, empty by default, whose list the node can search', () => {
		const actFor = (property('options')?.options as INodeProperties[]).find((option) => option.name === 'actForCompany');
		expect(actFor).toMatchObject({ type: 'resourceLocator', default: { mode: 'list', value: '' } });
		expect(typeof new CommvaultTrigger().methods.listSearch.searchCompanies).toBe('function');
	});
});
