/**
 * Commvault's own response times in front of the simulator: on loopback the simulator answers a
 * /Login in about a millisecond, so a login started by one execution is stored before the next
 * execution even looks, and races between executions and workers never show. A real Command
 * Center takes hundreds of milliseconds to sign a user in. This proxy (127.0.0.1 only) holds each
 * request for a while before passing it on unchanged; the simulator still sees and records every
 * request exactly as n8n sent it.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface Latency {
	/** POST …/Login */
	loginMs: number;
	/** every other request */
	apiMs: number;
}

export class LatencyProxy {
	private server?: http.Server;

	constructor(
		private readonly target: URL,
		readonly latency: Latency,
	) {}

	/** The simulator's base URL, with the proxy's port. */
	async start(): Promise<string> {
		const server = http.createServer((req, res) => {
			const wait = req.method === 'POST' && /\/login$/i.test((req.url ?? '').split('?')[0]) ? this.latency.loginMs : this.latency.apiMs;
			setTimeout(() => {
				const upstream = http.request(
					{ host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
					(answer) => {
						res.writeHead(answer.statusCode ?? 502, answer.headers);
						answer.pipe(res);
					},
				);
				upstream.on('error', () => res.destroy());
				req.pipe(upstream);
			}, wait);
		});
		this.server = server;
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return `http://127.0.0.1:${port}${this.target.pathname}`;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
