/**
 * A bare Node http(s) client for the simulator's own tests: it must send things real clients
 * would not (raw non-JSON bodies, wrong content types, no token), so no library in between.
 */
import { Agent as HttpAgent, IncomingHttpHeaders, request as httpRequest } from 'http';
import { Agent as HttpsAgent, request as httpsRequest } from 'https';

import { DEFAULT_AUTHTOKEN } from './auth';

export interface CallOptions {
	/** Sent as JSON with `Content-Type: application/json`. */
	body?: unknown;
	/** Sent as is; set the content type yourself in `headers`. */
	rawBody?: string;
	headers?: Record<string, string>;
	/** The `Authtoken` header; default DEFAULT_AUTHTOKEN, null sends none. */
	token?: string | null;
	/** CA to trust for HTTPS (otherwise the self-signed certificate is rejected). */
	ca?: string | Buffer;
	agent?: HttpAgent | HttpsAgent;
}

export interface CallResult {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
	/** Parsed body, undefined when it is not JSON. */
	json: unknown;
}

export function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
	const url = new URL(baseUrl + path);
	const headers: Record<string, string> = { Accept: 'application/json' };
	const token = options.token === undefined ? DEFAULT_AUTHTOKEN : options.token;
	if (token !== null) headers.Authtoken = token;
	let payload: string | undefined = options.rawBody;
	if (options.body !== undefined) {
		payload = JSON.stringify(options.body);
		headers['Content-Type'] = 'application/json';
	}
	Object.assign(headers, options.headers);
	const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		const req = send(url, { method, headers, ca: options.ca, agent: options.agent }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json: unknown;
				try {
					json = JSON.parse(text) as unknown;
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(payload);
	});
}

export function base64(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}
