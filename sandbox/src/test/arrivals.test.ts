import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { maxInSlidingWindow } from '../core/arrival-log';
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
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => sms(`+1555200${String(i).padStart(4, '0')}`).then((r) => r.status)),
    );
    assert.equal(statuses.filter((s) => s === 201).length, 5);
    assert.equal(statuses.filter((s) => s === 429).length, 7);
    const [s] = await stats();
    assert.equal(s.key, `twilio:${FROM}`);
    assert.equal(s.accepted, 5);
    assert.equal(s.rateLimited, 7);
    assert.equal(s.arrivals, 12);
    assert.equal(s.maxInWindow, 5, 'the five accepted landed within one second');
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
    await api(sb.url, 'POST', '/_sandbox/reset');
    assert.deepEqual(await stats(''), []);
  });

  it('refuses a malformed window with a stable code', async () => {
    const r = await api<{ code: string }>(sb.url, 'GET', '/_sandbox/arrivals?windowMs=abc');
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
  });

  it('the sliding window is half-open: arrivals exactly one window apart are in different windows', () => {
    assert.deepEqual(maxInSlidingWindow([0, 1000, 2000], 1000), { max: 1, startAt: 0 });
    assert.deepEqual(maxInSlidingWindow([0, 999, 1000, 1500], 1000), { max: 3, startAt: 999 });
    assert.deepEqual(maxInSlidingWindow([], 1000), { max: 0, startAt: null });
  });
});
