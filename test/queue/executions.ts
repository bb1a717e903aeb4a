/**
 * n8n's executions as stored in PostgreSQL, read with psql (installed with the server) and
 * un-flatted with the `flatted` module of the n8n install under test, as n8n itself stores them.
 */
import { createRequire } from 'module';
import * as path from 'path';

import { N8nCliError, run, type N8nInstall, type RunExecutionDataJson, type StoredExecution } from '../../testing/e2e/n8n-cli';
import type { Services } from './cluster';

export interface QueueExecution extends StoredExecution {
	mode: string;
	finished: boolean;
	retryOf: string | null;
}

interface Row {
	id: number;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	retryOf: string | null;
	data: string | null;
}

export async function psql(services: Services, sql: string): Promise<string> {
	const { host, port, user, password, database } = services.pg;
	const result = await run('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', String(port), '-U', user, '-d', database, '-c', sql], {
		env: { ...process.env, PGPASSWORD: password },
		timeoutMs: 60_000,
	});
	if (result.exitCode !== 0) throw new N8nCliError('psql failed', result);
	return result.stdout;
}

/** Every execution of these workflows, oldest first, with its run data. */
export async function queueExecutions(services: Services, install: N8nInstall, workflowIds: string[]): Promise<QueueExecution[]> {
	const ids = workflowIds.map((id) => `'${id.replace(/'/g, "''")}'`).join(',');
	const out = await psql(
		services,
		`SELECT coalesce(json_agg(json_build_object('id', e.id, 'workflowId', e."workflowId", 'status', e.status, 'mode', e.mode,
			'finished', e.finished, 'retryOf', e."retryOf", 'data', d.data) ORDER BY e.id), '[]'::json)
		FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" IN (${ids})`,
	);
	const { parse } = createRequire(path.join(install.dir, 'package.json'))('flatted') as { parse: (text: string) => unknown };
	return (JSON.parse(out) as Row[]).map((row) => ({
		...row,
		data: (row.data === null ? { resultData: { runData: {} } } : parse(row.data)) as RunExecutionDataJson,
	}));
}

export function countBy<T>(values: T[], key: (value: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[key(value)] = (counts[key(value)] ?? 0) + 1;
	return counts;
}
