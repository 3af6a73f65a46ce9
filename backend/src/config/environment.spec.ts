import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from '@jest/globals';
import { validateEnvironment } from './environment';

describe('DATA_DIR resolution: npm start and npm run cli find the same folder', () => {
  const repositoryRoot = resolve(__dirname, '..', '..', '..');

  it('defaults to the repository root .data whatever the working directory', () => {
    assert.equal(validateEnvironment({}).DATA_DIR, resolve(repositoryRoot, '.data'));
  });

  it('resolves a relative DATA_DIR from where the user ran npm (INIT_CWD), not the workspace npm switched to', () => {
    const before = process.env.INIT_CWD;
    process.env.INIT_CWD = '/srv/cadence';
    try {
      assert.equal(validateEnvironment({ DATA_DIR: 'state' }).DATA_DIR, '/srv/cadence/state');
    } finally {
      if (before === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = before;
    }
  });

  it('keeps an absolute DATA_DIR as it is', () => {
    assert.equal(validateEnvironment({ DATA_DIR: '/var/lib/cadence' }).DATA_DIR, '/var/lib/cadence');
  });
});
