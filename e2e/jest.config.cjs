// `npm test -w e2e`: src/**/*.test.mjs, native ES modules (hence --experimental-vm-modules in the test script,
// and no transform). Each file starts the whole stack with a real n8n; one file at a time, and every test and
// hook may take up to 15 minutes (what node:test's per-suite { timeout: 900_000 } allowed).
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.mjs'],
  testPathIgnorePatterns: ['/node_modules/'],
  moduleFileExtensions: ['mjs', 'js', 'cjs', 'json'],
  transform: {},
  setupFiles: [require.resolve('../jest.realm.cjs')],
  testTimeout: 900_000,
  verbose: true,
};
