// Integration tier, `npm run test:integration`: src/**/*.test.ts. Each file boots the whole app on its own
// database on the PostgreSQL server at TEST_DATABASE_URL (or spawns dist/main.js, dist/cli.js: build first);
// files run one at a time (--runInBand), and booting can take a while, hence the generous timeout.
module.exports = require('../jest.base.cjs').tsProject(['<rootDir>/src/**/*.test.ts'], { testTimeout: 180_000 });
