// One ESLint config for the whole repository (every workspace, the root scripts and bench).
// `npm run lint` at the root runs it over everything; a workspace's own `npm run lint` runs
// `eslint .` there, which finds this file (ESLint 9 looks upwards) and lints that folder with it.
// Formatting is Prettier's job (.prettierrc.json): eslint-config-prettier, last, turns off every
// stylistic rule.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import eslintConfigPrettier from 'eslint-config-prettier/flat';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importPlugin from 'eslint-plugin-import-x';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import reactHooks from 'eslint-plugin-react-hooks';
import { globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;
const TS = ['**/*.ts', '**/*.tsx'];
const JS = ['**/*.js', '**/*.mjs', '**/*.cjs'];

export default tseslint.config(
  globalIgnores([
    '**/dist/',
    '**/.test-build/',
    '**/coverage/',
    '.data/',
    '.n8n/',
    'bench/out/',
    'test-results/',
    'n8n-runtime/node_modules/',
    'backend/src/metadata.ts',
  ]),

  // Everything: ESLint's and typescript-eslint's recommended rules, Node globals.
  {
    files: [...TS, ...JS],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter or binding that is deliberately unused (tsc's noUnusedLocals/Parameters agree).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: TS,
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    rules: {
      // URLSearchParams and URL print themselves well (Node declares them, not TypeScript's lib).
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allow: [
            { from: 'lib', name: ['Error', 'URL', 'URLSearchParams'] },
            { from: 'package', package: 'url', name: ['URL', 'URLSearchParams'] },
          ],
        },
      ],
      // Off: String(value) of an `unknown` narrowed to `{}` is how the sandbox and the nodes print
      // arbitrary input on purpose; template literals are still checked by restrict-template-expressions.
      '@typescript-eslint/no-base-to-string': 'off',
      // Passing on a caught `unknown` is fine; constructing a rejection from a non-Error is not.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Off: methods implement async interfaces (n8n's execute/webhookMethods, client stubs) without awaiting.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests poke at parsed JSON and mock internals: `any` is the honest type there.
    files: ['**/*.test.ts', '**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Only web and e2e are "type": "module"; every other .js (jest configs, n8n-nodes/index.js) is CommonJS.
    files: ['**/*.cjs', '**/*.js'],
    ignores: ['web/**/*.js', 'e2e/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // The web UI runs in the browser; the Rules of Hooks apply to its components.
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    extends: [reactHooks.configs.flat.recommended],
  },

  // n8n-nodes: n8n's own community-node rules on top. This is @n8n/node-cli's
  // `configWithoutCloudSupport` (node-cli 0.48.3, dist/configs/eslint.js), rebuilt from the same
  // plugins and versions because installing @n8n/node-cli itself drags @n8n/ai-node-sdk -> langchain
  // into the workspace. `WithoutCloudSupport`: the package bundles provider SDKs and uses timers for
  // pacing, which the n8n Cloud rules (no runtime dependencies, no setTimeout) forbid; self-hosted only.
  ...n8nNodes('n8n-nodes/'),

  // Last: switch off every rule that Prettier's formatting would fight.
  eslintConfigPrettier,
);

/** n8n's community-node rules for the package in `dir` (a path relative to this file, ending in '/'). */
function n8nNodes(dir) {
  const communityNodesRecommended = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;
  const ts = [`${dir}credentials/**/*.ts`, `${dir}nodes/**/*.ts`, `${dir}test/**/*.ts`];
  return tseslint.config(
    {
      files: ts,
      extends: [communityNodesRecommended, importPlugin.configs['flat/recommended']],
      plugins: { 'n8n-nodes-base': n8nNodesBase },
      settings: {
        'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}/${dir}tsconfig.json` })],
      },
      rules: {
        'prefer-spread': 'off',
        'no-console': 'error',
      },
    },
    {
      files: [`${dir}package.json`],
      extends: [communityNodesRecommended],
      plugins: { 'n8n-nodes-base': n8nNodesBase },
      rules: { ...n8nNodesBase.configs.community.rules },
      languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
    },
    {
      files: [`${dir}credentials/**/*.ts`],
      rules: {
        ...n8nNodesBase.configs.credentials.rules,
        'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
        'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
      },
    },
    {
      files: [`${dir}nodes/**/*.ts`],
      rules: {
        ...n8nNodesBase.configs.nodes.rules,
        'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
        'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
        'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
      },
    },
    {
      // Turned off, see n8n-nodes/README "Lint": these nodes work on leased batches inside the Cadence
      // loop; offered to an AI agent as tools they would send messages outside the lease protocol.
      files: [`${dir}nodes/**/*.node.ts`],
      rules: { '@n8n/community-nodes/node-usable-as-tool': 'off' },
    },
    {
      // Plain TypeScript shared with the tests (no n8n context there): errors are domain errors;
      // every node's router wraps them into NodeOperationError.
      files: [`${dir}nodes/shared/**/*.ts`, `${dir}nodes/CadenceSend/engine.ts`, `${dir}nodes/CadenceSend/channels/**/*.ts`],
      rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
    },
    {
      // Tests are not part of the package: they may use console and test-only imports.
      files: [`${dir}test/**/*.ts`],
      rules: { 'no-console': 'off' },
    },
  );
}
