// Unit tier, `npm run test:unit`: src/**/*.spec.ts. No database, no network, no app boot: pure functions and
// Nest providers built with @nestjs/testing (Test.createTestingModule + overrideProvider for DataSource and
// collaborators). Must pass with PostgreSQL stopped.
module.exports = require('../jest.base.cjs').tsProject(['<rootDir>/src/**/*.spec.ts'], { testTimeout: 15_000 });
