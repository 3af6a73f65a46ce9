import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { default as MailgunClass } from 'mailgun.js' with { 'resolution-mode': 'import' };
import type { RunningSandbox } from '../sandbox-server';
import { DEFAULT_SECRETS } from '../sandbox-server';
import { api, basic, startReceiver, testSandbox, type Receiver } from './helpers';

// mailgun.js ships CommonJS but only ESM typings; load the CJS build with its ESM type.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CJS build, typed as the ESM one (above)
const Mailgun = require('mailgun.js') as typeof MailgunClass;

const DOMAIN = 'mg.cadence.test';

/** Independent of the sandbox's signer: Mailgun's documented verification. */
function verifyMailgun(signingKey: string, sig: { timestamp: string; token: string; signature: string }): boolean {
  return (
    createHmac('sha256', signingKey)
      .update(sig.timestamp + sig.token)
      .digest('hex') === sig.signature
  );
}

type Stored = {
  to: string;
  subject: string;
  body: string;
  campaignMessageId?: string;
  variables: Record<string, string>;
  providerMessageId: string;
  headers: Record<string, string>;
};

describe('mailgun', () => {
  let sb: RunningSandbox;
  let rx: Receiver;
  let mg: ReturnType<MailgunClass['client']>;

  beforeAll(async () => {
    sb = await testSandbox();
    rx = await startReceiver();
    mg = new Mailgun(FormData).client({ username: 'api', key: 'key-test', url: sb.url });
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

  it('sends a batch with recipient-variables through mailgun.js (multipart)', async () => {
    const recipients = ['ann@example.com', 'bob@example.com', 'cy@example.com'];
    const vars = Object.fromEntries(recipients.map((r, i) => [r, { first: r.split('@')[0], id: `cm-${i}` }]));
    const res = await mg.messages.create(DOMAIN, {
      from: 'Cadence <news@mg.cadence.test>',
      to: recipients,
      subject: 'Hi %recipient.first%',
      text: 'Hello %recipient.first%!',
      'recipient-variables': JSON.stringify(vars),
      'v:cadence-message-id': '%recipient.id%',
      'h:List-Unsubscribe': '<https://app.example/u/%recipient.id%>',
      'o:tag': ['launch'],
    });
    assert.equal(res.status, 200);
    assert.match(res.id ?? '', /^<\d{14}\.[0-9A-F]+@mg\.cadence\.test>$/);
    assert.equal(res.message, 'Queued. Thank you.');
    const { body } = await api<{ items: Stored[] }>(sb.url, 'GET', '/_sandbox/messages?provider=mailgun');
    assert.equal(body.items.length, 3);
    const bob = body.items.find((m) => m.to === 'bob@example.com')!;
    assert.equal(bob.subject, 'Hi bob');
    assert.equal(bob.body, 'Hello bob!');
    assert.equal(bob.campaignMessageId, 'cm-1');
    assert.equal(bob.headers['List-Unsubscribe'], '<https://app.example/u/cm-1>');
    assert.equal(bob.providerMessageId, res.id);
  });

  it('accepts urlencoded posts and rejects more than 1,000 recipients with 400', async () => {
    const form = new URLSearchParams({ from: 'a@mg.cadence.test', subject: 's', text: 't' });
    for (let i = 0; i < 1001; i++) form.append('to', `r${i}@example.com`);
    const res = await fetch(`${sb.url}/v3/${DOMAIN}/messages`, {
      method: 'POST',
      headers: { authorization: basic('api', 'k'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /Too many recipients/);
    form.delete('to');
    for (let i = 0; i < 1000; i++) form.append('to', `r${i}@example.com`);
    const ok = await fetch(`${sb.url}/v3/${DOMAIN}/messages`, {
      method: 'POST',
      headers: { authorization: basic('api', 'k'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    assert.equal(ok.status, 200);
    assert.equal((await api<{ total: number }>(sb.url, 'GET', '/_sandbox/messages?provider=mailgun&limit=1')).body.total, 1000);
  });

  it('validates required fields like Mailgun', async () => {
    await assert.rejects(
      mg.messages.create(DOMAIN, { from: 'a@x.com', to: ['b@x.com'], subject: 's' } as never),
      (e: { status: number }) => e.status === 400,
    );
    const res = await fetch(`${sb.url}/v3/${DOMAIN}/messages`, {
      method: 'POST',
      headers: { authorization: basic('api', 'k') },
      body: new URLSearchParams({ to: 'b@x.com', text: 't' }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { message: 'from parameter is missing' });
  });

  it('answers 401 Forbidden for a wrong key once the domain key is registered', async () => {
    await api(sb.url, 'POST', '/_sandbox/credentials/mailgun', { domain: DOMAIN, apiKey: 'key-right' });
    await assert.rejects(
      mg.messages.create(DOMAIN, { from: 'a@x.com', to: ['b@x.com'], subject: 's', text: 't' }),
      (e: { status: number }) => e.status === 401,
    );
    const res = await fetch(`${sb.url}/v3/${DOMAIN}/messages`, {
      method: 'POST',
      headers: { authorization: basic('api', 'key-wrong') },
      body: new URLSearchParams({ from: 'a@x.com', to: 'b@x.com', text: 't' }),
    });
    assert.equal(res.status, 401);
    assert.equal(await res.text(), 'Forbidden');
    const right = new Mailgun(FormData).client({ username: 'api', key: 'key-right', url: sb.url });
    assert.equal((await right.messages.create(DOMAIN, { from: 'a@x.com', to: ['b@x.com'], subject: 's', text: 't' })).status, 200);
  });

  it('configures webhooks through the domain webhooks API and posts signed events', async () => {
    await api(sb.url, 'POST', '/_sandbox/credentials/mailgun', { domain: DOMAIN, webhookSigningKey: 'whsec-test' });
    for (const id of ['delivered', 'permanent_fail', 'opened', 'clicked', 'unsubscribed', 'complained']) {
      await mg.webhooks.create(DOMAIN, id, `${rx.url}/mailgun/${id}`, false);
    }
    const list = await mg.webhooks.list(DOMAIN, {});
    assert.deepEqual((list as unknown as Record<string, { urls: string[] }>).delivered.urls, [`${rx.url}/mailgun/delivered`]);

    await mg.messages.create(DOMAIN, {
      from: 'news@mg.cadence.test',
      to: ['ok+click@example.com', 'gone+bounce@example.com', 'bye+unsubscribe@example.com', 'angry+complain@example.com'],
      subject: 'Events',
      html: '<p>Hi <a href="https://app.example/landing">see</a></p>',
      'v:cadence-message-id': 'cm-events',
    });
    // 3 delivered + 1 failed + 2 opened (click and unsubscribe imply an open) + clicked + unsubscribed + complained
    const events = await rx.waitFor((r) => r.path.startsWith('/mailgun/'), 9);
    const byEvent = new Map<string, Record<string, unknown>>();
    for (const r of events) {
      const payload = JSON.parse(r.body) as {
        signature: { timestamp: string; token: string; signature: string };
        'event-data': Record<string, unknown>;
      };
      assert.ok(verifyMailgun('whsec-test', payload.signature), 'signature verifies with the webhook signing key');
      assert.equal(verifyMailgun(DEFAULT_SECRETS.mailgunSigningKey, payload.signature), false);
      const ev = payload['event-data'];
      byEvent.set(`${String(ev.event)}:${String(ev.recipient)}`, ev);
      assert.deepEqual(ev['user-variables'], { 'cadence-message-id': 'cm-events' });
    }
    assert.ok(byEvent.has('delivered:ok+click@example.com'));
    assert.ok(byEvent.has('opened:ok+click@example.com'));
    const click = byEvent.get('clicked:ok+click@example.com')!;
    assert.equal(click.url, 'https://app.example/landing');
    const failed = byEvent.get('failed:gone+bounce@example.com')!;
    assert.equal(failed.severity, 'permanent');
    assert.equal((failed['delivery-status'] as { code: number }).code, 550);
    assert.ok(byEvent.has('unsubscribed:bye+unsubscribe@example.com'));
    assert.ok(byEvent.has('complained:angry+complain@example.com'));
    const msgId = (byEvent.get('delivered:ok+click@example.com')!.message as { headers: Record<string, string> }).headers['message-id'];
    assert.match(msgId ?? '', /@mg\.cadence\.test$/);

    const hooks = await api<{ items: { provider: string; state: string }[] }>(sb.url, 'GET', '/_sandbox/webhooks?provider=mailgun');
    await sb.webhooksIdle();
    assert.ok(hooks.body.items.length >= 9);
    await mg.webhooks.destroy(DOMAIN, 'opened');
    await assert.rejects(mg.webhooks.get(DOMAIN, 'opened' as never), (e: { status: number }) => e.status === 404);
  });

  it('routes (create / list / get / delete through mailgun.js) forward a reply and an out-of-office, signed, to the matching URL', async () => {
    await api(sb.url, 'POST', '/_sandbox/credentials/mailgun', { domain: DOMAIN, webhookSigningKey: 'whsec-routes' });
    const route = await mg.routes.create({
      description: 'replies',
      expression: 'match_recipient(".*@mg.cadence.test")',
      action: [`forward("${rx.url}/inbound")`, 'stop()'],
    });
    // Same priority (0): routes are tried in creation order, so the stop() above keeps this one out.
    await mg.routes.create({
      description: 'never reached',
      expression: 'catch_all()',
      action: [`forward("${rx.url}/other")`],
    });
    assert.equal((await mg.routes.list({})).length, 2);
    assert.equal((await mg.routes.get(route.id)).expression, 'match_recipient(".*@mg.cadence.test")');
    assert.equal((await fetch(`${sb.url}/v3/routes`, { method: 'POST' })).status, 401);

    const sent = await mg.messages.create(DOMAIN, {
      from: 'Team <team@mg.cadence.test>',
      to: ['ann+reply@example.com', 'bob+ooo@example.com', 'cy@example.com'],
      subject: 'Hello',
      text: 'Hello there',
    });
    const posts = await rx.waitFor((r) => r.path === '/inbound', 2);
    const forms = posts.map((p) => Object.fromEntries(new URLSearchParams(p.body)));
    const byFrom = new Map(forms.map((f) => [f.from, f]));
    const reply = byFrom.get('ann+reply@example.com')!;
    const ooo = byFrom.get('bob+ooo@example.com')!;
    assert.ok(reply && ooo, JSON.stringify(forms.map((f) => f.from)));
    for (const f of [reply, ooo]) {
      assert.ok(verifyMailgun('whsec-routes', f as { timestamp: string; token: string; signature: string }));
      assert.equal(f['In-Reply-To'], sent.id);
      assert.equal(f.recipient, 'team@mg.cadence.test');
    }
    assert.equal(reply.subject, 'Re: Hello');
    assert.match(reply['body-plain'], /> Hello there/);
    assert.equal(reply['stripped-text'], 'Thanks, sounds interesting. Can you tell me more?');
    assert.deepEqual(
      (JSON.parse(ooo['message-headers']) as Array<[string, string]>).find(([k]) => k === 'Auto-Submitted'),
      ['Auto-Submitted', 'auto-replied'],
    );
    await sb.webhooksIdle();
    // stop() kept the catch-all from forwarding too; cy (no answer) sent nothing.
    assert.equal(rx.requests.filter((r) => r.path === '/other').length, 0);
    assert.equal(rx.requests.filter((r) => r.path === '/inbound').length, 2);
    await mg.routes.destroy(route.id);
    assert.equal((await mg.routes.list({})).length, 1);
  });

  it('signs with the default signing key when none is registered', async () => {
    await api(sb.url, 'POST', '/_sandbox/mailgun/webhooks', { domain: DOMAIN, event: 'delivered', url: `${rx.url}/d` });
    await mg.messages.create(DOMAIN, { from: 'a@mg.cadence.test', to: ['x@example.com'], subject: 's', text: 't' });
    const [r] = await rx.waitFor((x) => x.path === '/d');
    const payload = JSON.parse(r.body) as { signature: { timestamp: string; token: string; signature: string } };
    assert.ok(verifyMailgun(DEFAULT_SECRETS.mailgunSigningKey, payload.signature));
  });

  it('answers 429 with Retry-After over a configured per-domain rate', async () => {
    await api(sb.url, 'PUT', '/_sandbox/rate-limits', { mailgun: { domains: { [DOMAIN]: 1 } } });
    await mg.messages.create(DOMAIN, { from: 'a@x.com', to: ['b@x.com'], subject: 's', text: 't' });
    const res = await fetch(`${sb.url}/v3/${DOMAIN}/messages`, {
      method: 'POST',
      headers: { authorization: basic('api', 'k') },
      body: new URLSearchParams({ from: 'a@x.com', to: 'b@x.com', text: 't' }),
    });
    assert.equal(res.status, 429);
    assert.ok(res.headers.get('retry-after'));
    assert.deepEqual(await res.json(), { message: 'Too many requests' });
  });

  it('accepts messages.mime and keeps the MIME headers', async () => {
    const mime = [
      'From: Cadence <news@mg.cadence.test>',
      'To: z@example.com',
      'Subject: Mime test',
      'X-Cadence-Message-Id: cm-mime',
      'Content-Type: text/plain',
      '',
      'Body text',
    ].join('\r\n');
    const res = await mg.messages.create(DOMAIN, { to: 'z@example.com', message: Buffer.from(mime) });
    assert.equal(res.status, 200);
    const { body } = await api<{ items: Stored[] }>(sb.url, 'GET', '/_sandbox/messages?to=z@example.com');
    assert.equal(body.items[0].subject, 'Mime test');
    assert.equal(body.items[0].campaignMessageId, 'cm-mime');
  });
});
