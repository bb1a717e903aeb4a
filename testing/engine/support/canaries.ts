/**
 * Secret canaries: prove that no secret leaves the node in an output item, an error or a log line.
 *
 * ```ts
 * const result = await runCommvault(sim, { ... });
 * expectNoSecrets(result, secretsOf({ authtoken: DEFAULT_AUTHTOKEN, applicationSecret, certificate: pfxBytes }));
 * ```
 *
 * `secretsOf` expands each secret to the forms a leak could take (as typed, trimmed, base64 of
 * its UTF-8, each of these URL-encoded, form-encoded, as hex of its UTF-8 and HTML-escaped; and
 * for the certificate base64 of its bytes plus a slice from the middle of that, so a truncated
 * echo is caught too). `expectNoSecrets` searches:
 * - `JSON.stringify(result.items)` and every other output (the error output);
 * - the error's message, its description and the whole serialized error (node error and
 *   execution error as n8n stored them in the run), `cause`, `context` and stack included;
 * - the whole run data as n8n stores it;
 * - every captured log line.
 * It fails with the place and the kind of secret, never printing the secret itself.
 */
import type { RunNodeResult } from '../run';

export interface SecretValues {
	authtoken?: string;
	password?: string;
	loginToken?: string;
	applicationSecret?: string;
	certificatePassword?: string;
	refreshToken?: string;
	/** The certificate file's bytes. */
	certificate?: Buffer;
}

/** A named form of a secret to search for. */
export interface Canary {
	label: string;
	value: string;
}

function base64(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** How a server may quote a value: written independently of the node's own list, so it checks that list. */
export function encodedForms(text: string): Array<[string, string]> {
	const percent = encodeURIComponent(text);
	const hex = Buffer.from(text, 'utf8').toString('hex');
	return [
		['URL-encoded', percent],
		['URL-encoded, lower-case hex', percent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())],
		['form-encoded', new URLSearchParams({ v: text }).toString().slice(2)],
		['hex', hex],
		['hex, upper case', hex.toUpperCase()],
		['HTML-escaped', text.replace(/[&<>"']/g, (char) => HTML[char])],
		['HTML-escaped, &#x27;', text.replace(/[&<>"']/g, (char) => (char === "'" ? '&#x27;' : HTML[char]))],
		['HTML-escaped, &apos;', text.replace(/[&<>"']/g, (char) => (char === "'" ? '&apos;' : char === '"' ? '&#34;' : HTML[char]))],
	];
}

export function secretsOf(values: SecretValues): Canary[] {
	const canaries: Canary[] = [];
	const add = (label: string, value: string | undefined): void => {
		if (value === undefined || value.trim() === '' || canaries.some((c) => c.value === value)) return;
		canaries.push({ label, value });
	};
	for (const key of ['authtoken', 'password', 'loginToken', 'applicationSecret', 'certificatePassword', 'refreshToken'] as const) {
		const value = values[key];
		if (value === undefined) continue;
		add(key, value);
		add(`${key} (trimmed)`, value.trim());
		add(`base64 of ${key}`, base64(value));
		for (const [form, plain] of [['', value], ['base64 of ', base64(value)]]) {
			for (const [encoding, encoded] of encodedForms(plain)) add(`${encoding} ${form}${key}`, encoded);
		}
	}
	if (values.certificate) {
		const encoded = values.certificate.toString('base64');
		add('certificate (base64)', encoded);
		const middle = Math.floor(encoded.length / 2);
		add('certificate (base64, a 48-char slice)', encoded.slice(middle, middle + 48));
	}
	return canaries;
}

function serialize(value: unknown): string {
	if (value === undefined) return '';
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, v: unknown) => {
		if (typeof v === 'object' && v !== null) {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
		}
		if (v instanceof Error) return { ...v, name: v.name, message: v.message, stack: v.stack };
		return v;
	});
}

/** Where a secret would show if it leaked, as text to search. */
export function leakSurfaces(result: RunNodeResult): Array<{ place: string; text: string }> {
	const surfaces: Array<{ place: string; text: string }> = [
		{ place: 'output items', text: serialize(result.items) },
		{ place: 'all outputs (error output included)', text: serialize(result.outputs) },
	];
	const errors = [
		['node error', result.error],
		['execution error', result.run?.data.resultData.error],
	] as const;
	for (const [place, error] of errors) {
		if (!error) continue;
		surfaces.push({ place: `${place} message`, text: String(error.message ?? '') });
		surfaces.push({ place: `${place} description`, text: String(error.description ?? '') });
		surfaces.push({ place: `${place} (serialized)`, text: serialize(error) });
	}
	// What n8n stores of the node's run (its data and error, deeply) and the run's error. Not the
	// input node's data (the certificate file is the user's input) nor the execution stack (the
	// workflow's nodes with the user's own parameters).
	surfaces.push({ place: 'run data (serialized)', text: serialize([result.runData?.[result.name], result.run?.data.resultData.error]) });
	result.logs.forEach((line, index) => surfaces.push({ place: `log line ${index}`, text: line }));
	return surfaces;
}

/** Fails, naming the place and the kind of secret (not its value), if any canary leaked. */
export function expectNoSecrets(result: RunNodeResult, canaries: Canary[]): void {
	if (canaries.length === 0) throw new Error('expectNoSecrets: no canaries given, the check would prove nothing');
	const leaks: string[] = [];
	for (const { place, text } of leakSurfaces(result)) {
		for (const canary of canaries) {
			if (text.includes(canary.value)) leaks.push(`${canary.label} in ${place}`);
		}
	}
	expect(leaks).toEqual([]);
}
