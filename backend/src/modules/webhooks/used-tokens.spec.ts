import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { UsedTokens } from './used-tokens';

describe('used signature tokens', () => {
  it('a remembered token is seen until it expires', () => {
    const tokens = new UsedTokens(1000);
    assert.equal(tokens.seen('a', 0), false);
    tokens.remember('a', 0);
    assert.equal(tokens.seen('a', 999), true);
    assert.equal(tokens.seen('a', 1000), false);
  });

  it('stays within its bound, forgetting the oldest first', () => {
    const tokens = new UsedTokens(60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) tokens.remember(key, 0);
    assert.equal(tokens.seen('a', 1), false);
    assert.deepEqual(
      ['b', 'c', 'd'].map((k) => tokens.seen(k, 1)),
      [true, true, true],
    );
  });

  it('drops expired entries as new ones arrive', () => {
    const tokens = new UsedTokens(10, 100);
    tokens.remember('old', 0);
    tokens.remember('new', 50);
    assert.equal(tokens.seen('old', 50), false);
    assert.equal(tokens.seen('new', 55), true);
  });
});
