const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of a secret in text that leaves the node (error messages from
 * Commvault can echo request fields). Very short values are skipped: they would redact ordinary
 * words and no real secret is that short.
 */
export function redactSecrets(text: string, secrets: Array<string | undefined>): string {
	let result = text;
	const distinct = [...new Set(secrets.filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH))];
	distinct.sort((a, b) => b.length - a.length);
	for (const secret of distinct) result = result.split(secret).join('[redacted]');
	return result;
}
