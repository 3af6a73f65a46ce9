import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import {
  applyDailyCaps,
  firstSlotMs,
  gcraWindow,
  HOUR_MS,
  ledgerIntervalMs,
  paceIntervalMs,
  refillWithinMs,
  SECOND_WINDOW_HEADROOM,
  settleGrant,
  SLOT_HOLD_MAX_RATE,
  SLOT_LATE_TOLERANCE_MS,
  SLOT_LEAD_MS,
  slotLateToleranceMs,
} from './quota-gcra.util';
import { peekSlots } from './quota-ledger';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

describe('GCRA pacing', () => {
  it('goes at the pace of the slowest ledger', () => {
    assert.equal(paceIntervalMs([10]), 100);
    assert.equal(paceIntervalMs([10, 2, 50]), 500);
    assert.equal(paceIntervalMs([0.5]), 2000);
  });

  it('starts now, or at the latest theoretical arrival time; a never-used ledger is free', () => {
    assert.equal(firstSlotMs(NOW, []), NOW);
    assert.equal(firstSlotMs(NOW, ['-infinity']), NOW);
    assert.equal(firstSlotMs(NOW, [new Date(NOW - 5000)]), NOW);
    assert.equal(firstSlotMs(NOW, [new Date(NOW + 300), new Date(NOW + 1200), '-infinity']), NOW + 1200);
    assert.equal(firstSlotMs(NOW, [new Date(NOW + 42).toISOString()]), NOW + 42);
  });

  it('a free ledger starts its first slot the lead ahead; a backlog beyond the lead is kept', () => {
    assert.equal(firstSlotMs(NOW, ['-infinity'], 400), NOW + 400);
    assert.equal(firstSlotMs(NOW, [new Date(NOW + 100)], 400), NOW + 400);
    assert.equal(firstSlotMs(NOW, [new Date(NOW + 900)], 400), NOW + 900);
  });

  it('never puts more than the rate in any one-second window, even with calls late by the tolerance and latency jitter', () => {
    // Slots as the ledger spaces them; each arrival strays late by up to the tolerance plus request jitter.
    for (const rate of [1, 7, 50, 80, 250]) {
      const interval = ledgerIntervalMs([rate]);
      const jitterMs = 1000 / SECOND_WINDOW_HEADROOM - 1000 - SLOT_LATE_TOLERANCE_MS;
      let seed = 7;
      const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
      const arrivals = Array.from({ length: rate * 20 }, (_, k) => k * interval + random() * (SLOT_LATE_TOLERANCE_MS + jitterMs)).sort(
        (a, b) => a - b,
      );
      let max = 0;
      for (let i = 0, j = 0; i < arrivals.length; i++) {
        while (arrivals[i] - arrivals[j] >= 1000) j++;
        max = Math.max(max, i - j + 1);
      }
      assert.ok(max <= rate, `${max} arrivals in one second at ${rate}/s`);
      // The headroom costs less than 2 % of the rate (issue 20's goal for the pacing).
      assert.ok(1000 / interval >= rate * 0.98, `${1000 / interval}/s of ${rate}`);
    }
    // Without the headroom one call 10 ms late puts rate + 1 in a second (10, 20, 40, ..., 1000 ms).
    const exact = Array.from({ length: 100 }, (_, k) => k * 20 + (k === 0 ? 10 : 0)).sort((a, b) => a - b);
    const inFirstSecond = exact.filter((t) => t >= 10 && t < 1010).length;
    assert.equal(inFirstSecond, 51);
  });

  it('grants the slots that fit before the horizon, the first one included', () => {
    // 10/s for a 1 s horizon from now: slots at 0, 100, ..., 1000 ms.
    assert.deepEqual(gcraWindow(NOW, NOW, 100, 50, 1000), { count: 11, retryAfterMs: 0 });
    assert.deepEqual(gcraWindow(NOW, NOW, 100, 3, 1000), { count: 3, retryAfterMs: 0 });
    // A backlog of 950 ms leaves room for 1 slot at 950 and none at 1050.
    assert.deepEqual(gcraWindow(NOW, NOW + 950, 100, 50, 1000), { count: 1, retryAfterMs: 0 });
    // The first slot exactly at the horizon still counts.
    assert.deepEqual(gcraWindow(NOW, NOW + 1000, 100, 50, 1000), { count: 1, retryAfterMs: 0 });
    // A zero horizon grants only the current slot.
    assert.deepEqual(gcraWindow(NOW, NOW, 100, 50, 0), { count: 1, retryAfterMs: 0 });
  });

  it('grants nothing when the first slot is beyond the horizon, and says how long to wait', () => {
    assert.deepEqual(gcraWindow(NOW, NOW + 1500, 100, 50, 1000), { count: 0, retryAfterMs: 500 });
    assert.deepEqual(gcraWindow(NOW, NOW + 1000.2, 100, 50, 1000), { count: 0, retryAfterMs: 1 });
  });

  it('with a refill distance, grants only once the first slot is that near, then slots up to the horizon', () => {
    // 50/s (20 ms) with a 10 s horizon and a backlog of 7 s: one slot would fit, but the lease waits 2 s.
    assert.deepEqual(gcraWindow(NOW, NOW + 7000, 20, 1000, 10_000, 5000), { count: 0, retryAfterMs: 2000 });
    // Then the backlog is 5 s: the slots from 5 s to the horizon, 251 of them, not one.
    assert.deepEqual(gcraWindow(NOW, NOW + 5000, 20, 1000, 10_000, 5000), { count: 251, retryAfterMs: 0 });
    // A free ledger grants at once.
    assert.deepEqual(gcraWindow(NOW, NOW + SLOT_LEAD_MS, 20, 100, 10_000, 5000), { count: 100, retryAfterMs: 0 });
  });

  it('refills at half the horizon, never nearer than the lead a free ledger needs', () => {
    assert.equal(refillWithinMs(10_000), 5000);
    assert.equal(refillWithinMs(1000), 500);
    assert.equal(refillWithinMs(600), SLOT_LEAD_MS);
  });

  /**
   * Three runs share a 50/s ledger (slots 20 ms apart, for the arithmetic) with a 10 s horizon: each run sends its
   * grant and leases again 50 ms after its last slot; a run answered "wait" comes back after retryAfterMs. Counts
   * the grants after the first that had to start SLOT_LEAD_MS ahead because the ledger had run dry: each is a hole.
   */
  function shareLedger(refillMs?: number): { granted: number; holes: number } {
    const horizon = 10_000;
    let tat = -Infinity;
    const due = [0, 0, 0];
    let holes = 0;
    let granted = 0;
    for (let step = 0; step < 300; step++) {
      const run = due.indexOf(Math.min(...due));
      const now = due[run];
      const start = firstSlotMs(now, [tat], SLOT_LEAD_MS);
      if (granted > 0 && start === now + SLOT_LEAD_MS) holes++;
      const w = gcraWindow(now, start, 20, 10_000, horizon, refillMs);
      if (w.count === 0) {
        due[run] = now + w.retryAfterMs;
        continue;
      }
      tat = start + w.count * 20;
      granted += w.count;
      due[run] = tat + 50;
    }
    return { granted, holes };
  }

  it('keeps a ledger shared by parallel runs full: a waiting run comes back while half a horizon of slots is left', () => {
    const refilled = shareLedger(refillWithinMs(10_000));
    assert.ok(refilled.granted > 20_000, `granted ${refilled.granted}`);
    assert.equal(refilled.holes, 0);
    // Granting as soon as one slot fits hands the waiting runs a slot each, and the ledger runs dry.
    assert.ok(shareLedger().holes > 10);
  });
});

