import { inspect } from 'node:util';

import type { LogMetadata, Logger } from 'n8n-workflow';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * Records every message n8n logs, with its metadata rendered to text.
 *
 * Metadata is rendered with `util.inspect` rather than JSON because n8n logs
 * Error objects (whose message/stack/cause are non-enumerable for JSON) and
 * circular axios structures; a secret hidden in any of those must still show
 * up in the captured line so that "no secret in logs" assertions are honest.
 */
export class CapturingLogger implements Logger {
	readonly lines: string[] = [];

	constructor(private readonly echo = false) {}

	error(message: string, metadata?: LogMetadata): void {
		this.record('error', message, metadata);
	}

	warn(message: string, metadata?: LogMetadata): void {
		this.record('warn', message, metadata);
	}

	info(message: string, metadata?: LogMetadata): void {
		this.record('info', message, metadata);
	}

	debug(message: string, metadata?: LogMetadata): void {
		this.record('debug', message, metadata);
	}

	/** n8n-core's backend Logger API: scoped loggers must land in the same sink. */
	scoped(): this {
		return this;
	}

	private record(level: LogLevel, message: string, metadata?: LogMetadata): void {
		const rendered = metadata === undefined ? '' : ` ${renderForLog(metadata)}`;
		const line = `[${level}] ${renderForLog(message)}${rendered}`;
		this.lines.push(line);
		if (this.echo) process.stderr.write(`${line}\n`);
	}
}

/** Render anything n8n may pass to a logger as one complete, untruncated string. */
export function renderForLog(value: unknown): string {
	if (typeof value === 'string') return value;
	return inspect(value, {
		depth: Infinity,
		maxArrayLength: Infinity,
		maxStringLength: Infinity,
		breakLength: Infinity,
		compact: true,
		colors: false,
		getters: false,
	});
}

/** Swallows late log calls that arrive after a run has been torn down. */
export const discardingLogger: Logger = {
	error: () => undefined,
	warn: () => undefined,
	info: () => undefined,
	debug: () => undefined,
};
