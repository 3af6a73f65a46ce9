import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from './test-app';

/** Limits are set low here so that the tests can reach them; the defaults are 20 and 120 a minute. */
describe('rate limits and security headers', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_FAILURES_PER_MINUTE: '3', PUBLIC_REQUESTS_PER_MINUTE: '5' } });
    key = (await t.createOrg()).apiKey;
  });
  afterAll(() => t.close());

  it('answers 401 to the configured number of bad API keys, then 429 rate_limited with a retry time; a valid key still works', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.request('GET', '/api/v1/leads', { key: `cad_nope${i}_${'x'.repeat(43)}` });
      assert.equal(res.status, 401, `attempt ${i + 1}`);
    }
    const limited = await t.request('GET', '/api/v1/leads', { key: `cad_nope9_${'x'.repeat(43)}` });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'rate_limited');
    assert.ok(limited.body.details.retryAfterSeconds >= 1);
    assert.equal((await t.request('GET', '/api/v1/leads', { key })).status, 200);
  });

  it('a signed-out browser asking for its session is not counted as a failed authentication', async () => {
    for (let i = 0; i < 6; i++) assert.equal((await t.request('GET', '/api/v1/leads')).status, 401);
  });

  it('limits each tracking link per token, not per address: other links keep working', async () => {
    const token = 'a'.repeat(40);
    for (let i = 0; i < 5; i++) assert.equal((await t.request('GET', `/t/o/${token}.gif`)).status, 200, `open ${i + 1}`);
    const limited = await t.request('GET', `/t/o/${token}.gif`);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'rate_limited');
    assert.equal((await t.request('GET', `/t/o/${'b'.repeat(40)}.gif`)).status, 200);
  });

  it('limits sign-in starts per address (each writes an OAuth state)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(`${t.baseUrl}/auth/google`, { redirect: 'manual' })).status);
    assert.ok(
      statuses.slice(0, 5).every((s) => s !== 429),
      statuses.join(','),
    );
    assert.equal(statuses[5], 429);
  });

  it('sends security headers everywhere: no framing, nosniff, no X-Powered-By', async () => {
    for (const path of ['/health', '/api/v1/leads', `/u/${'c'.repeat(40)}`]) {
      const res = await fetch(t.baseUrl + path, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('x-powered-by'), null, path);
    }
  });

  it('serves the open pixel with a cross-origin resource policy, so mail clients can load it', async () => {
    const res = await fetch(`${t.baseUrl}/t/o/${'d'.repeat(40)}.gif`);
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
  });
});
