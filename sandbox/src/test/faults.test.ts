import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { RunningSandbox } from '../sandbox-server';
import { api, basic, testSandbox } from './helpers';

const SID = 'AC' + 'f'.repeat(32);

describe('fault injection', () => {
  let sb: RunningSandbox;
  let n = 0;

  /** Twilio create with a fresh sender each time so the 1 MPS limit stays out of the way. */
  const sms = (to: string, signal?: AbortSignal) =>
    fetch(`${sb.url}/2010-04-01/Accounts/${SID}/Messages.json`, {
      method: 'POST',
      headers: { authorization: basic(SID, 'tok'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: to, From: `+1555100${String(n++).padStart(4, '0')}`, Body: 'fault test' }),
      ...(signal ? { signal } : {}),
    });
  const count = async () => (await api<{ total: number }>(sb.url, 'GET', '/_sandbox/messages?limit=1')).body.total;
  const fault = async (spec: Record<string, unknown>) => {
    const r = await api<{ id: string }>(sb.url, 'POST', '/_sandbox/faults', spec);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };

  beforeAll(async () => {
    sb = await testSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });
  beforeEach(() => sb.reset(true));

  it('latency delays the answer', async () => {
    await fault({ provider: 'twilio', type: 'latency', latencyMs: 200 });
    const t = Date.now();
    assert.equal((await sms('+15557000001')).status, 201);
    assert.ok(Date.now() - t >= 190);
  });

  it('http-error answers the provider-shaped 5xx and records nothing', async () => {
    await fault({ provider: 'twilio', type: 'http-error', status: 503, times: 1 });
    const res = await sms('+15557000001');
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), {
      code: 20503,
      message: 'Service Unavailable',
      more_info: 'https://www.twilio.com/docs/errors/20503',
      status: 503,
    });
    assert.equal(await count(), 0);
    assert.equal((await sms('+15557000001')).status, 201, 'one-shot fault is gone');
  });

  it('rate-limit answers 429 with Retry-After on demand', async () => {
    await fault({ provider: 'whatsapp', type: 'rate-limit', retryAfterSeconds: 7, times: 1 });
    const res = await fetch(`${sb.url}/v21.0/123/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '15557000001', type: 'text', text: { body: 'x' } }),
    });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(((await res.json()) as { error: { code: number } }).error.code, 130429);
  });

  it('reset-before drops the connection and nothing is accepted', async () => {
    await fault({ provider: 'twilio', type: 'reset-before', times: 1 });
    await assert.rejects(sms('+15557000001'));
    assert.equal(await count(), 0);
  });

  it('reset-after drops the connection but the message was accepted (the ambiguous case)', async () => {
    await fault({ provider: 'twilio', type: 'reset-after', times: 1 });
    await assert.rejects(sms('+15557000001'));
    assert.equal(await count(), 1);
  });

  it('timeout hangs until the client gives up, without or with acceptance', async () => {
    await fault({ provider: 'twilio', type: 'timeout', times: 1 });
    await assert.rejects(sms('+15557000001', AbortSignal.timeout(150)), /aborted|timeout/i);
    assert.equal(await count(), 0);
    await fault({ provider: 'twilio', type: 'timeout', accepted: true, times: 1 });
    await assert.rejects(sms('+15557000002', AbortSignal.timeout(150)), /aborted|timeout/i);
    assert.equal(await count(), 1);
  });

  it('invalid-token answers the provider 401', async () => {
    await fault({ provider: 'mailgun', type: 'invalid-token', times: 1 });
    const res = await fetch(`${sb.url}/v3/d.test/messages`, {
      method: 'POST',
      headers: { authorization: basic('api', 'k') },
      body: new URLSearchParams({ from: 'a@d.test', to: 'b@x.com', text: 't' }),
    });
    assert.equal(res.status, 401);
    assert.equal(await res.text(), 'Forbidden');
  });

  it('matches recipients by glob and regex and counts down one-shot faults', async () => {
    await fault({ provider: 'twilio', type: 'http-error', match: '+1555700*', times: 2 });
    await fault({ provider: '*', type: 'http-error', status: 502, match: 're:^\\+44' });
    assert.equal((await sms('+15558000000')).status, 201, 'no match');
    assert.equal((await sms('+15557000001')).status, 500);
    assert.equal((await sms('+15557000002')).status, 500);
    assert.equal((await sms('+15557000003')).status, 201, 'used up');
    assert.equal((await sms('+447700900000')).status, 502);
    const list = await api<{ items: { type: string; fired: number }[] }>(sb.url, 'GET', '/_sandbox/faults');
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].fired, 1);
  });

  it('mailgun batch faults apply when any recipient matches', async () => {
    await fault({ provider: 'mailgun', type: 'http-error', match: '*@down.test' });
    const form = new URLSearchParams({ from: 'a@d.test', text: 't' });
    form.append('to', 'ok@up.test');
    form.append('to', 'x@down.test');
    const res = await fetch(`${sb.url}/v3/d.test/messages`, { method: 'POST', headers: { authorization: basic('api', 'k') }, body: form });
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { message: 'Internal Server Error' });
  });

  it('rejects invalid fault specs with stable codes', async () => {
    assert.equal(
      (await api<{ code: string }>(sb.url, 'POST', '/_sandbox/faults', { provider: 'fax', type: 'latency' })).body.code,
      'UNKNOWN_PROVIDER',
    );
    assert.equal(
      (await api<{ code: string }>(sb.url, 'POST', '/_sandbox/faults', { provider: 'twilio', type: 'explode' })).body.code,
      'UNKNOWN_FAULT_TYPE',
    );
    assert.equal(
      (await api<{ code: string }>(sb.url, 'POST', '/_sandbox/faults', { provider: 'twilio', type: 'http-error', match: 're:(' })).body
        .code,
      'INVALID_PATTERN',
    );
    const del = await api<{ code: string }>(sb.url, 'DELETE', '/_sandbox/faults/fault_nope');
    assert.equal(del.status, 404);
    assert.equal(del.body.code, 'NOT_FOUND');
  });

  it('close() does not wait for hanging requests', async () => {
    const other = await testSandbox();
    await api(other.url, 'POST', '/_sandbox/faults', { provider: 'twilio', type: 'timeout' });
    const pending = new Promise<void>((resolve) => {
      const req = http.request(
        `${other.url}/2010-04-01/Accounts/${SID}/Messages.json`,
        { method: 'POST', headers: { authorization: basic(SID, 't'), 'content-type': 'application/x-www-form-urlencoded' } },
        () => resolve(),
      );
      req.on('error', () => resolve());
      req.end('To=%2B15557000001&From=%2B15551000000&Body=x');
    });
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    await pending;
  });
});
