/**
 * The canvas subtitle is one n8n expression over the node's parameters; each operation gives its
 * part as expression text, built with these.
 */

/** A fixed subtitle, as expression text. */
export function subtitleText(text: string): string {
	return JSON.stringify(`Commvault · ${text}`);
}

/** `cases` as nested ternaries over a parameter: plain comparisons, which every n8n expression engine renders. */
export function choose(parameter: string, cases: Array<[string, string]>, otherwise: string): string {
	return cases.reduceRight(
		(rest, [value, text]) => `($parameter[${JSON.stringify(parameter)}] === ${JSON.stringify(value)} ? ${text} : ${rest})`,
		otherwise,
	);
}
