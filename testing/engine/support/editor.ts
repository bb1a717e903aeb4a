/**
 * What n8n's editor (editor-ui, n8n 1.x) does with a node's description, rebuilt from its source so
 * a description test can check what a person sees rather than what the node declares:
 *
 * - hints and descriptions are rendered as HTML through `sanitizeHtml` (utils/htmlUtils.ts), which
 *   removes every tag outside ALLOWED_HTML_TAGS (constants.ts): `<tenant>` disappears;
 * - placeholders are an input's `placeholder` attribute, plain text: `&lt;` shows as typed;
 * - a `number` field is element-plus's InputNumber, whose onMounted writes `Number(value)` back for
 *   any value that is neither a number nor null/undefined (`''` becomes 0);
 * - the node panel and the AI Tools panel search `displayName` and `codex.alias` with
 *   `sublimeSearch` (NodeCreator utils.ts `searchNodes`), a match being every typed character in
 *   order (`fuzzyMatchSimple`); the tool variant is made by `createAiTools`/`convertNodeToAiTool`
 *   in packages/cli: `usableAsTool.replacements` applied, " Tool" appended, the codex replaced by
 *   one without aliases.
 */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

/** editor-ui constants.ts ALLOWED_HTML_TAGS. */
export const EDITOR_HTML_TAGS = ['p', 'strong', 'b', 'code', 'a', 'br', 'i', 'ul', 'li', 'em', 'small', 'details', 'summary', 'mark'];

const TAG = /<\/?([a-zA-Z][\w-]*)\b[^>]*>/g;

/** Tags the editor's sanitizer removes, with everything inside the angle brackets. */
export function droppedTags(html: string): string[] {
	return [...html.matchAll(TAG)].map((m) => m[0]).filter((tag) => !EDITOR_HTML_TAGS.includes(tagName(tag)));
}

function tagName(tag: string): string {
	return tag.replace(/^<\/?/, '').split(/[\s/>]/)[0].toLowerCase();
}

/** The text a person reads once the editor has rendered `html`. */
export function renderedText(html: string): string {
	return html
		.replace(TAG, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&');
}

/** What an element-plus InputNumber holds once mounted with `value`. */
export function numberInputAfterMount(value: unknown): unknown {
	if (typeof value !== 'number' && value !== null && value !== undefined) {
		const number = Number(value);
		return Number.isNaN(number) ? null : number;
	}
	return value;
}

export interface EditorText {
	where: string;
	kind: 'hint' | 'description' | 'placeholder';
	text: string;
}

type AnyOption = INodeProperties | INodePropertyOptions | INodePropertyCollection;

/** Every hint, description and placeholder of a list of properties, nested options included. */
export function editorTexts(properties: AnyOption[], path = ''): EditorText[] {
	const found: EditorText[] = [];
	for (const property of properties) {
		const where = `${path}${'name' in property ? property.name : ''}`;
		for (const kind of ['hint', 'description', 'placeholder'] as const) {
			const text = (property as unknown as Record<string, unknown>)[kind];
			if (typeof text === 'string') found.push({ where, kind, text });
		}
		if ('modes' in property) {
			for (const mode of property.modes ?? []) {
				found.push(...editorTexts([mode as unknown as INodeProperties], `${where} mode `));
			}
		}
		if ('options' in property && Array.isArray(property.options)) found.push(...editorTexts(property.options as AnyOption[], `${where} > `));
		if ('values' in property && Array.isArray(property.values)) found.push(...editorTexts(property.values, `${where} > `));
	}
	return found;
}

interface PanelItem {
	displayName: string;
	alias: string[];
}

/** n8n's `fuzzyMatchSimple`: every character of the query, in order, case-insensitively. */
function fuzzyMatch(query: string, target: string): boolean {
	let at = 0;
	for (const char of target.toLowerCase()) if (char === query[at]?.toLowerCase()) at++;
	return query.length > 0 && target.length > 0 && at === query.length;
}

export function panelFinds(query: string, item: PanelItem): boolean {
	return [item.displayName, ...item.alias].some((value) => fuzzyMatch(query, value));
}

/** The node as the node panel lists it: the description with the codex file's aliases. */
export function nodePanelItem(description: INodeTypeDescription, codex: { alias?: string[] }): PanelItem {
	return { displayName: description.displayName, alias: codex.alias ?? [] };
}

/** The tool variant as an AI agent's Tools panel lists it. */
export function toolPanelItem(description: INodeTypeDescription): PanelItem {
	const replacements = typeof description.usableAsTool === 'object' ? description.usableAsTool.replacements : undefined;
	const displayName = replacements?.displayName ?? description.displayName;
	return { displayName: `${displayName} Tool`, alias: [] };
}