describe('daily caps', () => {
  it('lower the count to the room the tightest cap has left', () => {
    assert.deepEqual(applyDailyCaps(10, [], NOW), { count: 10, retryAfterMs: 0 });
    assert.deepEqual(applyDailyCaps(10, [{ cap: 100, used: 95, oldestHourMs: NOW - HOUR_MS }], NOW), { count: 5, retryAfterMs: 0 });
    assert.deepEqual(
      applyDailyCaps(
        10,
        [
          { cap: 100, used: 95, oldestHourMs: NOW - HOUR_MS },
          { cap: 8, used: 6, oldestHourMs: NOW },
        ],
        NOW,
      ),
      { count: 2, retryAfterMs: 0 },
    );
  });

  it('a full cap frees slots when its oldest hour leaves the 24-hour window', () => {
    const oldest = NOW - 20 * HOUR_MS;
    assert.deepEqual(applyDailyCaps(10, [{ cap: 100, used: 100, oldestHourMs: oldest }], NOW), {
      count: 0,
      retryAfterMs: oldest + 25 * HOUR_MS - NOW,
    });
    // Over the cap (a refund raced a lease) is no room either, never a negative count.
    assert.deepEqual(applyDailyCaps(10, [{ cap: 100, used: 130, oldestHourMs: oldest }], NOW), { count: 0, retryAfterMs: 5 * HOUR_MS });
    // The latest of several full caps decides.
    assert.deepEqual(
      applyDailyCaps(
        10,
        [
          { cap: 1, used: 1, oldestHourMs: NOW - 23 * HOUR_MS },
          { cap: 1, used: 1, oldestHourMs: NOW - 2 * HOUR_MS },
        ],
        NOW,
      ),
      { count: 0, retryAfterMs: 23 * HOUR_MS },
    );
  });

  it('a cap of zero with no usage recorded asks again in an hour', () => {
    assert.deepEqual(applyDailyCaps(10, [{ cap: 0, used: 0, oldestHourMs: null }], NOW), { count: 0, retryAfterMs: HOUR_MS });
  });
});

