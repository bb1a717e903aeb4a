import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Logger as BackendLogger } from '@n8n/backend-common';
import { InstanceSettingsConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService, ErrorReporter, InstanceSettings } from 'n8n-core';
// Not re-exported by n8n-core's index; needed only to shut it down (see below).
import {
	SSHClientsConfig,
	SSHClientsManager,
} from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import { LoggerProxy } from 'n8n-workflow';

import { CapturingLogger, discardingLogger } from './logger';

export type BinaryMode = 'default' | 'filesystem';

export interface EngineContext {
	/** Temp directory standing in for N8N_USER_FOLDER; removed by teardown. */
	readonly userFolder: string;
	readonly logger: CapturingLogger;
	readonly binaryDataService: BinaryDataService;
	readonly binaryMode: BinaryMode;
	teardown(): Promise<void>;
}

/**
 * n8n-core and the harness must share ONE `@n8n/di` Container (services are
 * looked up by class identity). If npm ever nests a second copy under
 * n8n-core/node_modules, our `Container.set` calls would silently go to the
 * wrong registry and n8n-core would build its own services from env vars.
 */
function assertSharedModules(): void {
	const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
	for (const mod of ['@n8n/di', '@n8n/backend-common', '@n8n/config']) {
		const ours = require.resolve(mod);
		const cores = require.resolve(mod, { paths: [coreDir] });
		if (ours !== cores) {
			throw new Error(
				`testing/engine: ${mod} resolves to ${ours} for the harness but ${cores} for n8n-core; ` +
					'the DI container would not be shared. Dedupe node_modules.',
			);
		}
	}
}

/**
 * The DI container and LoggerProxy are process-wide singletons, so two runs
 * must never overlap. Every engine use goes through this queue.
 */
let queue: Promise<unknown> = Promise.resolve();

export async function withEngine<T>(
	options: { binaryMode?: BinaryMode; echoLogs?: boolean },
	body: (engine: EngineContext) => Promise<T>,
): Promise<T> {
	const next = queue.then(async () => {
		const engine = await setUpEngine(options.binaryMode ?? 'default', options.echoLogs ?? false);
		try {
			return await body(engine);
		} finally {
			await engine.teardown();
		}
	});
	// Keep the queue alive even when a run rejects.
	queue = next.catch(() => undefined);
	return await next;
}

async function setUpEngine(binaryMode: BinaryMode, echoLogs: boolean): Promise<EngineContext> {
	assertSharedModules();

	// Drop every service instance from a previous run (config read from env,
	// binary managers, loggers), so each run starts from a known state.
	Container.reset();

	const userFolder = await mkdtemp(path.join(tmpdir(), 'n8n-engine-'));
	const logger = new CapturingLogger(echoLogs);

	// n8n-core resolves its backend Logger from DI (node `this.logger`,
	// ErrorReporter, BinaryDataService) and uses LoggerProxy for engine
	// messages; both must feed the same capture. The backend Logger class has
	// private winston fields, so our structural stand-in needs a cast.
	const backendLogger = logger as unknown as BackendLogger;
	Container.set(BackendLogger, backendLogger);
	LoggerProxy.init(logger);

	// Built by hand instead of from env so a developer's N8N_* variables or
	// ~/.n8n can never leak into (or be written by) a test run.
	const instanceSettingsConfig = new InstanceSettingsConfig();
	Object.assign(instanceSettingsConfig, {
		userHome: userFolder,
		n8nFolder: path.join(userFolder, '.n8n'),
		encryptionKey: 'n8n-engine-harness-encryption-key',
		// Write the settings file 0600 so n8n does not log a permissions warning.
		enforceSettingsFilePermissions: true,
	});
	Container.set(InstanceSettingsConfig, instanceSettingsConfig);
	const instanceSettings = new InstanceSettings(instanceSettingsConfig, backendLogger);
	Container.set(InstanceSettings, instanceSettings);

	const errorReporter = new ErrorReporter(backendLogger);
	Container.set(ErrorReporter, errorReporter);

	const binaryDataConfig = new BinaryDataConfig(instanceSettings);
	binaryDataConfig.mode = binaryMode;
	binaryDataConfig.availableModes = ['filesystem'];
	binaryDataConfig.localStoragePath = path.join(instanceSettings.n8nFolder, 'binaryData');
	Container.set(BinaryDataConfig, binaryDataConfig);
	const binaryDataService = new BinaryDataService(binaryDataConfig, errorReporter, backendLogger);
	await binaryDataService.init();
	Container.set(BinaryDataService, binaryDataService);

	// Every ExecuteContext pulls SSHClientsManager from DI, whose constructor
	// starts a 60 s interval and adds a process 'exit' listener. Left alone,
	// each run would leak both (Jest never exits, MaxListeners warnings), so
	// the harness owns the instance and dismantles it on teardown.
	const exitListenersBefore = new Set(process.listeners('exit'));
	const sshClientsManager = new SSHClientsManager(new SSHClientsConfig(), backendLogger);
	const sshExitListeners = process.listeners('exit').filter((listener) => !exitListenersBefore.has(listener));
	Container.set(SSHClientsManager, sshClientsManager);

	return {
		userFolder,
		logger,
		binaryDataService,
		binaryMode,
		async teardown() {
			sshClientsManager.onShutdown();
			for (const listener of sshExitListeners) process.removeListener('exit', listener);
			LoggerProxy.init(discardingLogger);
			Container.reset();
			await rm(userFolder, { recursive: true, force: true });
		},
	};
}
