import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { RunningSandbox } from '../sandbox-server';
import { optionsFromEnv } from '../config';
import { BehaviourSimulator } from '../core/behaviour-simulator';
import { api, basic, startReceiver, testSandbox, type Receiver } from './helpers';

const SID = 'AC' + 'c'.repeat(32);

describe('control api', () => {
  let sb: RunningSandbox;
  let rx: Receiver;

  const sms = (to: string, from: string, body: string, cb?: string) =>
    fetch(`${sb.url}/2010-04-01/Accounts/${SID}/Messages.json`, {
      method: 'POST',
      headers: { authorization: basic(SID, 'tok'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: to, From: from, Body: body, ...(cb ? { StatusCallback: cb } : {}) }),
    });

  beforeAll(async () => {
    sb = await testSandbox();
    rx = await startReceiver();
  });
  afterAll(async () => {
    await sb.close();
    await rx.close();
  });
  beforeEach(async () => {
    // Callbacks of the previous test may still be in flight; let them land before clearing.
    await sb.webhooksIdle();
    sb.reset(true);
    rx.requests.length = 0;
  });

  it('lists messages with filters and counts', async () => {
    await sms('+15557000001', '+15551000001', 'one');
    await sms('+15557000002', '+15551000002', 'two');
    const all = await api<{
      items: { provider: string; from: string; to: string; body: string; acceptedAt: string; id: string }[];
      total: number;
    }>(sb.url, 'GET', '/_sandbox/messages');
    assert.equal(all.body.total, 2);
    for (const m of all.body.items) {
      assert.equal(m.provider, 'twilio');
      assert.ok(m.from && m.to && m.body && m.acceptedAt && m.id);
    }
    const one = await api<{ items: { body: string }[] }>(sb.url, 'GET', '/_sandbox/messages?to=%2B15557000002');
    assert.deepEqual(
      one.body.items.map((m) => m.body),
      ['two'],
    );
    const none = await api<{ total: number }>(sb.url, 'GET', '/_sandbox/messages?provider=gmail');
    assert.equal(none.body.total, 0);
    const counts = await api<{ messages: { total: number; byProvider: Record<string, number> } }>(sb.url, 'GET', '/_sandbox/counts');
    assert.equal(counts.body.messages.byProvider.twilio, 2);
    const byId = await api<{ body: string }>(sb.url, 'GET', `/_sandbox/messages/${all.body.items[0].id}`);
    assert.equal(byId.body.body, 'one');
    assert.equal((await api<{ code: string }>(sb.url, 'GET', '/_sandbox/messages/msg_0')).body.code, 'NOT_FOUND');
  });

  it('detects duplicates by campaign message id and by content', async () => {
    await sms('+15557000001', '+15551000001', 'same text', `${rx.url}/s?cadenceMessageId=cm-9`);
    await sms('+15557000001', '+15551000002', 'same text', `${rx.url}/s?cadenceMessageId=cm-9`);
    await sms('+15557000003', '+15551000003', 'unique', `${rx.url}/s?cadenceMessageId=cm-10`);
    const d = await api<{ items: { kind: string; count: number; campaignMessageId?: string; to: string }[] }>(
      sb.url,
      'GET',
      '/_sandbox/duplicates',
    );
    const kinds = d.body.items.map((g) => g.kind).sort();
    assert.deepEqual(kinds, ['campaignMessageId', 'content']);
    const byCm = d.body.items.find((g) => g.kind === 'campaignMessageId')!;
    assert.equal(byCm.campaignMessageId, 'cm-9');
    assert.equal(byCm.count, 2);
  });

  it('reset clears messages; reset all also clears registered configuration', async () => {
    await api(sb.url, 'POST', '/_sandbox/credentials/twilio', { accountSid: SID, authToken: 'tok' });
    await sms('+15557000001', '+15551000001', 'x');
    await api(sb.url, 'POST', '/_sandbox/reset');
    assert.equal((await api<{ total: number }>(sb.url, 'GET', '/_sandbox/messages')).body.total, 0);
    assert.deepEqual((await api<{ twilio: string[] }>(sb.url, 'GET', '/_sandbox/credentials')).body.twilio, [SID]);
    await api(sb.url, 'POST', '/_sandbox/reset', { all: true });
    assert.deepEqual((await api<{ twilio: string[] }>(sb.url, 'GET', '/_sandbox/credentials')).body.twilio, []);
  });

  it('retries failed webhooks (bounded) and shows the attempts', async () => {
    rx.statuses.push(500, 503);
    await sms('+15557009990', '+15551000001', 'retry me', `${rx.url}/status`);
    await rx.waitFor((r) => r.path === '/status', 4);
    await sb.webhooksIdle();
    const log = await api<{ items: { state: string; attempts: { status: number }[]; event: string }[] }>(
      sb.url,
      'GET',
      '/_sandbox/webhooks?provider=twilio',
    );
    assert.equal(log.body.items.length, 2);
    // Two failures spread over the two callbacks: four attempts in all, each ending in 200.
    assert.equal(
      log.body.items.reduce((n, d) => n + d.attempts.length, 0),
      4,
    );
    assert.deepEqual(log.body.items.flatMap((d) => d.attempts.map((a) => a.status)).sort(), [200, 200, 500, 503]);
    assert.ok(log.body.items.every((d) => d.state === 'delivered' && d.attempts.at(-1)!.status === 200));

    rx.statuses.push(500, 500, 500, 500);
    await api(sb.url, 'PUT', '/_sandbox/timing', { webhookMaxAttempts: 2 });
    await api(sb.url, 'POST', '/_sandbox/twilio/numbers', { number: '+15551000009', smsUrl: `${rx.url}/in` });
    await api(sb.url, 'POST', '/_sandbox/twilio/inbound', { from: '+15557000001', to: '+15551000009', body: 'hello' });
    await sb.webhooksIdle();
    const failed = await api<{ items: { attempts: unknown[] }[] }>(sb.url, 'GET', '/_sandbox/webhooks?state=failed');
    assert.equal(failed.body.items.length, 1);
    assert.equal(failed.body.items[0].attempts.length, 2);
  });

  it('renders the dashboard with escaped content', async () => {
    await sms('+15557000001', '+15551000001', '<script>alert(1)</script> & "quotes"');
    const res = await fetch(`${sb.url}/_sandbox`);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await res.text();
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;'));
    assert.match(html, /<b>1<\/b> twilio/);
    const root = await fetch(`${sb.url}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
  });

  it('validates control requests with stable error codes', async () => {
    const bad = await fetch(`${sb.url}/_sandbox/behaviour`, { method: 'PUT', body: '{not json' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { code: string }).code, 'INVALID_JSON');
    const r = await api<{ statusCode: number; code: string; message: string }>(sb.url, 'PUT', '/_sandbox/behaviour', {
      rates: { bounce: 2 },
    });
    assert.deepEqual(Object.keys(r.body).sort(), ['code', 'message', 'statusCode']);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
    const route = await api<{ code: string }>(sb.url, 'GET', '/_sandbox/nope');
    assert.equal(route.status, 404);
    assert.equal(route.body.code, 'ROUTE_NOT_FOUND');
  });

  it('applies explicit per-recipient behaviour overrides', async () => {
    await api(sb.url, 'POST', '/_sandbox/behaviour/overrides', { match: '+1555700*', behaviour: { delivery: 'bounced' } });
    await sms('+15557000001', '+15551000001', 'x', `${rx.url}/s`);
    const posts = await rx.waitFor((r) => r.path === '/s', 2);
    assert.ok(posts.some((p) => new URLSearchParams(p.body).get('MessageStatus') === 'undelivered'));
  });

  it('lifts rate limits with rateLimits: false / SANDBOX_RATE_LIMITS=off', async () => {
    const free = await testSandbox({ rateLimits: false });
    try {
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${free.url}/2010-04-01/Accounts/${SID}/Messages.json`, {
          method: 'POST',
          headers: { authorization: basic(SID, 't') },
          body: new URLSearchParams({ To: '+15557000001', From: '+15551000001', Body: `n${i}` }),
        });
        assert.equal(res.status, 201);
      }
    } finally {
      await free.close();
    }
    const saved = process.env.SANDBOX_RATE_LIMITS;
    process.env.SANDBOX_RATE_LIMITS = 'off';
    assert.equal(optionsFromEnv().rateLimits, false);
    delete process.env.SANDBOX_RATE_LIMITS;
    assert.equal(optionsFromEnv().rateLimits, true);
    if (saved !== undefined) process.env.SANDBOX_RATE_LIMITS = saved;
  });

  it('wires default webhook targets from options (env), including a retried WhatsApp handshake', async () => {
    const target = await startReceiver();
    let handshakes = 0;
    target.respond = (r) => {
      if (r.method !== 'GET') return undefined;
      handshakes += 1;
      // The backend is "not up yet" the first time.
      return handshakes === 1 ? { status: 503 } : { body: r.query.get('hub.challenge') ?? '' };
    };
    const wired = await testSandbox({
      defaultWebhooks: {
        mailgun: `${target.url}/mg`,
        twilioSms: `${target.url}/sms`,
        whatsapp: { url: `${target.url}/wa`, verifyToken: 'vt' },
      },
    });
    try {
      await fetch(`${wired.url}/v3/d.test/messages`, {
        method: 'POST',
        headers: { authorization: basic('api', 'k') },
        body: new URLSearchParams({ from: 'a@d.test', to: 'x@example.com', text: 't' }),
      });
      await target.waitFor((r) => r.path === '/mg');
      await api(wired.url, 'POST', '/_sandbox/twilio/inbound', { from: '+15557000001', to: '+15551000001', body: 'hi' });
      await target.waitFor((r) => r.path === '/sms');
      await target.waitFor((r) => r.method === 'GET', 2, 5000);
      for (let i = 0; i < 100; i++) {
        const cfg = await api<{ defaultWebhooks: { whatsapp: { url: string } | null } }>(wired.url, 'GET', '/_sandbox/config');
        if (cfg.body.defaultWebhooks.whatsapp) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await api(wired.url, 'POST', '/_sandbox/whatsapp/inbound', { phoneNumberId: '1', from: '15557000001', text: 'yo' });
      await target.waitFor((r) => r.path === '/wa' && r.method === 'POST');
    } finally {
      await wired.close();
      await target.close();
    }
  });

  it('simulates deterministically from the seed, with address conventions first', () => {
    const a = new BehaviourSimulator('seed-1');
    const b = new BehaviourSimulator('seed-1');
    const recipients = Array.from({ length: 200 }, (_, i) => `lead${i}@example.com`);
    assert.deepEqual(
      recipients.map((r) => a.resolve(r)),
      recipients.map((r) => b.resolve(r)),
    );
    const c = new BehaviourSimulator('seed-2');
    assert.notDeepEqual(
      recipients.map((r) => a.resolve(r).opened),
      recipients.map((r) => c.resolve(r).opened),
    );
    const opened = recipients.filter((r) => a.resolve(r).opened).length;
    assert.ok(opened > 60 && opened < 120, `open rate near 45%: ${opened}/200`);
    assert.equal(a.resolve('x+bounce@example.com').delivery, 'bounced');
    assert.equal(a.resolve('x+reply@example.com').replied, true);
    assert.equal(a.resolve('+15550009992').stop, true);
    assert.equal(a.resolve('+15550009994').call, 'busy');
  });
});
