// `npm test -w web`: the browser test, test/**/*.test.ts. It boots the backend in-process from its sources
// (backend/src/test/test-app.ts, hence the decorator-aware transform) and drives Debian's chromium; it needs
// the UI built first (`npm run build -w web`) and one run at a time.
module.exports = require('../jest.base.cjs').tsProject(['<rootDir>/test/**/*.test.ts'], { testTimeout: 180_000 });
