// n8n's verification bar, two layers:
// 1. @n8n/node-cli's lint configuration (what `n8n-node lint` applies to a package made from
//    n8n-nodes-starter), rebuilt here from the same plugins: @n8n/node-cli itself pulls in
//    LangChain through @n8n/ai-node-sdk, far too much for `npm ci`. Kept in step with
//    @n8n/node-cli 0.48.3's dist/configs/eslint.js (its `config`, with n8n Cloud support).
// 2. The rules applied before: the community-nodes plugin (what n8n's scanner runs) plus the
//    eslint-plugin-n8n-nodes-base community, credentials and nodes rule sets in full.
// Only what ships is linted (nodes/, credentials/, package.json); tests and scripts may use
// what node code must not (axios, console, fs).
import js from '@eslint/js';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

const shipped = ['credentials/**/*.ts', 'nodes/**/*.ts'];

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'testing/**', 'scripts/**', 'examples/**', 'docs/**', '*.js', '*.mjs'] },

	// 1. @n8n/node-cli
	{
		files: shipped,
		extends: [
			js.configs.recommended,
			tseslint.configs.recommended,
			communityNodes.configs.recommended,
			importX.flatConfigs.recommended,
		],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
	},

	// 2. the community-nodes plugin and eslint-plugin-n8n-nodes-base, as before
	{
		...communityNodes.configs.recommended,
		files: [...shipped, 'package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Documented by the plugin as "only applicable to nodes in the main repository": it
			// wants a docs slug, while community credentials link a full URL (as n8n's starter does).
			// @n8n/node-cli turns it off too.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two predate NodeConnectionTypes and demand the literal 'main', which the
			// community plugin's node-connection-type-literal (applied by n8n's scanner) forbids.
			// @n8n/node-cli turns them off too.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
);