describe('the grant', () => {
  it('starts after the backlog, rounded to the millisecond', () => {
    assert.deepEqual(settleGrant(NOW, NOW + 250.4, 100, 4, 0), { count: 4, startInMs: 250, intervalMs: 100, retryAfterMs: 0 });
    assert.deepEqual(settleGrant(NOW, NOW, 100, 4, 0), { count: 4, startInMs: 0, intervalMs: 100, retryAfterMs: 0 });
  });

  it('holds its slot times (a lateness tolerance) up to SLOT_HOLD_MAX_RATE, and above it gives slots as "not before" only', () => {
    assert.equal(slotLateToleranceMs(ledgerIntervalMs([80])), SLOT_LATE_TOLERANCE_MS, "WhatsApp's 80/s");
    assert.equal(slotLateToleranceMs(1000 / SLOT_HOLD_MAX_RATE), SLOT_LATE_TOLERANCE_MS);
    assert.equal(slotLateToleranceMs(1000 / (SLOT_HOLD_MAX_RATE + 1)), undefined);
    assert.equal(slotLateToleranceMs(ledgerIntervalMs([100_000])), undefined);
    assert.equal(slotLateToleranceMs(0), undefined, 'no interval: nothing to hold');
  });

  it('with nothing to grant, asks again in at least a second', () => {
    assert.deepEqual(settleGrant(NOW, NOW, 100, 0, 0), { count: 0, startInMs: 0, intervalMs: 100, retryAfterMs: 1000 });
    assert.deepEqual(settleGrant(NOW, NOW, 100, 0, 7 * HOUR_MS), { count: 0, startInMs: 0, intervalMs: 100, retryAfterMs: 7 * HOUR_MS });
  });
});

describe('peekSlots over a fake ledger (no database)', () => {
  /** Answers the ledger's three reads the way PostgreSQL would; records nothing. */
  function ledger(tats: Record<string, Date | string>, usage: Array<{ sender_key: string; used: string; oldest: Date | null }> = []) {
    const queries: string[] = [];
    const manager = {
      query: async (sql: string, params?: unknown[]) => {
        queries.push(sql.trim().split(/\s+/).slice(0, 2).join(' '));
        if (sql.includes('clock_timestamp()')) return [{ now: new Date(NOW) }];
        if (sql.includes('FROM sender_ledgers'))
          return Object.entries(tats)
            .filter(([k]) => (params![0] as string[]).includes(k))
            .map(([sender_key, tat]) => ({ sender_key, tat }));
        if (sql.includes('FROM sender_usage')) return usage.filter((u) => (params![0] as string[]).includes(u.sender_key));
        throw new Error(`unexpected query: ${sql}`);
      },
    } as unknown as EntityManager;
    return { manager, queries };
  }

  it('paces a sender and its campaign at the slower rate, after the later backlog', async () => {
    const { manager, queries } = ledger({ 'sender:a': new Date(NOW + 600), 'campaign:c': '-infinity' });
    const grant = await peekSlots(
      manager,
      [
        { key: 'sender:a', organizationId: 'o', ratePerSecond: 10 },
        { key: 'campaign:c', organizationId: 'o', ratePerSecond: 4 },
      ],
      100,
      2000,
    );
    // 250 ms widened by the headroom (253.8 ms) apart from the +600 ms backlog: 600, 853.8, ..., 1869 fit in 2 s.
    assert.deepEqual(grant, { count: 6, startInMs: 600, intervalMs: 250 / SECOND_WINDOW_HEADROOM, retryAfterMs: 0, startAtMs: NOW + 600 });
    assert.deepEqual(
      queries,
      ['SELECT clock_timestamp()', 'SELECT sender_key,'],
      'peeking neither locks nor writes, and no cap means no usage read',
    );
  });

  it('applies the daily cap of a capped key', async () => {
    const { manager } = ledger({ 'sender:a': '-infinity' }, [{ sender_key: 'sender:a', used: '499', oldest: new Date(NOW - HOUR_MS) }]);
    const grant = await peekSlots(manager, [{ key: 'sender:a', organizationId: 'o', ratePerSecond: 100, dailyCap: 500 }], 50, 1000);
    assert.deepEqual(grant, {
      count: 1,
      startInMs: SLOT_LEAD_MS,
      intervalMs: 10 / SECOND_WINDOW_HEADROOM,
      retryAfterMs: 0,
      startAtMs: NOW + SLOT_LEAD_MS,
    });
  });

  it('answers how long to wait until the backlog is down to half the horizon', async () => {
    const { manager } = ledger({ 'sender:a': new Date(NOW + 5000) });
    const grant = await peekSlots(manager, [{ key: 'sender:a', organizationId: 'o', ratePerSecond: 1 }], 10, 1000);
    assert.deepEqual(grant, {
      count: 0,
      startInMs: 0,
      intervalMs: 1000 / SECOND_WINDOW_HEADROOM,
      // 5 s of backlog, a 1 s horizon: back when 500 ms of it are left.
      retryAfterMs: 4500,
      startAtMs: NOW + 5000,
    });
  });
});
