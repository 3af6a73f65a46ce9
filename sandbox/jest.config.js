// `npm test -w sandbox`: each file starts its own sandbox servers on loopback, src/**/*.test.ts.
module.exports = require('../jest.base.cjs').tsProject(['<rootDir>/src/**/*.test.ts'], { testTimeout: 60_000 });
