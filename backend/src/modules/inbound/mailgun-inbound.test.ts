import { startSandbox } from '@cadence/sandbox';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { FakeSender, tickUntil } from '../../test/engine-harness';
import { freePort } from '../../test/process-helpers';
import { startTestApp, TestApp } from '../../test/test-app';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const SIGNING_KEY = 'sandbox-mailgun-signing-key';
const DOMAIN = 'mg.example.com';

function signed(fields: Record<string, string>, key = SIGNING_KEY): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const token = randomBytes(25).toString('hex');
  return {
    ...fields,
    timestamp,
    token,
    signature: createHmac('sha256', key)
      .update(timestamp + token)
      .digest('hex'),
  };
}

describe('Mailgun inbound routes: replies, out-of-office answers and bounces through forward()', () => {
  let t: TestApp;
  let sb: Sandbox;
  let key: string;
  let channelId: string;
  let inboundUrl: string;
  let providerId: string;
  const api = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { key, body });
  const post = (body: Record<string, string>, url = inboundUrl) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
  const events = async (address: string) =>
    t.dataSource.query<Array<{ type: string; payload: Record<string, unknown> }>>(
      `SELECT e.type, e.payload FROM message_events e JOIN messages m ON m.id = e.message_id
        WHERE m.to_address = $1 AND e.source = 'mailgun' AND e.type <> 'sent' ORDER BY e.occurred_at, e.id`,
      [address],
    );

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, rateLimits: false, timing: { webhookDelayMs: 20 } } as never);
    const port = await freePort();
    t = await startTestApp({ port, env: { SCHEDULER_INTERVAL_MS: '0', PUBLIC_URL: `http://127.0.0.1:${port}` } });
    key = (await t.createOrg()).apiKey;
    const channel = await api('POST', '/channels', {
      type: 'mailgun',
      name: 'MG',
      config: { domain: DOMAIN, from: `Team <team@${DOMAIN}>`, baseUrl: sb.url },
      secrets: { apiKey: 'key-1', webhookSigningKey: SIGNING_KEY },
    });
    channelId = channel.body.id;
    inboundUrl = channel.body.webhookUrls.inbound;
    assert.equal(inboundUrl, `${t.baseUrl}/webhooks/mailgun/${channelId}/inbound`);
  });
  afterAll(async () => {
    await t?.close();
    await sb?.close();
  });

  it('a route forward of a person’s reply is `replied` on the message it answers, an out-of-office `auto_replied`', async () => {
    // The channel creates its receiving route through Mailgun's Routes API (the sandbox's), once.
    const route = await api('POST', `/channels/${channelId}/inbound-route`);
    assert.deepEqual(
      [route.status, route.body.ok, route.body.created, route.body.expression],
      [200, true, true, `match_recipient("^team@mg\\.example\\.com$")`],
    );
    const again = await api('POST', `/channels/${channelId}/inbound-route`);
    assert.deepEqual([again.body.ok, again.body.created, again.body.routeId], [true, false, route.body.routeId]);
    const routes = (await (
      await fetch(`${sb.url}/v3/routes`, { headers: { authorization: `Basic ${Buffer.from('api:key-1').toString('base64')}` } })
    ).json()) as { items: Array<{ actions: string[] }> };
    assert.deepEqual(
      routes.items.map((r) => r.actions),
      [[`forward("${inboundUrl}")`, 'stop()']],
    );

    const emails = ['ann+reply@example.com', 'bob+ooo@example.com', 'cy@example.com'];
    const leads = (
      await api(
        'POST',
        '/leads',
        emails.map((email) => ({ email })),
      )
    ).body.ids;
    const template = (await api('POST', '/templates', { name: 'E', channel: 'email', subject: 'Hi', text: 'Hello' })).body.id;
    const campaign = (
      await api('POST', '/campaigns', {
        name: 'M',
        type: 'blast',
        sender: { channelId },
        audience: { leadIds: leads },
        steps: [{ channel: 'email', templateId: template }],
      })
    ).body.id;
    await api('POST', `/campaigns/${campaign}/launch`);
    await tickUntil(t, async () => (await api('GET', `/campaigns/${campaign}`)).body.materialized);
    const [{ id: runId }] = await t.dataSource.query('SELECT id FROM campaign_runs WHERE campaign_id = $1', [campaign]);
    const sender = new FakeSender(t);
    const lease = (await sender.call('POST', `/runs/${runId}/lease`, {})).body;
    await sender.call('POST', `/runs/${runId}/sending`, {
      leaseId: lease.leaseId,
      messageIds: lease.items.map((i: { messageId: string }) => i.messageId),
    });
    // One batch call, as the n8n node sends: every recipient shares Mailgun's Message-Id.
    const form = new FormData();
    form.append('from', `Team <team@${DOMAIN}>`);
    for (const item of lease.items) form.append('to', item.to);
    form.append('subject', 'Hi');
    form.append('text', 'Hello');
    const sent = await fetch(`${sb.url}/v3/${DOMAIN}/messages`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('api:key-1').toString('base64')}` },
      body: form,
    });
    ({ id: providerId } = (await sent.json()) as { id: string });
    await sender.call('POST', `/runs/${runId}/results`, {
      leaseId: lease.leaseId,
      results: lease.items.map((i: { messageId: string }) => ({ messageId: i.messageId, outcome: 'sent', providerMessageId: providerId })),
    });

    await tickUntil(
      t,
      async () =>
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM message_events WHERE type IN ('replied', 'auto_replied')`))[0].n >= 2,
      15_000,
    );
    const ann = await events('ann+reply@example.com');
    assert.deepEqual(
      ann.map((e) => [e.type, e.payload.kind, e.payload.text, e.payload.inReplyTo]),
      [['replied', 'human', 'Thanks, sounds interesting. Can you tell me more?', providerId]],
    );
    const bob = await events('bob+ooo@example.com');
    assert.deepEqual(
      bob.map((e) => [e.type, e.payload.kind, e.payload.reason]),
      [['auto_replied', 'auto_reply', 'Auto-Submitted: auto-replied']],
    );
    assert.deepEqual(await events('cy@example.com'), []);
  });

  it('a new email (no In-Reply-To) in multipart form with an attachment belongs to the sender’s latest message', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(
      signed({
        sender: 'cy@example.com',
        from: 'Cy <CY@example.com>',
        recipient: `team@${DOMAIN}`,
        subject: 'Following up',
        'body-plain': 'Can we talk tomorrow?',
        'message-headers': JSON.stringify([['Message-Id', '<new-1@example.com>']]),
        'Message-Id': '<new-1@example.com>',
      }),
    ))
      form.append(k, v);
    form.append('attachment-1', new Blob([Buffer.alloc(200_000, 1)]), 'deck.pdf');
    const res = await fetch(inboundUrl, { method: 'POST', body: form });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { ok: true, kind: 'human', matched: false });
    await t.app.get(MessageEventRecorder).drain();
    const cy = await events('cy@example.com');
    assert.deepEqual(
      cy.map((e) => [e.type, e.payload.from, e.payload.text]),
      [['replied', 'cy@example.com', 'Can we talk tomorrow?']],
    );
  });

  it('a bounce notice through the route fails the message and suppresses the address', async () => {
    const res = await post(
      signed({
        sender: `postmaster@${DOMAIN}`,
        from: `Mail Delivery System <MAILER-DAEMON@${DOMAIN}>`,
        recipient: `team@${DOMAIN}`,
        subject: 'Undelivered Mail Returned to Sender',
        'body-plain':
          'Final-Recipient: rfc822; cy@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no such user\n',
        'message-headers': JSON.stringify([
          ['Content-Type', 'multipart/report; report-type=delivery-status; boundary="x"'],
          ['X-Failed-Recipients', 'cy@example.com'],
        ]),
        // Mailgun's Message-Id of the batch: shared by ann, bob and cy, the failed recipient tells them apart.
        'In-Reply-To': providerId,
        'Message-Id': '<bounce-1@mg.example.com>',
      }),
    );
    assert.equal(res.status, 200, await res.clone().text());
    await t.app.get(MessageEventRecorder).drain();
    const [row] = await t.dataSource.query(`SELECT status, error_code, error_message FROM messages WHERE to_address = 'cy@example.com'`);
    assert.deepEqual(row, { status: 'failed', error_code: 'bounced', error_message: '550 5.1.1 no such user' });
    const suppressed = await api('GET', '/suppressions?channel=email&reason=bounced');
    assert.deepEqual(
      suppressed.body.items.map((s: { address: string }) => s.address),
      ['cy@example.com'],
    );
  });

  it('refuses forgeries (403), replays (406), malformed and oversized posts (4xx with a code); none is recorded', async () => {
    const count = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM message_events`))[0].n;
    const before = await count();
    const fields = { from: 'ann+reply@example.com', subject: 'Re: Hi', 'body-plain': 'Yes' };
    const forged = await post(signed(fields, 'not-the-key'));
    assert.equal(forged.status, 403);
    assert.equal(((await forged.json()) as { code: string }).code, 'invalid_signature');
    const stale = signed(fields);
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    const expired = await post({
      ...stale,
      timestamp: old,
      signature: createHmac('sha256', SIGNING_KEY)
        .update(old + stale.token)
        .digest('hex'),
    });
    assert.equal(expired.status, 403);

    // A post the sandbox delivered, sent again byte for byte.
    const log = (await (await fetch(`${sb.url}/_sandbox/webhooks`)).json()) as { items: Array<{ url: string; body: string }> };
    const delivered = log.items.find((i) => i.url === inboundUrl)!;
    assert.ok(delivered);
    const replay = await fetch(inboundUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: delivered.body,
    });
    assert.equal(replay.status, 406);
    assert.equal(((await replay.json()) as { code: string }).code, 'webhook_replayed');

    const badHeaders = await post(signed({ ...fields, 'message-headers': '{"not": "pairs"}' }));
    assert.equal(badHeaders.status, 400);
    assert.equal(((await badHeaders.json()) as { code: string }).code, 'invalid_inbound_message');
    const noSender = await post(signed({ subject: 'x', 'body-plain': 'x' }));
    assert.equal(noSender.status, 400);
    assert.equal(((await noSender.json()) as { code: string }).code, 'invalid_inbound_message');
    const json = await fetch(inboundUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signed(fields)),
    });
    assert.equal(json.status, 415);
    assert.equal(((await json.json()) as { code: string }).code, 'unsupported_media_type');
    const big = new FormData();
    for (const [k, v] of Object.entries(signed({ ...fields, 'body-plain': 'x'.repeat(1024 * 1024 + 1) }))) big.append(k, v);
    const tooBig = await fetch(inboundUrl, { method: 'POST', body: big });
    assert.equal(tooBig.status, 413);
    assert.equal(((await tooBig.json()) as { code: string }).code, 'payload_too_large');
    const unknown = await post(signed(fields), `${t.baseUrl}/webhooks/mailgun/00000000-0000-4000-8000-000000000000/inbound`);
    assert.equal(unknown.status, 404);
    await t.app.get(MessageEventRecorder).drain();
    assert.equal(await count(), before);
  });
});
