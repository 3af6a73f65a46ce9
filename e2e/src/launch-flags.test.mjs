// The backend's V8 flags (backend/node-flags.mjs: its memory stays bounded only with them) reach every
// way of starting it: the Docker image, `npm start -w backend`, `npm start` and this harness.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { BACKEND_NODE_FLAGS } from '../../backend/node-flags.mjs';
import { ROOT, startStack } from './stack.mjs';

const read = (file) => readFileSync(join(ROOT, file), 'utf8');

describe("the backend's V8 flags", () => {
  let s;
  beforeAll(async () => {
    s = await startStack({ n8n: false });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('bound the old space and set the semi-space', () => {
    assert.ok(BACKEND_NODE_FLAGS.some((f) => /^--max-old-space-size=\d+$/.test(f)));
    assert.ok(BACKEND_NODE_FLAGS.some((f) => /^--max-semi-space-size=\d+$/.test(f)));
  });

  it("are the Docker image's command", () => {
    const cmd = read('Dockerfile').match(/^CMD (\[.*\])$/m);
    assert.ok(cmd, 'the Dockerfile has an exec-form CMD');
    assert.deepEqual(JSON.parse(cmd[1]), ['node', ...BACKEND_NODE_FLAGS, 'backend/dist/main.js']);
  });

  it("are the backend package's start script", () => {
    const { scripts } = JSON.parse(read('backend/package.json'));
    assert.equal(scripts.start, ['node', ...BACKEND_NODE_FLAGS, 'dist/main.js'].join(' '));
  });

  it('are what `npm start` passes to the backend', () => {
    assert.match(read('scripts/start.mjs'), /run\('backend', 'backend\/dist\/main\.js', backendEnv, BACKEND_NODE_FLAGS\);/);
  });

  it('are on the command line of the backend the test stack runs', () => {
    const argv = readFileSync(`/proc/${s.backend.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    assert.deepEqual(argv.slice(1, -1), BACKEND_NODE_FLAGS);
    assert.ok(argv.at(-1).endsWith('backend/dist/main.js'));
  });
});
