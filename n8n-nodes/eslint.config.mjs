// n8n's own community-node lint rules: this is @n8n/node-cli's `configWithoutCloudSupport`
// (node-cli 0.48.3, dist/configs/eslint.js), rebuilt from the same plugins and versions because
// installing @n8n/node-cli itself drags @n8n/ai-node-sdk -> langchain into the workspace.
// `WithoutCloudSupport`: the package bundles provider SDKs and uses timers for pacing, which the
// n8n Cloud rules (no runtime dependencies, no setTimeout) forbid; self-hosted only.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importPlugin from 'eslint-plugin-import-x';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodesRecommended = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default tseslint.config(
	globalIgnores(['dist', '.test-build', 'scripts', 'index.js', 'eslint.config.mjs']),
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, communityNodesRecommended, importPlugin.configs['flat/recommended']],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
	},
	{
		files: ['package.json'],
		extends: [communityNodesRecommended],
		rules: { ...n8nNodesBase.configs.community.rules },
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{
		files: ['./credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['./nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		// Turned off, see README "Lint": these nodes work on leased batches inside the Cadence loop;
		// offered to an AI agent as tools they would send messages outside the lease protocol.
		files: ['./nodes/**/*.node.ts'],
		rules: { '@n8n/community-nodes/node-usable-as-tool': 'off' },
	},
	{
		// Plain TypeScript shared with the tests (no n8n context there): errors are domain errors;
		// every node's router wraps them into NodeOperationError.
		files: ['./nodes/shared/**/*.ts', './nodes/CadenceSend/engine.ts', './nodes/CadenceSend/channels/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// Tests are not part of the package: they may use console and test-only imports.
		files: ['test/**/*.ts'],
		rules: { 'no-console': 'off' },
	},
);
