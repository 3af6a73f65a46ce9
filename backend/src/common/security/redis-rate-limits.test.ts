import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import Redis from 'ioredis';
import { startTestApp, TestApp } from '../../test/test-app';

/** A database of its own on the local Redis, emptied first: counters of earlier runs must not count. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/7';

describe('rate limits shared through Redis (REDIS_URL)', () => {
  let one: TestApp;
  let two: TestApp;
  let key: string;

  beforeAll(async () => {
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    redis.disconnect();
    const env = { REDIS_URL, AUTH_FAILURES_PER_MINUTE: '3' };
    one = await startTestApp({ env });
    two = await startTestApp({ env });
    key = (await one.createOrg()).apiKey;
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('failures counted by one instance count at the other: the limit holds across instances', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await one.request('GET', '/api/v1/leads', { key: `cad_nope${i}_${'x'.repeat(43)}` })).status, 401);
    }
    const limited = await two.request('GET', '/api/v1/leads', { key: `cad_nope9_${'x'.repeat(43)}` });
    assert.equal(limited.status, 429, JSON.stringify(limited.body));
    assert.equal(limited.body.code, 'rate_limited');
    assert.equal((await one.request('GET', '/api/v1/leads', { key })).status, 200, 'a valid key still works');
  });
});
