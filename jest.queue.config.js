/** Queue-mode tier: the packed package on n8n main + workers with PostgreSQL and Redis (run via scripts/queue/run.sh). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	// *.queue.ts, not *.test.ts: the unit/engine tier (jest.config.js) must not pick it up
	testMatch: ['**/test/queue/**/*.queue.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 5 * 60 * 1000,
	maxWorkers: 1,
	verbose: true,
};
