/**
 * What the editor and AI agents read from the node's description: the node panel's search
 * (codex aliases), the Resource and Operation lists, the subtitle as n8n's expression engine
 * renders it, the fields' defaults, and what the plan pickers tell people and agents.
 * The contract's names (node-contract.md) are written out here, not read from the node's table,
 * so a wrong table entry fails.
 */
import type { INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import codex from '../../nodes/Commvault/Commvault.node.json';
import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { NodeTypeRegistry } from '../../testing/engine/node-types';
import {
	droppedTags,
	editorTexts,
	nodePanelItem,
	numberInputAfterMount,
	panelFinds,
	renderedText,
	toolPanelItem,
} from '../../testing/engine/support/editor';

const TYPE = 'n8n-nodes-commvault.commvault';
const node = new Commvault();
const description = node.description;

/** Resource value → the product as an action names it, in the contract's order. */
const RESOURCES: Array<[string, string]> = [
	['dynamics365App', 'Dynamics 365'],
	['exchangeApp', 'Exchange'],
	['oneDriveApp', 'OneDrive'],
	['sharePointApp', 'SharePoint'],
	['teamsApp', 'Teams'],
];
const OFFICE365 = ['exchangeApp', 'oneDriveApp', 'sharePointApp', 'teamsApp'];

/** What Get Protected Items lists, per Microsoft 365 app. */
const ITEMS: Record<string, string> = { exchangeApp: 'mailboxes', oneDriveApp: 'users', sharePointApp: 'sites', teamsApp: 'teams' };

/** The subtitle as the editor renders it under the node on the canvas. */
function subtitleFor(parameters: Record<string, string>): unknown {
	const registry = new NodeTypeRegistry();
	registry.register(TYPE, new Commvault());
	const canvasNode: INode = { id: '1', name: 'Commvault', type: TYPE, typeVersion: 1, position: [0, 0], parameters };
	const workflow = new Workflow({ nodes: [canvasNode], connections: {}, active: false, nodeTypes: registry });
	return workflow.expression.getSimpleParameterValue(canvasNode, description.subtitle as string, 'internal', {}, undefined, '');
}

function shownFor(property: INodeProperties, key: 'resource' | 'operation'): string[] {
	return (property.displayOptions?.show?.[key] as string[] | undefined) ?? [];
}

/** Every property with where it is shown, the options of collections included (they inherit it). */
function allProperties(): Array<{ resource: string; operation: string; property: INodeProperties; parent?: string }> {
	const found: Array<{ resource: string; operation: string; property: INodeProperties; parent?: string }> = [];
	for (const property of description.properties) {
		const resource = shownFor(property, 'resource').join(',');
		const operation = shownFor(property, 'operation').join(',');
		found.push({ resource, operation, property });
		if (property.type === 'collection') {
			for (const option of (property.options ?? []) as INodeProperties[]) found.push({ resource, operation, property: option, parent: property.name });
		}
	}
	return found;
}

function operationsOf(resource: string): INodePropertyOptions[] {
	const selector = description.properties.find((p) => p.name === 'operation' && shownFor(p, 'resource').includes(resource));
	return (selector?.options ?? []) as INodePropertyOptions[];
}

const propertiesOf = (resource: string, operation: string) =>
	allProperties().filter((entry) => entry.resource === resource && entry.operation === operation);

describe('node panel search, as n8n matches it (display name and codex aliases)', () => {
	const panel = nodePanelItem(description, codex);
	const tools = toolPanelItem(description);

	it.each(['onboard', 'Onboarding', 'backup', 'Exchange', 'SharePoint', 'OneDrive', 'Teams', 'Microsoft 365', 'M365', 'Dynamics 365', 'Microsoft', 'Commvault'])(
		'the node panel finds the node by "%s"',
		(word) => {
			expect(panelFinds(word, panel)).toBe(true);
		},
	);

	it.each(['backup', 'Commvault'])("an AI agent's Tools panel finds the tool by \"%s\" (n8n searches a tool by its name only)", (word) => {
		expect(tools.alias).toEqual([]);
		expect(panelFinds(word, tools)).toBe(true);
	});

	it('the matching is not so loose that anything is found', () => {
		expect(panelFinds('salesforce', panel)).toBe(false);
		expect(panelFinds('exchange', tools)).toBe(false);
	});

	it('files it under Data & Storage › Backup', () => {
		expect(codex.categories).toContain('Data & Storage');
		expect(codex.subcategories).toEqual({ 'Data & Storage': ['Backup'] });
	});
});

describe('texts the editor renders as HTML (hints, descriptions) or as text (placeholders)', () => {
	const texts = [
		...editorTexts(description.properties).map((t) => ({ ...t, where: `node ${t.where}` })),
		...editorTexts(new CommvaultApi().properties).map((t) => ({ ...t, where: `credential ${t.where}` })),
		{ where: 'node', kind: 'description' as const, text: description.description },
	];

	it('are all checked (the walk reaches nested options and plan picker modes)', () => {
		expect(texts.length).toBeGreaterThan(100);
		expect(texts.some((t) => t.where.includes('mode') && t.kind === 'hint')).toBe(true);
		expect(texts.some((t) => t.where.startsWith('credential') && t.kind === 'hint')).toBe(true);
	});

	it('no hint or description holds a tag the editor removes (a placeholder such as <tenant> is written &lt;tenant&gt;)', () => {
		const html = texts.filter((t) => t.kind !== 'placeholder');
		expect(html.flatMap((t) => droppedTags(t.text).map((tag) => `${t.where} ${t.kind}: ${tag}`))).toEqual([]);
	});

	it('no placeholder holds an HTML entity, which the editor would show as typed', () => {
		expect(texts.filter((t) => t.kind === 'placeholder' && /&[a-z#0-9]+;/i.test(t.text)).map((t) => t.where)).toEqual([]);
	});

	it("SharePoint's Tenant Admin Site URL hint reads https://<tenant>-admin.sharepoint.com in the editor", () => {
		const hint = texts.find((t) => t.where === 'node tenantAdminSiteUrl' && t.kind === 'hint');
		expect(renderedText(hint?.text ?? '')).toContain('https://<tenant>-admin.sharepoint.com');
	});

	it("the credential's Base URL texts read https://<host>/… in the editor", () => {
		const baseUrl = texts.filter((t) => t.where === 'credential baseUrl' && t.kind !== 'placeholder').map((t) => renderedText(t.text));
		expect(baseUrl.join(' ')).toContain('https://<host>/commandcenter/api');
		expect(baseUrl.join(' ')).toContain('https://<CommandCenterHost>/commandcenter/api');
	});
});

describe('resources and operations', () => {
	it("lists the contract's app resources, Dynamics 365 first and the default, then Job", () => {
		const resource = description.properties.find((p) => p.name === 'resource');
		expect((resource?.options as INodePropertyOptions[]).map((o) => o.value)).toEqual([...RESOURCES.map(([value]) => value), 'job']);
		expect(resource?.default).toBe('dynamics365App');
	});

	it.each(RESOURCES)('%s: Create is listed before Add Content (then Get Many, Back Up Now and Get Protected Items for a Microsoft 365 app), and Create is the default', (resource) => {
		expect(operationsOf(resource).map((o) => o.value)).toEqual([
			'create',
			'addContent',
			...(OFFICE365.includes(resource) ? ['getMany', 'backup', 'getProtectedItems'] : []),
		]);
		expect(description.properties.find((p) => p.name === 'operation' && shownFor(p, 'resource').includes(resource))?.default).toBe('create');
	});

	it.each(RESOURCES)('%s: action names start with a capital and keep the product name "%s" as it is spelt', (resource, product) => {
		expect(operationsOf(resource).map((o) => o.action)).toEqual([
			`Create ${product} app`,
			`Add content to ${product} app`,
			...(OFFICE365.includes(resource) ? [`Get many ${product} apps`, `Back up ${product} app now`, `Get protected ${ITEMS[resource]} of ${product} app`] : []),
		]);
	});

	it('Job: Get, then Get Many', () => {
		expect(operationsOf('job').map((o) => [o.value, o.action])).toEqual([
			['get', 'Get a job'],
			['getMany', 'Get many jobs'],
		]);
	});
});

describe('subtitle', () => {
	it.each(
		RESOURCES.flatMap(([resource]): Array<[string, string]> => [
			[resource, 'create'],
			[resource, 'addContent'],
			...(OFFICE365.includes(resource) ? [[resource, 'getMany'] as [string, string]] : []),
		]),
	)(
		'%s %s: says Commvault and does not repeat the action the node is named after',
		(resource, operation) => {
			const subtitle = subtitleFor({ resource, operation });
			const action = operationsOf(resource).find((o) => o.value === operation)?.action as string;
			expect(subtitle).toMatch(/^Commvault · \S/);
			expect(String(subtitle).toLowerCase()).not.toContain(action.toLowerCase());
			expect(subtitle).not.toMatch(/undefined|\$parameter|\{\{/);
		},
	);

	it.each([
		[{ resource: 'dynamics365App', operation: 'create' }, 'Commvault · Dynamics 365 environments'],
		[{ resource: 'sharePointApp', operation: 'create' }, 'Commvault · SharePoint Online sites'],
		[{ resource: 'dynamics365App', operation: 'addContent' }, 'Commvault · All Environments'],
		[{ resource: 'exchangeApp', operation: 'addContent' }, 'Commvault · All Mailboxes'],
		[{ resource: 'exchangeApp', operation: 'addContent', contentType: 'ALL_PUBLIC_FOLDERS' }, 'Commvault · All Public Folders'],
		[{ resource: 'sharePointApp', operation: 'addContent', contentType: 'ALL_TEAMS_SITES' }, 'Commvault · All Teams Sites'],
		[{ resource: 'teamsApp', operation: 'getMany' }, 'Commvault · Teams apps'],
	])('reads %j as %j', (parameters, expected) => {
		expect(subtitleFor(parameters)).toBe(expected);
	});
});

describe('fields', () => {
	it('App ID and Job ID, the required number fields, show empty in n8n\'s number input (not 0) and their placeholder', () => {
		const numbers = allProperties().filter(({ property }) => property.type === 'number' && property.required);
		expect(numbers.map(({ resource, property }) => `${resource} ${property.name}`)).toEqual([
			// Add Content's, then Back Up Now's and Get Protected Items' for a Microsoft 365 app.
			...RESOURCES.flatMap(([resource]) => Array.from({ length: OFFICE365.includes(resource) ? 3 : 1 }, () => `${resource} appId`)),
			'job jobId',
		]);
		for (const { property } of numbers) {
			// '' looked empty here, but the editor's InputNumber turned it into 0 as it mounted.
			expect(numberInputAfterMount(property.default)).toBeNull();
			expect(property.default).toBeNull();
			expect(property.placeholder).toMatch(/^e\.g\. \d+$/);
		}
	});

	it.each(RESOURCES)('%s Create: the certificate fields sit together, say they belong together, and name no binary field by default', (resource) => {
		const additional = propertiesOf(resource, 'create').filter((entry) => entry.parent === 'additionalFields');
		const names = additional.map(({ property }) => property.name);
		const first = names.indexOf('certificateBinaryProperty');
		expect(names.slice(first, first + 3)).toEqual(['certificateBinaryProperty', 'certificatePassword', 'certificateThumbprint']);
		for (const { property } of additional.slice(first, first + 3)) {
			expect(property.displayName).toMatch(/^Certificate /);
			expect(property.description).toMatch(/three Certificate fields .* used together/);
		}
		expect(additional[first].property.default).toBe('');
	});

	it.each(RESOURCES)('%s: labels are short enough not to be cut off in the editor', (resource) => {
		for (const operation of ['create', 'addContent']) {
			for (const { property } of propertiesOf(resource, operation)) expect(property.displayName.length).toBeLessThanOrEqual(28);
		}
	});

	it('a refresh token only where the schema has one (Dynamics 365 and Teams); the admin site URL only for SharePoint, required', () => {
		const has = (name: string) => RESOURCES.map(([r]) => r).filter((r) => propertiesOf(r, 'create').some(({ property }) => property.name === name));
		expect(has('refreshToken')).toEqual(['dynamics365App', 'teamsApp']);
		expect(has('tenantAdminSiteUrl')).toEqual(['sharePointApp']);
		const url = propertiesOf('sharePointApp', 'create').find(({ property }) => property.name === 'tenantAdminSiteUrl')?.property;
		expect(url).toMatchObject({ required: true, type: 'string', placeholder: 'https://contoso-admin.sharepoint.com' });
		expect(url?.hint).toContain('-admin.sharepoint.com');
	});

	it.each([
		['exchangeApp', ['ALL_MAILBOXES', 'ALL_PUBLIC_FOLDERS', 'ALL_GROUP_MAILBOXES']],
		['sharePointApp', ['ALL_WEB_SITES', 'ALL_TEAMS_SITES']],
		['oneDriveApp', ['ALL_USERS']],
		['teamsApp', ['ALL_TEAMS']],
	])('%s: contentType offers the schema\'s types, defaulting to the first, in Add Content and in Create', (resource, types) => {
		const addContent = propertiesOf(resource, 'addContent').find(({ property }) => property.name === 'contentType')?.property;
		const create = propertiesOf(resource, 'create').find(({ property, parent }) => parent === 'additionalFields' && property.name === 'contentType')?.property;
		for (const field of [addContent, create]) {
			expect(((field?.options ?? []) as INodePropertyOptions[]).map((o) => o.value)).toEqual(types);
			expect(field?.default).toBe(types[0]);
		}
		expect(propertiesOf('dynamics365App', 'addContent').some(({ property }) => property.name === 'contentType')).toBe(false);
	});
});

describe('plan pickers', () => {
	const pickers = allProperties().filter(({ property }) => property.type === 'resourceLocator' && property.name !== 'actForCompany');
	const listMethod = (property: INodeProperties): unknown =>
		property.modes?.find((mode) => mode.name === 'list')?.typeOptions?.searchListMethod;

	it('are the server plan, and the content plan of each app (Dynamics 365 or Microsoft 365) in Create and Add Content', () => {
		expect(pickers.map(({ resource, operation, property }) => `${resource} ${operation} ${property.name}`)).toEqual(
			RESOURCES.flatMap(([resource]) => {
				const content = resource === 'dynamics365App' ? 'dynamics365Plan' : 'office365Plan';
				return [`${resource} create serverPlan`, `${resource} create ${content}`, `${resource} addContent ${content}`];
			}),
		);
	});

	it('list the plans of their own kind, with a method the node has', () => {
		for (const { resource, property } of pickers) {
			const expected =
				property.name === 'serverPlan' ? 'searchServerPlans' : OFFICE365.includes(resource) ? 'searchOffice365Plans' : 'searchDynamics365Plans';
			expect(listMethod(property)).toBe(expected);
			expect(typeof node.methods.listSearch[expected]).toBe('function');
		}
	});

	it.each(pickers.map(({ resource, operation, property }) => [`${resource} ${operation} ${property.name}`, property]))(
		'%s speaks to people first, then tells an expression or AI agent which value each mode takes; it starts in From list',
		(_name, picker) => {
			expect(picker.default).toEqual({ mode: 'list', value: '' });
			expect(picker.description).toMatch(/\. Pick it from the list, or switch the mode to "By ID" or "By name"\. /);
			expect(picker.description).toMatch(
				/When the value is filled in by an expression or an AI agent: the "From list" and "By ID" modes take the plan's numeric ID; "By name" takes the plan's exact name as shown in Command Center\.$/,
			);
			expect(picker.modes?.map((mode) => mode.name)).toEqual(['list', 'id', 'name']);
			// n8n shows its own labels for the modes named list and id (en.json resourceLocator.mode.list
			// and .id), whatever their displayName; the third mode follows them.
			expect(picker.modes?.map((mode) => mode.displayName)).toEqual(['From list', 'By ID', 'By name']);
			// The 92 px mode selector cut "By Name" to "By Nam"; n8n's own "From list" fits.
			expect(picker.modes?.[2].displayName.length).toBeLessThanOrEqual('From list'.length);
			for (const mode of picker.modes?.filter((m) => m.name !== 'list') ?? []) expect(mode.hint).not.toMatch(/AI|agent|\$fromAI/);
		},
	);
});
