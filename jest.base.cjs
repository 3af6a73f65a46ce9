// Shared by the workspaces' jest configs. @swc/jest compiles each TypeScript file on its own, without type
// checking (that stays in each workspace's `lint` and `build`, i.e. tsc), and emits what tsc emits for Nest
// and TypeORM: legacy decorators with their `design:*` metadata, define-semantics class fields (ES2022+).
const swc = {
  swcrc: false,
  sourceMaps: 'inline',
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2023',
    keepClassNames: true,
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
  },
};

/** A node-environment project that runs TypeScript test files matched by `testMatch`, never from dist/. */
function tsProject(testMatch, extra = {}) {
  return {
    testEnvironment: 'node',
    testMatch,
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    transform: { '^.+\\.tsx?$': ['@swc/jest', swc] },
    setupFiles: [require.resolve('./jest.realm.cjs')],
    verbose: true,
    ...extra,
  };
}

module.exports = { swc, tsProject };
