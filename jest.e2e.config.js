/** Real-n8n e2e tier: the packed package inside real n8n (versions in testing/e2e/versions.json), driven by the n8n CLI. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	// the n8n lockfiles' package.json files are not modules of this project
	modulePathIgnorePatterns: ['<rootDir>/testing/e2e/installs/'],
	testMatch: ['**/test/e2e/**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// one n8n command takes 5-10 s; a cold install of n8n (in a beforeAll) takes minutes
	testTimeout: 5 * 60 * 1000,
	maxWorkers: 1,
	verbose: true,
};
