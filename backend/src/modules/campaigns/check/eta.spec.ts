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
});
