import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { DUE_CURSOR_FULL_SCAN_MS, DueCursors } from './due-cursor';

const at = (iso: string) => new Date(iso);

describe('due cursors (where a lease starts reading the due index)', () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('a campaign never leased scans from the start', () => {
    assert.equal(new DueCursors().startOf('c1'), undefined);
  });

  it('after a lease the next one starts at the due time the lease left the queue at', () => {
    const c = clock();
    const cursors = new DueCursors(DUE_CURSOR_FULL_SCAN_MS, c.now);
    cursors.advance('c1', at('2026-12-04T10:00:00.500Z'), true);
    assert.deepEqual(cursors.startOf('c1'), at('2026-12-04T10:00:00.500Z'));
    assert.equal(cursors.startOf('c2'), undefined, 'each campaign has its own');
  });

  it('a full scan is due every interval however often the cursor moves, so requeued messages below it are found', () => {
    const c = clock();
    const cursors = new DueCursors(10_000, c.now);
    cursors.advance('c1', at('2026-12-04T10:00:01Z'), true);
    for (let i = 2; i <= 9; i++) {
      c.advance(1_000);
      assert.ok(cursors.startOf('c1'));
      cursors.advance('c1', at(`2026-12-04T10:00:0${i}Z`), false);
    }
    c.advance(2_000);
    assert.equal(cursors.startOf('c1'), undefined, '10 s after the last full scan');
    cursors.advance('c1', at('2026-12-04T10:00:12Z'), true);
    assert.deepEqual(cursors.startOf('c1'), at('2026-12-04T10:00:12Z'), 'a full scan restarts the clock');
  });

  it('a finished campaign is forgotten, and so are campaigns idle for ten minutes', () => {
    const c = clock();
    const cursors = new DueCursors(Number.MAX_SAFE_INTEGER, c.now);
    cursors.advance('done', at('2026-12-04T10:00:00Z'), true);
    cursors.forget('done');
    assert.equal(cursors.startOf('done'), undefined);
    cursors.advance('idle', at('2026-12-04T10:00:00Z'), true);
    c.advance(10 * 60_000);
    cursors.advance('new', at('2026-12-04T10:10:00Z'), true);
    assert.equal(cursors.startOf('idle'), undefined);
    assert.ok(cursors.startOf('new'));
  });
});
