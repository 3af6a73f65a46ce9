import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { ledgerIntervalMs } from '../../quota/quota-gcra.util';
import { estimateEta, type EtaInput } from './eta';

const HOUR = 3_600_000;
/** Saturday 2026-12-05 10:00 UTC. */
const SATURDAY = Date.UTC(2026, 11, 5, 10);

const oneStep = (count: number, ledger: EtaInput['ledgers'][number], extra: Partial<EtaInput> = {}): EtaInput => ({
  startMs: SATURDAY,
  leadsByZones: new Map([['UTC', count]]),
  steps: [{ senderKey: ledger.key, delaySeconds: 0, eligibleByZones: new Map([['UTC', count]]) }],
  ledgers: [ledger],
  ...extra,
});

describe('estimateEta', () => {
  it('paces at the ledger interval', () => {
    const eta = estimateEta(oneStep(1000, { key: 's', ratePerSecond: 10 }))!;
    const expected = SATURDAY + 999 * ledgerIntervalMs([10]);
    assert.ok(Math.abs(eta.lastAtMs - expected) < 1, `${eta.lastAtMs - expected}`);
  });

  it("another campaign's queued messages on the sender go first", () => {
    const eta = estimateEta(oneStep(1000, { key: 's', ratePerSecond: 10, queuedElsewhere: 3000 }))!;
    const expected = SATURDAY + 3999 * ledgerIntervalMs([10]);
    assert.ok(Math.abs(eta.lastAtMs - expected) < 1, `${eta.lastAtMs - expected}`);
    assert.equal(eta.senders[0].messages, 1000, 'only this campaign’s messages are its own');
  });

  it('a weekday window started on a Saturday opens on Monday', () => {
    const eta = estimateEta(
      oneStep(10, { key: 's', ratePerSecond: 10 }, { window: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } }),
    )!;
    const monday = Date.UTC(2026, 11, 7, 9);
    assert.ok(eta.lastAtMs >= monday && eta.lastAtMs < monday + 5000, new Date(eta.lastAtMs).toISOString());
  });

  it("the warm-up's cap of the day holds, then grows", () => {
    // 100 on day 0, 200 on day 1 (100 % growth): 250 messages need day 0, then the rolling window frees day 0's
    // hour 25 h later (the lease's retry), when day 1's cap of 200 takes the remaining 150.
    const warmup = { startPerDay: 100, growthPercent: 100, targetPerDay: 1000, startedAt: new Date(SATURDAY) };
    const eta = estimateEta(oneStep(250, { key: 's', ratePerSecond: 10, warmup }))!;
    assert.ok(eta.lastAtMs > SATURDAY + 25 * HOUR && eta.lastAtMs < SATURDAY + 25 * HOUR + 60_000, new Date(eta.lastAtMs).toISOString());
  });

  it("zones due together share the slots, as the lease's due order interleaves them: a zone closing first keeps its share", () => {
    // Friday 16:30 UTC: New York's 09:00-17:00 is open until 22:00, UTC's closes at 17:00. 2,000 New York leads
    // and 1,000 UTC ones, due at once, at 1/s: the half hour's slots go two to one, and the UTC leads left at
    // 17:00 wait for Monday. Draining New York first would leave all 1,000 for Monday.
    const friday = Date.UTC(2026, 11, 4, 16, 30);
    const interval = ledgerIntervalMs([1]);
    const zones = new Map([
      ['America/New_York', 2000],
      ['UTC', 1000],
    ]);
    const eta = estimateEta({
      startMs: friday,
      leadsByZones: zones,
      steps: [{ senderKey: 's', delaySeconds: 0, eligibleByZones: zones }],
      ledgers: [{ key: 's', ratePerSecond: 1 }],
      window: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
    })!;
    // The slots before 17:00, a third of them to the UTC leads; the rest of those from Monday 09:00.
    const slotsBeforeFive = Math.floor((30 * 60_000) / interval) + 1;
    const expected = Date.UTC(2026, 11, 7, 9) + (1000 - slotsBeforeFive / 3 - 1) * interval;
    assert.ok(
      Math.abs(eta.lastAtMs - expected) < 5 * interval,
      `${new Date(eta.lastAtMs).toISOString()} vs ${new Date(expected).toISOString()}`,
    );
  });
});
