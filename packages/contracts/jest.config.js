// `npm test -w packages/contracts`: the schema tests and the docs/internal-api.md check, src/**/*.test.ts.
module.exports = require('../../jest.base.cjs').tsProject(['<rootDir>/src/**/*.test.ts']);
