/** A multi-options field's value as a list of its words (n8n stores `[]` for none; an expression may give a string). */
export function stringList(value: unknown): string[] {
	if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string');
	if (typeof value === 'string' && value.trim() !== '') return value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
	return [];
}
