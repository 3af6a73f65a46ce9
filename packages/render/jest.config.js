// `npm test -w packages/render`: the pure renderer tests, src/**/*.test.ts (the budget tests render big inputs: 30 s each).
module.exports = require('../../jest.base.cjs').tsProject(['<rootDir>/src/**/*.test.ts'], { testTimeout: 30_000 });
