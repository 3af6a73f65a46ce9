import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { LeaseTurns } from './lease-turn';

/** A lease that records when it ran and finishes when told. */
function gated(log: string[], name: string) {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => ((finish = resolve), (fail = reject)));
  return {
    lease: () => {
      log.push(`${name} starts`);
      return done.finally(() => log.push(`${name} ends`));
    },
    finish: () => finish(name),
    fail: () => fail(new Error(`${name} failed`)),
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe("lease turns (this process's leases of one campaign, one at a time)", () => {
  it('a lease of a campaign starts only when the one before it has finished, in the order they came', async () => {
    const turns = new LeaseTurns();
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => gated(log, n));
    const results = [turns.take('c1', a.lease), turns.take('c1', b.lease), turns.take('c1', c.lease)];
    await settle();
    assert.deepEqual(log, ['a starts']);
    a.finish();
    await settle();
    assert.deepEqual(log, ['a starts', 'a ends', 'b starts']);
    b.finish();
    c.finish();
    assert.deepEqual(await Promise.all(results), ['a', 'b', 'c']);
    assert.deepEqual(log, ['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
    await settle();
    assert.equal(turns.size, 0, 'a campaign with no lease left is forgotten');
  });

  it('leases of different campaigns do not wait for each other', async () => {
    const turns = new LeaseTurns();
    const log: string[] = [];
    const [a, b] = ['a', 'b'].map((n) => gated(log, n));
    const results = [turns.take('c1', a.lease), turns.take('c2', b.lease)];
    await settle();
    assert.deepEqual(log, ['a starts', 'b starts']);
    b.finish();
    a.finish();
    assert.deepEqual(await Promise.all(results), ['a', 'b']);
  });

  it('a lease that fails answers its own error and hands the turn on', async () => {
    const turns = new LeaseTurns();
    const log: string[] = [];
    const [a, b] = ['a', 'b'].map((n) => gated(log, n));
    const first = turns.take('c1', a.lease);
    const second = turns.take('c1', b.lease);
    a.fail();
    await assert.rejects(first, /a failed/);
    await settle();
    assert.deepEqual(log, ['a starts', 'a ends', 'b starts']);
    b.finish();
    assert.equal(await second, 'b');
  });
});
