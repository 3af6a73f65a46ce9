// `npm test -w packages/render`: the pure renderer tests, src/**/*.test.ts.
module.exports = require('../../jest.base.cjs').tsProject(['<rootDir>/src/**/*.test.ts']);
