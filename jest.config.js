/**
 * Unit and engine tiers: the node inside n8n-core's WorkflowExecute against the Commvault simulator.
 * Tests live in test/; the harness they use (testing/) holds no tests, so jest does not look there.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	// the n8n lockfiles' package.json files are not modules of this project
	modulePathIgnorePatterns: ['<rootDir>/testing/e2e/installs/'],
	testMatch: ['**/test/**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 30000,
};
