/** The simulator's HTTP(S) server: lifecycle, recording, validation, scripting and dispatch. */
import { readFileSync } from 'fs';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'http';
import { createServer as createHttpsServer } from 'https';
import type { AddressInfo, Socket } from 'net';

import { TLS_CERT_PATH, TLS_KEY_PATH } from '../fixtures';
import { AlertBook, type AlertSeed, type SimAlert } from './alerts';
import { newApp } from './apps';
import { AuthState, DEFAULT_AUTHTOKEN, DEFAULT_USER } from './auth';
import { actingCompany, companyRef, seedCompanies } from './companies';
import { SimJobs } from './jobs';
import { SimProtection } from './protection';
import { checkPaging, QueryValues } from './lists';
import { checkPlanSeed, DEFAULT_PLANS } from './plans';
import { ERROR_CODES, genericError, Reply, Route, ROUTES, SimContext } from './routes';
import { formatErrors, Schema, ValidationError } from './schema';
import { CommvaultErrors, matches, ResponseQueue } from './scripts';
import { loadSpec } from './spec';
import type { AppSeed, PlanSeed, RecordedRequest, RequestMatch, ScriptedResponse, SimApp, SimCompany, SimPaging, SimulatorOptions, SimUser } from './types';

type Latency = NonNullable<SimulatorOptions['latencyMs']>;

const DEFAULT_BASE_PATH = '/commandcenter/api';
const FIRST_APP_ID = 1001;
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** What a wrong base URL typically gets from the web server in front of Command Center. */
const NOT_FOUND_HTML =
	'<!doctype html><html><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1></body></html>';
const METHOD_NOT_ALLOWED_HTML =
	'<!doctype html><html><head><title>HTTP Status 405 – Method Not Allowed</title></head><body><h1>HTTP Status 405 – Method Not Allowed</h1></body></html>';

