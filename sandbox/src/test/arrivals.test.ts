import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { maxInSlidingWindow, tightestSpanMs } from '../core/arrival-log';
import type { RunningSandbox } from '../sandbox-server';
import { api, basic, testSandbox } from './helpers';

const SID = 'AC' + 'e'.repeat(32);
const FROM = '+15551239999';

interface Stats {
  key: string;
  accepted: number;
  rateLimited: number;
  arrivals: number;
  maxInWindow: number;
  maxRequestsInWindow: number;
  averagePerSecond: number;
  limit: number | null;
  marginMs: number | null;
}

describe('arrival log (pacing as the provider saw it)', () => {
  let sb: RunningSandbox;
  const sms = (to: string) =>
    fetch(`${sb.url}/2010-04-01/Accounts/${SID}/Messages.json`, {
      method: 'POST',
      headers: { authorization: basic(SID, 'tok'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: to, From: FROM, Body: 'pacing' }),
    });
  const stats = async (query = `key=${encodeURIComponent(`twilio:${FROM}`)}`) =>
    (await api<{ items: Stats[] }>(sb.url, 'GET', `/_sandbox/arrivals?${query}`)).body.items;

  beforeAll(async () => {
    // 5 msg/s for this number: a burst of 12 gets 5 through (the bucket's one second) and 7 refused.
    sb = await testSandbox({ rateLimitSettings: { twilio: { numbers: { [FROM]: 5 } } } });
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.reset(false));

  it('counts accepted and rate-limited arrivals and the most in any one-second window', async () => {
    const began = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => sms(`+1555200${String(i).padStart(4, '0')}`).then((r) => r.status)),
    );
    // The bucket's second of burst lets 5 through; one more per 200 ms the burst itself took (a loaded machine).
    const refilled = Math.floor((Date.now() - began) / 200);
    const accepted = statuses.filter((s) => s === 201).length;
    assert.ok(accepted >= 5 && accepted <= 5 + refilled, `${accepted} accepted, ${refilled} refilled`);
    assert.equal(statuses.filter((s) => s === 429).length, 12 - accepted);
    const [s] = await stats();
    assert.equal(s.key, `twilio:${FROM}`);
    assert.equal(s.accepted, accepted);
    assert.equal(s.rateLimited, 12 - accepted);
    assert.equal(s.arrivals, 12);
    assert.equal(s.maxInWindow, accepted, 'the accepted ones landed within one second');
    assert.equal(s.maxRequestsInWindow, 12);
  });

  it('spaced arrivals: a one-second window holds only what came within it; reset clears the log', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await sms(`+1555300000${i}`)).status, 201);
      await new Promise((r) => setTimeout(r, 600));
    }
    const [s] = await stats();
    assert.equal(s.accepted, 3);
    assert.equal(s.maxInWindow, 2, '600 ms apart: never three in one second');
    assert.ok(s.averagePerSecond > 1.4 && s.averagePerSecond < 1.7, `average ${s.averagePerSecond}/s`);
    assert.equal(s.marginMs, null, 'no limit asked, no margin');
    // Against a limit of 2 per second: 3 consecutive arrivals span ~1,200 ms, a margin of ~200 ms.
    const [limited] = await stats(`key=${encodeURIComponent(`twilio:${FROM}`)}&limit=2`);
    assert.equal(limited.limit, 2);
    assert.ok(limited.marginMs! >= 150 && limited.marginMs! < 400, `margin ${limited.marginMs} ms`);
    await api(sb.url, 'POST', '/_sandbox/reset');
    assert.deepEqual(await stats(''), []);
  });

  it('refuses a malformed window with a stable code', async () => {
    for (const query of ['windowMs=abc', 'limit=0', 'limit=1.5']) {
      const r = await api<{ code: string }>(sb.url, 'GET', `/_sandbox/arrivals?${query}`);
      assert.equal(r.status, 400, query);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
    }
  });

  it('the sliding window is half-open: arrivals exactly one window apart are in different windows', () => {
    assert.deepEqual(maxInSlidingWindow([0, 1000, 2000], 1000), { max: 1, startAt: 0 });
    assert.deepEqual(maxInSlidingWindow([0, 999, 1000, 1500], 1000), { max: 3, startAt: 999 });
    assert.deepEqual(maxInSlidingWindow([], 1000), { max: 0, startAt: null });
  });

  it('the margin is the tightest span of limit + 1 consecutive arrivals', () => {
    assert.equal(tightestSpanMs([0, 400, 900, 1100, 2500], 3), 700);
    assert.equal(tightestSpanMs([0, 400], 3), null);
  });
});
