import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { capOnDay, warmupToday } from './warmup-ramp';

const START = new Date('2026-11-01T09:00:00Z');
const at = (days: number, hours = 0) => new Date(START.getTime() + (days * 24 + hours) * 3_600_000);
const ramp = { startPerDay: 20, growthPercent: 25, targetPerDay: 200, startedAt: START };

describe('warm-up ramp', () => {
  it('starts at startPerDay and holds it for the first 24 hours', () => {
    assert.deepEqual(
      [at(0), at(0, 23)].map((now) => warmupToday(ramp, now).capToday),
      [20, 20],
    );
    assert.equal(warmupToday(ramp, at(0, 23)).day, 0);
  });

  it('grows by growthPercent a day, in whole messages', () => {
    // 20 × 1.25^d, floored: 25, 31, 39, 48.
    assert.deepEqual(
      [1, 2, 3, 4].map((d) => warmupToday(ramp, at(d)).capToday),
      [25, 31, 39, 48],
    );
  });

  it('stops at the target and says when it got there', () => {
    // 20 × 1.25^10 = 186.3; 20 × 1.25^11 = 232.8 → day 11 is the first at 200.
    assert.equal(capOnDay(ramp, 10), 186);
    const done = warmupToday(ramp, at(11));
    assert.deepEqual(done, { day: 11, capToday: 200, complete: true, completesAt: at(11) });
    assert.equal(warmupToday(ramp, at(10, 23)).complete, false);
    assert.equal(warmupToday(ramp, at(400)).capToday, 200);
  });

  it('a ramp that starts at its target is complete at once; a start in the future counts as day 0', () => {
    assert.deepEqual(warmupToday({ ...ramp, startPerDay: 200 }, at(0)), { day: 0, capToday: 200, complete: true, completesAt: START });
    assert.equal(warmupToday(ramp, at(-3)).capToday, 20);
  });

  it('a slow ramp (1 % a day) still rises once its growth adds a whole message', () => {
    const slow = { startPerDay: 50, growthPercent: 1, targetPerDay: 60, startedAt: START };
    // 50.5, 51.005, 51.5: whole messages only.
    assert.deepEqual(
      [0, 1, 2, 3].map((d) => capOnDay(slow, d)),
      [50, 50, 51, 51],
    );
    assert.equal(warmupToday(slow, at(18)).capToday, 59);
    assert.equal(warmupToday(slow, at(19)).capToday, 60);
    assert.equal(warmupToday(slow, at(0)).completesAt.getTime(), at(19).getTime());
  });
});
