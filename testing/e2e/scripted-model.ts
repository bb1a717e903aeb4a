/**
 * A loopback OpenAI-compatible chat model whose answers a test scripts (plain node:http, no
 * dependency): n8n's OpenAI Chat Model node, pointed at it by its credential's Base URL, sends
 * `POST <base>/chat/completions` as it would to OpenAI. Each request is recorded as received
 * (headers and body: what the model was given, its `tools` schema and every message), and
 * answered by the script's next turn: a call of the request's one tool with arguments, or a final
 * text. A turn may read the request, as a model reads the conversation (an error text, say).
 * Streaming requests (`stream: true`) are answered as server-sent events.
 *
 * ```ts
 * const model = new ScriptedModel();
 * const baseUrl = await model.start();           // http://127.0.0.1:<port>/v1
 * model.script([{ call: { appName: 'Contoso' } }, { answer: 'Done.' }]);
 * ... n8n execute ...
 * model.requests;                                 // what the model received, in order
 * await model.stop();
 * ```
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

export interface ChatTool {
	type: string;
	function: { name: string; description?: string; parameters?: { properties?: Record<string, unknown>; required?: string[] } };
}

export interface ChatRequest {
	model?: string;
	messages: ChatMessage[];
	tools?: ChatTool[];
	stream?: boolean;
}

export interface ModelRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	body: ChatRequest;
}

/** One answer of the model: a tool call with these arguments, or a final text. */
export type Turn = { call: Record<string, unknown> } | { answer: string };

export class ScriptedModel {
	readonly requests: ModelRequest[] = [];
	private turns: Array<Turn | ((request: ChatRequest) => Turn)> = [];
	private server?: http.Server;

	/** The turns, in order, for the requests to come; a turn may be worked out from the request it answers. */
	script(turns: Array<Turn | ((request: ChatRequest) => Turn)>): void {
		this.turns = [...turns];
		this.requests.length = 0;
	}

	async start(): Promise<string> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => this.answer(req, Buffer.concat(chunks).toString('utf8'), res));
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private answer(req: http.IncomingMessage, rawBody: string, res: http.ServerResponse): void {
		if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
			res.writeHead(404, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `the scripted model only answers POST /v1/chat/completions, not ${req.method} ${req.url}` } }));
			return;
		}
		let body: ChatRequest;
		try {
			body = JSON.parse(rawBody) as ChatRequest;
		} catch {
			res.writeHead(400).end();
			return;
		}
		this.requests.push({ method: req.method, path: req.url, headers: req.headers, rawBody, body });
		const next = this.turns.shift();
		if (!next) {
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `the script has no turn left for request ${this.requests.length}` } }));
			return;
		}
		let turn: Turn;
		let message: ChatMessage;
		try {
			turn = typeof next === 'function' ? next(body) : next;
			message = this.messageOf(turn, body);
		} catch (error) {
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `the script failed at request ${this.requests.length}: ${(error as Error).message}` } }));
			return;
		}
		const finish = 'call' in turn ? 'tool_calls' : 'stop';
		const id = `chatcmpl-${this.requests.length}`;
		const created = Math.floor(Date.now() / 1000);
		const model = body.model ?? 'scripted';
		if (body.stream) {
			res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
			const delta = message.tool_calls ? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) } : { role: 'assistant', content: message.content };
			const event = (choice: unknown): string => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [choice] })}\n\n`;
			res.write(event({ index: 0, delta, finish_reason: null }));
			res.write(event({ index: 0, delta: {}, finish_reason: finish }));
			res.end('data: [DONE]\n\n');
			return;
		}
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(
			JSON.stringify({
				id,
				object: 'chat.completion',
				created,
				model,
				choices: [{ index: 0, message, finish_reason: finish }],
				usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
			}),
		);
	}

	/** The assistant message of a turn; a call goes to the request's one tool, by the name n8n gave it. */
	private messageOf(turn: Turn, body: ChatRequest): ChatMessage {
		if ('answer' in turn) return { role: 'assistant', content: turn.answer };
		const tools = body.tools ?? [];
		if (tools.length !== 1) throw new Error(`the scripted model expects exactly one tool, got ${tools.length}`);
		return {
			role: 'assistant',
			content: null,
			tool_calls: [{ id: `call_${this.requests.length}`, type: 'function', function: { name: tools[0].function.name, arguments: JSON.stringify(turn.call) } }],
		};
	}
}