function isLoopback(host: string): boolean {
	return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A request target split up; `path` is undefined when the URL is outside the base path. */
interface Target {
	fullPath: string;
	path?: string;
	query: Record<string, string>;
	/** Every `name=value` of the query in order, so a parameter given twice is seen. */
	queryPairs: Array<[string, string]>;
}

interface Validation {
	errors: ValidationError[];
	/** 415 for a body that is not declared as JSON, else 400. */
	status: number;
	pathParams: Record<string, string>;
	query: QueryValues;
}

export class CommvaultSimulator {
	/** Every request received since start (or the last reset), in arrival order. */
	readonly requests: RecordedRequest[] = [];

	private readonly options: Required<Pick<SimulatorOptions, 'host' | 'port' | 'basePath'>> & SimulatorOptions;
	private readonly users: SimUser[];
	private ctx: SimContext;
	private readonly queue = new ResponseQueue();
	private server?: Server;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private url?: string;
	private seq = 0;
	private latency: Latency = 0;
	private active = 0;
	private peakActive = 0;
	private pagingNow: SimPaging;

	constructor(options: SimulatorOptions = {}) {
		const host = options.host ?? (options.tls ? 'localhost' : '127.0.0.1');
		if (!isLoopback(host)) throw new Error(`CommvaultSimulator listens on loopback only; refusing host '${host}'`);
		const port = options.port ?? 0;
		if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port ${port}`);
		if (options.tokenUses !== undefined && (!Number.isInteger(options.tokenUses) || options.tokenUses < 0)) {
			throw new Error(`tokenUses must be a non-negative integer, got ${options.tokenUses}`);
		}
		if (options.maxBodyBytes !== undefined && (!Number.isInteger(options.maxBodyBytes) || options.maxBodyBytes < 0)) {
			throw new Error(`maxBodyBytes must be a non-negative integer, got ${options.maxBodyBytes}`);
		}
		const basePath = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, '');
		this.options = { ...options, host, port, basePath };
		this.users = (options.users ?? [DEFAULT_USER]).map((u) => ({ ...u }));
		loadSpec(); // fail at construction, not on the first request, if the document is broken
		this.pagingNow = checkPaging(options.paging ?? {});
		this.ctx = this.newContext();
		this.seedApps();
		this.latencyMs = options.latencyMs ?? 0;
	}

	/** Milliseconds every answer waits before it is sent (see SimulatorOptions.latencyMs). */
	get latencyMs(): Latency {
		return this.latency;
	}

	set latencyMs(ms: Latency) {
		if (typeof ms === 'number' && (!Number.isFinite(ms) || ms < 0)) throw new Error(`latencyMs must be a non-negative number, got ${ms}`);
		this.latency = ms;
	}

	/** How list operations count pages (see SimPaging); reset() keeps it. */
	get paging(): SimPaging {
		return { ...this.pagingNow };
	}

	set paging(paging: Partial<SimPaging>) {
		this.pagingNow = checkPaging(paging);
		this.ctx.paging = this.pagingNow;
	}

	/** Raises a triggered alert (`GET /V4/TriggeredAlerts` lists it), detected now by Commvault's clock unless the seed says when. */
	raiseAlert(seed: AlertSeed = {}): SimAlert {
		return this.ctx.alerts.raise(seed);
	}

	/** The triggered alerts, oldest raised first. */
	get alerts(): SimAlert[] {
		return this.ctx.alerts.all;
	}

	/** Requests received and not answered yet. */
	get inFlight(): number {
		return this.active;
	}

	/** The most requests in flight at once since start (or the last reset / resetMaxInFlight). */
	get peakInFlight(): number {
		return this.peakActive;
	}

	resetMaxInFlight(): void {
		this.peakActive = this.active;
	}

	/** Starts listening; resolves to the base URL, e.g. `https://127.0.0.1:40123/commandcenter/api`. */
	async start(): Promise<string> {
		if (this.server) throw new Error('CommvaultSimulator is already started');
		const tls = this.options.tls;
		const handler = (req: IncomingMessage, res: ServerResponse): void => void this.onRequest(req, res);
		const server: Server = tls
			? createHttpsServer(tls === true ? { cert: readFileSync(TLS_CERT_PATH), key: readFileSync(TLS_KEY_PATH) } : tls, handler)
			: createHttpServer(handler);
		// Track raw sockets so stop() can end keep-alive and half-open TLS connections too;
		// otherwise jest waits for them to time out.
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.options.port, this.options.host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.server = server;
		const { port } = server.address() as AddressInfo;
		const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
		this.url = `${tls ? 'https' : 'http'}://${host}:${port}${this.options.basePath}`;
		return this.url;
	}

	/** Stops listening and destroys every open connection. Safe to call twice or before start. */
	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		await closed;
	}

	get baseUrl(): string {
		if (!this.url) throw new Error('CommvaultSimulator is not started');
		return this.url;
	}

	get port(): number {
		return Number(new URL(this.baseUrl).port);
	}

	/** The static token accepted in `Authtoken` (null when only login tokens are accepted). */
	get authtoken(): string | null {
		return this.options.authtoken === undefined ? DEFAULT_AUTHTOKEN : this.options.authtoken;
	}

	get accounts(): readonly SimUser[] {
		return this.users;
	}

	get plans(): readonly PlanSeed[] {
		return this.ctx.plans;
	}

	/** Replaces the plans the simulator knows (e.g. to test pickers with another seed). */
	setPlans(plans: readonly PlanSeed[]): void {
		checkPlanSeed(plans);
		this.ctx.plans = plans.map((p) => ({ ...p }));
	}

	/** Commvault's jobs and the simulated clock they run on (jobs.ts); reset() starts a new one. */
	get jobs(): SimJobs {
		return this.ctx.jobs;
	}

	/** The protected items of each Microsoft 365 app, and every backup started (protection.ts). */
	get protection(): SimProtection {
		return this.ctx.protection;
	}

	/** The apps that exist (every workload), created by requests or seeded; live objects. */
	get apps(): SimApp[] {
		return [...this.ctx.apps.values()];
	}

	app(idOrName: number | string): SimApp | undefined {
		return byIdOrName(this.ctx.apps, idOrName);
	}

	/** Creates an app directly (no request), e.g. as the target of an addContent test. */
	addApp(seed: AppSeed): SimApp {
		return this.addApps([seed])[0];
	}

	/** Creates many apps directly (see `generateApps`): 10,000 take a few milliseconds. */
	addApps(seeds: readonly AppSeed[]): SimApp[] {
		const plan = this.ctx.plans.find((p) => p.type === 'Server' && (p.status ?? 'ENABLED') === 'ENABLED');
		const serverPlan = plan ? { id: plan.id, name: plan.name } : { id: 0, name: '' };
		return seeds.map((seed) => {
			const id = seed.id ?? this.ctx.nextAppId;
			if (this.ctx.apps.has(id)) throw new Error(`App id ${id} already exists`);
			this.ctx.nextAppId = Math.max(this.ctx.nextAppId, id + 1);
			const app = newApp(id, seed.name, seed.workload ?? 'Dynamics365', { ...serverPlan }, seed.stats);
			if (seed.companyId !== undefined) {
				if (!this.ctx.companies.has(seed.companyId)) throw new Error(`App '${seed.name}': no company with id ${seed.companyId}`);
				app.company = companyRef(this.ctx, seed.companyId);
			}
			this.ctx.apps.set(id, app);
			return app;
		});
	}

	/** The companies that exist (seeded or created by requests); live objects. */
	get companies(): SimCompany[] {
		return [...this.ctx.companies.values()];
	}

	company(idOrName: number | string): SimCompany | undefined {
		return byIdOrName(this.ctx.companies, idOrName);
	}

	/**
	 * Answers the next `times` requests matching `match` with `response` instead of simulating
	 * Commvault. Scripted requests are still recorded and schema-checked; auth is not checked.
	 */
	respondNext(match: RequestMatch, response: ScriptedResponse, times = 1): void {
		this.queue.add(this.relativeMatch(match), response, times);
	}

	/** `respondNext` with a default HTTP 500 GenericResp. */
	failNext(match: RequestMatch, response: ScriptedResponse = CommvaultErrors.generic(500, 500, 'Internal server error.'), times = 1): void {
		this.respondNext(match, response, times);
	}

	/** Scripted answers not used yet. */
	get pendingResponses(): number {
		return this.queue.pending;
	}

	/** Recorded requests to an endpoint; a string path matches case-insensitively like routing does. */
	requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
		const match = this.relativeMatch({ method, path });
		return this.requests.filter((r) => matches(match, r.method, r.path));
	}

	get lastRequest(): RecordedRequest | undefined {
		return this.requests[this.requests.length - 1];
	}

	clearRequests(): void {
		this.requests.length = 0;
	}

	/** Back to the just-started state: no recordings, no scripts, seeded apps only, no login sessions. */
	reset(): void {
		this.clearRequests();
		this.queue.clear();
		this.seq = 0;
		this.peakActive = this.active;
		this.ctx = this.newContext();
		this.seedApps();
	}

	/** Every login token issued so far now gets 401 (the static authtoken keeps working). */
	expireLoginTokens(): void {
		this.ctx.auth.expireLoginTokens();
	}

	private newContext(): SimContext {
		const plans = (this.options.plans ?? DEFAULT_PLANS).map((p) => ({ ...p }));
		checkPlanSeed(plans);
		const jobs = new SimJobs();
		return {
			plans,
			apps: new Map(),
			nextAppId: FIRST_APP_ID,
			...seedCompanies(this.options.companies ?? []),
			auth: new AuthState({
				authtoken: this.authtoken,
				users: this.users,
				tokenUses: this.options.tokenUses,
				acceptBearer: this.options.acceptBearer ?? false,
			}),
			loginFailure: this.options.loginFailure ?? 'errList',
			paging: this.pagingNow,
			jobs,
			alerts: new AlertBook(jobs.clock),
			protection: new SimProtection(),
		};
	}

	private seedApps(): void {
		this.addApps(this.options.apps ?? []);
	}

	/** Lets tests write a match with or without the base path. */
	private relativeMatch(match: RequestMatch): RequestMatch {
		if (typeof match.path !== 'string') return match;
		const base = this.options.basePath.toLowerCase();
		const path = match.path.toLowerCase().startsWith(`${base}/`) ? match.path.slice(base.length) : match.path;
		return { ...match, path };
	}

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		this.active++;
		this.peakActive = Math.max(this.peakActive, this.active);
		try {
			await this.answer(req, res);
		} finally {
			this.active--;
		}
	}

	private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
		try {
			const raw = await readBody(req, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
			const target = this.parseTarget(req.url ?? '/');
			const record = this.record(req, target, raw);
			const route = target.path === undefined ? undefined : findRoute(record.method, target.path);
			const validation = route ? this.validate(route, record, target, raw) : undefined;
			record.operationId = route?.operationId;
			record.schemaErrors = validation?.errors ?? [];
			record.valid = record.schemaErrors.length === 0;
			const latency = typeof this.latency === 'function' ? this.latency(record) : this.latency;
			if (latency > 0) await this.sleep(latency);

			const scripted = this.queue.take(record.method, record.path, record);
			if (scripted) {
				record.scripted = true;
				if (scripted.delayMs) await this.sleep(scripted.delayMs);
				if (scripted.afterSimulating && raw !== 'too-large') this.simulate(req, record, target, route, validation);
				if (scripted.hang) {
					record.status = 0;
					return;
				}
				if (scripted.destroySocket) {
					req.socket.destroy();
					return;
				}
				await this.send(res, record, scripted);
				return;
			}
			const reply =
				raw === 'too-large'
					? genericError(413, ERROR_CODES.invalidRequest, 'Request body too large.')
					: this.simulate(req, record, target, route, validation);
			await this.send(res, record, reply);
		} catch (error: unknown) {
			// A simulator bug must surface in the test, not hang the client.
			const message = error instanceof Error ? error.stack ?? error.message : String(error);
			if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
			res.end(`CommvaultSimulator internal error: ${message}`);
		}
	}

	/** Keeps the path exactly as sent (no decoding or normalising) so tests can assert its spelling. */
	private parseTarget(url: string): Target {
		const queryAt = url.indexOf('?');
		const fullPath = queryAt < 0 ? url : url.slice(0, queryAt);
		const base = this.options.basePath;
		const underBase = fullPath.toLowerCase().startsWith(`${base.toLowerCase()}/`);
		const queryPairs = [...new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1))];
		return { fullPath, path: underBase ? fullPath.slice(base.length) : undefined, query: Object.fromEntries(queryPairs), queryPairs };
	}

	private record(req: IncomingMessage, target: Target, raw: Buffer | 'too-large'): RecordedRequest {
		const rawBody = raw === 'too-large' ? '' : raw.toString('utf8');
		let body: unknown;
		if (rawBody.trim() !== '') {
			try {
				body = JSON.parse(rawBody) as unknown;
			} catch {
				body = undefined;
			}
		}
		const record: RecordedRequest = {
			seq: ++this.seq,
			receivedAt: Date.now(),
			method: (req.method ?? 'GET').toUpperCase(),
			path: target.path ?? target.fullPath,
			fullPath: target.fullPath,
			query: target.query,
			headers: Object.fromEntries(
				Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value ?? '']),
			),
			rawBody,
			body,
			valid: true,
			schemaErrors: [],
			scripted: false,
			status: 0,
			responseBody: undefined,
		};
		this.requests.push(record);
		return record;
	}

	private validate(route: Route, record: RecordedRequest, target: Target, raw: Buffer | 'too-large'): Validation {
		const { registry } = loadSpec();
		const errors: ValidationError[] = [];
		const pathParams = route.pattern.exec(record.path)?.groups ?? {};
		for (const [name, schema] of Object.entries(route.pathParamSchemas)) {
			const value = fromText(schema, safeDecode(pathParams[name] ?? ''));
			for (const e of registry.validate(schema, value)) errors.push({ path: `{${name}}${e.path}`, message: e.message });
		}
		const query = route.queryParams ? this.validateQuery(route.queryParams, target.queryPairs, errors) : {};
		let status = 400;
		if (route.bodySchema) {
			const contentType = record.headers['content-type'] ?? '';
			if (raw === 'too-large' || record.rawBody.trim() === '') {
				errors.push({ path: '', message: 'a JSON request body is required' });
			} else if (!/^application\/json\s*(;|$)/i.test(contentType)) {
				status = 415;
				errors.push({ path: '', message: `Content-Type must be application/json, got '${contentType}'` });
			} else if (record.body === undefined) {
				errors.push({ path: '', message: 'is not valid JSON' });
			} else {
				errors.push(...registry.validate(route.bodySchema, record.body));
			}
		}
		return { errors, status, pathParams, query };
	}

	/**
	 * Only the parameters the operation declares, each once, each of its schema's type: Commvault
	 * ignores a misspelt `pagenumber` and answers page 0 again and again, which a client then takes
	 * for the whole list.
	 */
	private validateQuery(declared: NonNullable<Route['queryParams']>, pairs: Array<[string, string]>, errors: ValidationError[]): QueryValues {
		const { registry } = loadSpec();
		const query: QueryValues = {};
		const names = Object.keys(declared);
		for (const [name, text] of pairs) {
			const param = declared[name];
			if (!param) {
				const caseSlip = names.find((n) => n.toLowerCase() === name.toLowerCase());
				errors.push({ path: `?${name}`, message: `unknown query parameter${caseSlip ? ` (did you mean '${caseSlip}'?)` : ''}` });
			} else if (name in query) {
				errors.push({ path: `?${name}`, message: 'given more than once' });
			} else {
				query[name] = fromText(param.schema, text);
				for (const e of registry.validate(param.schema, query[name])) errors.push({ path: `?${name}`, message: e.message });
			}
		}
		for (const [name, param] of Object.entries(declared)) {
			if (param.required && !(name in query)) errors.push({ path: `?${name}`, message: 'is required' });
		}
		return query;
	}

	private simulate(
		req: IncomingMessage,
		record: RecordedRequest,
		target: Target,
		route: Route | undefined,
		validation: Validation | undefined,
	): Reply {
		if (!route || !validation) {
			const relative = target.path;
			const otherMethod = relative !== undefined && ROUTES.some((r) => r.pattern.test(relative));
			return otherMethod
				? { status: 405, headers: { 'Content-Type': 'text/html;charset=utf-8' }, body: METHOD_NOT_ALLOWED_HTML }
				: { status: 404, headers: { 'Content-Type': 'text/html;charset=utf-8' }, body: NOT_FOUND_HTML };
		}
		let username: string | undefined;
		if (route.authenticated) {
			const auth = this.ctx.auth.authenticate(req.headers);
			if (!auth.ok) return genericError(401, ERROR_CODES.unauthorized, 'Unauthorized');
			username = auth.username;
		}
		const acting = actingCompany(this.ctx, req.headers);
		if ('reply' in acting) return acting.reply;
		if (validation.errors.length > 0) {
			return genericError(validation.status, ERROR_CODES.invalidRequest, `Invalid request: ${formatErrors(validation.errors)}`);
		}
		const reply = route.handle(this.ctx, { body: record.body, pathParams: validation.pathParams, query: validation.query, username, company: acting.company });
		if (route.responseSchema && reply.status === 200) {
			const errors = loadSpec().registry.validate(route.responseSchema, reply.body);
			if (errors.length > 0) throw new Error(`${route.operationId} answer breaks ${route.responseSchema}: ${formatErrors(errors)}`);
		}
		return reply;
	}

	private async send(res: ServerResponse, record: RecordedRequest, reply: Reply | ScriptedResponse): Promise<void> {
		if (res.destroyed || res.writableEnded) return;
		const headers: Record<string, string> = { ...reply.headers };
		const hasContentType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
		const echo = (reply as ScriptedResponse).echo;
		const body = echo ? echo(record) : reply.body;
		let payload: Buffer;
		if (body === undefined) {
			payload = Buffer.alloc(0);
		} else if (typeof body === 'string' || Buffer.isBuffer(body)) {
			payload = Buffer.from(body);
			if (!hasContentType) headers['Content-Type'] = 'text/plain;charset=utf-8';
		} else {
			payload = Buffer.from(JSON.stringify(body));
			if (!hasContentType) headers['Content-Type'] = 'application/json;charset=utf-8';
		}
		record.status = reply.status ?? 200;
		record.responseBody = body;
		res.writeHead(record.status, { ...headers, 'Content-Length': String(payload.length) });
		const scripted = reply as ScriptedResponse;
		if (scripted.cutAfterBytes !== undefined) {
			res.write(payload.subarray(0, scripted.cutAfterBytes), () => res.destroy());
			return;
		}
		if (scripted.trickleMs !== undefined) {
			for (const byte of payload) {
				if (res.destroyed) return;
				res.write(Buffer.from([byte]));
				await this.sleep(scripted.trickleMs);
			}
		}
		res.end(scripted.trickleMs !== undefined ? undefined : payload);
	}

	/** A delay that stop() cancels; the pending request then just dies with its socket. */
	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}
}

/** By id, or by name ignoring case (Commvault's names are). */
function byIdOrName<T extends { name: string }>(records: Map<number, T>, idOrName: number | string): T | undefined {
	if (typeof idOrName === 'number') return records.get(idOrName);
	return [...records.values()].find((record) => record.name.toLowerCase() === idOrName.toLowerCase());
}

function findRoute(method: string, path: string): Route | undefined {
	return ROUTES.find((r) => r.method === method && r.pattern.test(path));
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			// Keep draining past the limit so the client can still read our 413.
			if (size <= maxBytes) chunks.push(chunk);
		});
		req.on('end', () => resolve(size > maxBytes ? 'too-large' : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** A path or query parameter's text as the value its schema types it (a number, a boolean); else the text, for the validator to refuse. */
function fromText(schema: Schema, text: string): string | number | boolean {
	if ((schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
	if (schema.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
	return text;
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment; // malformed %-escape: validate the text as sent
	}
}
