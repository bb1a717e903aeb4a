/** Queue-mode tier (run via scripts/queue/run.sh): the e2e tier's settings, its own folder. */
const e2e = require('./jest.e2e.config.js');

module.exports = {
	...e2e,
	roots: ['<rootDir>/test/queue'],
	// *.queue.ts, not *.test.ts: the unit/engine tier (jest.config.js) must not pick it up
	testMatch: ['**/test/queue/**/*.queue.ts'],
};
