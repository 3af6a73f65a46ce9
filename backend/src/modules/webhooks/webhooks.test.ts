import { buildClickUrl } from '@cadence/render';
import { startSandbox } from '@cadence/sandbox';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { FakeSender, tickUntil } from '../../test/engine-harness';
import { TrackingTokens } from '../tracking/tracking-tokens';
import { freePort } from '../../test/process-helpers';
import { startTestApp, TestApp } from '../../test/test-app';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const SID = `AC${'5'.repeat(32)}`;
const TOKEN = 'sandbox-twilio-auth-token';
const FROM = '+14155550199';

describe('provider webhooks and tracking, with the sandbox calling back', () => {
  let t: TestApp;
  let sb: Sandbox;
  let key: string;
  let twilioId: string;
  const api = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { key, body });
  const sandbox = (path: string, body: unknown) =>
    fetch(`${sb.url}/_sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const messageRows = async (campaignId: string) =>
    await t.dataSource.query<Array<{ id: string; to_address: string; status: string; error_code: string | null }>>(
      'SELECT id, to_address, status, error_code FROM messages WHERE campaign_id = $1 ORDER BY to_address',
      [campaignId],
    );

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, rateLimits: false, timing: { webhookDelayMs: 20 } } as never);
    const port = await freePort();
    t = await startTestApp({ port, env: { SCHEDULER_INTERVAL_MS: '0', PUBLIC_URL: `http://127.0.0.1:${port}` } });
    key = (await t.createOrg()).apiKey;
    twilioId = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: SID, from: FROM, baseUrl: sb.url, ratePerSecond: 100 },
        secrets: { authToken: TOKEN },
      })
    ).body.id;
  });
  afterAll(async () => {
    await t?.close();
    await sb?.close();
  });

  it('test connection reaches the provider with the stored credentials', async () => {
    const res = await api('POST', `/channels/${twilioId}/test`);
    assert.equal(res.body.ok, true, JSON.stringify(res.body));
    assert.equal((await api('GET', `/channels/${twilioId}`)).body.status, 'connected');
  });

  it('Twilio: delivered and failed callbacks settle messages, STOP suppresses, a reply is recorded; replays and forgeries change nothing', async () => {
    const phones = ['+14155559990', '+14155559991', '+14155559992', '+14155559993'];
    const leads = (
      await api(
        'POST',
        '/leads',
        phones.map((phone) => ({ phone, consent: { sms: true } })),
      )
    ).body.ids;
    const template = (await api('POST', '/templates', { name: 'T', channel: 'sms', body: 'Hello' })).body.id;
    const campaign = (
      await api('POST', '/campaigns', {
        name: 'W',
        type: 'blast',
        sender: { channelId: twilioId },
        audience: { leadIds: leads },
        steps: [{ channel: 'sms', templateId: template }],
      })
    ).body.id;
    await api('POST', `/campaigns/${campaign}/launch`);
    await tickUntil(t, async () => (await api('GET', `/campaigns/${campaign}`)).body.materialized);
    await sandbox('/twilio/numbers', { number: FROM, smsUrl: `${t.baseUrl}/webhooks/twilio/${twilioId}/inbound`, accountSid: SID });
    const [{ id: runId }] = await t.dataSource.query('SELECT id FROM campaign_runs WHERE campaign_id = $1', [campaign]);
    // Send the way the n8n node does: the provider call carries the lease's status callback.
    const sender = new FakeSender(t);
    const lease = (await sender.call('POST', `/runs/${runId}/lease`, {})).body;
    await sender.call('POST', `/runs/${runId}/sending`, {
      leaseId: lease.leaseId,
      messageIds: lease.items.map((i: { messageId: string }) => i.messageId),
    });
    const results = [];
    for (const item of lease.items) {
      const res = await fetch(`${sb.url}/2010-04-01/Accounts/${SID}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: item.to, From: FROM, Body: 'Hello', StatusCallback: item.callbacks.statusCallbackUrl }),
      });
      const body = (await res.json()) as { sid: string };
      assert.equal(res.status, 201);
      results.push({ messageId: item.messageId, outcome: 'sent', providerMessageId: body.sid });
    }
    await sender.call('POST', `/runs/${runId}/results`, { leaseId: lease.leaseId, results });
    await tickUntil(t, async () => (await messageRows(campaign)).filter((m) => m.status === 'sent').length === 0, 15_000);
    // Replies come after delivery, like a person's would: wait for the STOP and the reply to land.
    await tickUntil(
      t,
      async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM message_events WHERE type IN ('stop', 'replied')`))[0].n >= 2,
      15_000,
    );
    await sb.webhooksIdle(5000);
    const rows = await messageRows(campaign);
    assert.deepEqual(
      rows.map((r) => [r.to_address, r.status]),
      [
        ['+14155559990', 'delivered'],
        ['+14155559991', 'failed'],
        ['+14155559992', 'delivered'],
        ['+14155559993', 'delivered'],
      ],
    );
    assert.ok(rows[1].error_code);
    const stops = await api('GET', '/suppressions?channel=sms');
    assert.deepEqual(
      stops.body.items.map((s: { address: string; reason: string }) => [s.address, s.reason]),
      [['+14155559992', 'stop']],
    );
    const replies = await t.dataSource.query(
      `SELECT m.to_address FROM message_events e JOIN messages m ON m.id = e.message_id WHERE e.type = 'replied'`,
    );
    assert.deepEqual(replies, [{ to_address: '+14155559993' }]);

    // Replay every callback the sandbox delivered, byte for byte: nothing new is recorded.
    const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM message_events'))[0].n;
    const log = (await (await fetch(`${sb.url}/_sandbox/webhooks`)).json()) as {
      items: Array<{ url: string; body: string; headers: Record<string, string> }>;
    };
    assert.ok(log.items.length >= 8, `the sandbox delivered ${log.items.length} callbacks`);
    for (const w of log.items.filter((i) => i.url.includes('/status'))) {
      await fetch(w.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': w.headers['x-twilio-signature'] ?? w.headers['X-Twilio-Signature'],
        },
        body: w.body,
      });
    }
    // The replays were stored and applied (the inbox drains), and recorded nothing new.
    await tickUntil(t, async () => (await t.dataSource.query('SELECT count(*)::int AS n FROM webhook_inbox'))[0].n === 0, 5000);
    assert.equal((await t.dataSource.query('SELECT count(*)::int AS n FROM message_events'))[0].n, before);
    const forged = await fetch(`${t.baseUrl}/webhooks/twilio/${twilioId}/status?cadenceMessageId=${rows[1].id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bm9wZQ==' },
      body: new URLSearchParams({ MessageSid: 'SMforged', MessageStatus: 'delivered' }),
    });
    assert.equal(forged.status, 403);
    assert.equal(((await forged.json()) as { code: string }).code, 'invalid_signature');
    assert.equal((await messageRows(campaign))[1].status, 'failed');
  });

  it('Mailgun: a permanent bounce fails the message and suppresses the address; the signature is checked', async () => {
    const mailgun = (
      await api('POST', '/channels', {
        type: 'mailgun',
        name: 'MG',
        config: { domain: 'mg.example.com', from: 'Team <team@mg.example.com>', baseUrl: sb.url },
        secrets: { apiKey: 'key-1', webhookSigningKey: 'sandbox-mailgun-signing-key' },
      })
    ).body.id;
    assert.equal((await api('POST', `/channels/${mailgun}/test`)).body.ok, true);
    await sandbox('/mailgun/webhooks', { domain: 'mg.example.com', event: '*', url: `${t.baseUrl}/webhooks/mailgun/${mailgun}` });
    const leads = (await api('POST', '/leads', [{ email: 'ok+open@example.com' }, { email: 'gone+bounce@example.com' }])).body.ids;
    const template = (await api('POST', '/templates', { name: 'E', channel: 'email', subject: 'Hi', text: 'Hello' })).body.id;
    const campaign = (
      await api('POST', '/campaigns', {
        name: 'M',
        type: 'blast',
        sender: { channelId: mailgun },
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
    const form = new FormData();
    form.append('from', 'Team <team@mg.example.com>');
    for (const item of lease.items) form.append('to', item.to);
    form.append('subject', 'Hi');
    form.append('text', 'Hello');
    form.append(
      'recipient-variables',
      JSON.stringify(Object.fromEntries(lease.items.map((i: { to: string; messageId: string }) => [i.to, { id: i.messageId }]))),
    );
    form.append('v:cadence-message-id', '%recipient.id%');
    const sent = await fetch(`${sb.url}/v3/mg.example.com/messages`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('api:key-1').toString('base64')}` },
      body: form,
    });
    assert.equal(sent.status, 200, await sent.clone().text());
    const { id: providerId } = (await sent.json()) as { id: string };
    await sender.call('POST', `/runs/${runId}/results`, {
      leaseId: lease.leaseId,
      results: lease.items.map((i: { messageId: string }) => ({ messageId: i.messageId, outcome: 'sent', providerMessageId: providerId })),
    });
    await tickUntil(t, async () => (await messageRows(campaign)).every((m) => m.status !== 'sent'), 15_000);
    const rows = await messageRows(campaign);
    assert.deepEqual(
      rows.map((r) => [r.to_address, r.status]),
      [
        ['gone+bounce@example.com', 'failed'],
        ['ok+open@example.com', 'delivered'],
      ],
    );
    const bounced = await api('GET', '/suppressions?channel=email&reason=bounced');
    assert.deepEqual(
      bounced.body.items.map((s: { address: string }) => s.address),
      ['gone+bounce@example.com'],
    );
    const forged = await t.request('POST', `/webhooks/mailgun/${mailgun}`, {
      body: {
        signature: { timestamp: String(Math.floor(Date.now() / 1000)), token: 'x', signature: 'y' },
        'event-data': { event: 'delivered' },
      },
    });
    assert.equal(forged.status, 403);
  });

  it('WhatsApp: the verify handshake answers the challenge only for the right token', async () => {
    const wa = (
      await api('POST', '/channels', {
        type: 'whatsapp',
        name: 'WA',
        config: { phoneNumberId: '1234567890', baseUrl: sb.url },
        secrets: { accessToken: 'tok', appSecret: 'sandbox-whatsapp-app-secret', verifyToken: 'verify-me' },
      })
    ).body.id;
    const tested = await api('POST', `/channels/${wa}/test`);
    assert.equal(tested.body.ok, true, JSON.stringify(tested.body));
    assert.equal(tested.body.details.verifiedName, 'Sandbox Business');
    const ok = await fetch(`${t.baseUrl}/webhooks/whatsapp/${wa}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42`);
    assert.equal(await ok.text(), '42');
    const bad = await fetch(`${t.baseUrl}/webhooks/whatsapp/${wa}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42`);
    assert.equal(bad.status, 403);
    const subscribed = await sandbox('/whatsapp/webhook', {
      url: `${t.baseUrl}/webhooks/whatsapp/${wa}`,
      verifyToken: 'verify-me',
      appSecret: 'sandbox-whatsapp-app-secret',
    });
    assert.ok(subscribed.ok, await subscribed.text());
  });

  it('tracking: the pixel records one open, a signed click redirects, unsubscribe is one click (RFC 8058) and suppresses', async () => {
    const [message] = await t.dataSource.query(`SELECT id, campaign_id FROM messages WHERE to_address = 'ok+open@example.com'`);
    const tokens = t.app.get(TrackingTokens);
    const token = tokens.sign(message.id, 'click');
    const openToken = tokens.sign(message.id, 'open');
    const unsubscribeToken = tokens.sign(message.id, 'unsubscribe');
    const key = tokens.clickKey(message.campaign_id);
    // Each link's token only on its own route: nothing below is recorded by a token of another purpose.
    const unsubscribeWith = (tok: string) =>
      fetch(`${t.baseUrl}/u/${tok}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    for (const wrong of [openToken, token]) {
      assert.equal((await fetch(`${t.baseUrl}/u/${wrong}`)).status, 404, 'the unsubscribe page refuses a pixel or click token');
      assert.equal((await unsubscribeWith(wrong)).status, 404, 'one-click unsubscribe refuses a pixel or click token');
    }
    assert.equal((await fetch(`${t.baseUrl}/t/o/${unsubscribeToken}.gif`)).status, 200, 'a wrong pixel token still answers a pixel');
    assert.equal((await fetch(`${t.baseUrl}/t/o/${token}.gif`)).status, 200);
    const wrongClick = await fetch(buildClickUrl(`${t.baseUrl}/t/c/${openToken}`, 'https://example.com/pricing?a=1', 0, key), {
      redirect: 'manual',
    });
    assert.equal(wrongClick.status, 404, 'the click redirect refuses a pixel token');
    assert.deepEqual(
      await t.dataSource.query(`SELECT type FROM message_events WHERE message_id = $1 AND source = 'tracking'`, [message.id]),
      [],
      'no open, click or unsubscribe recorded with a token of another purpose',
    );
    for (let i = 0; i < 2; i++) {
      const pixel = await fetch(`${t.baseUrl}/t/o/${openToken}.gif`);
      assert.equal(pixel.headers.get('content-type'), 'image/gif');
    }
    const follow = (url: string) => fetch(url, { redirect: 'manual' });
    const click = await follow(buildClickUrl(`${t.baseUrl}/t/c/${token}`, 'https://example.com/pricing?a=1', 0, key));
    assert.equal(click.status, 302);
    assert.equal(click.headers.get('location'), 'https://example.com/pricing?a=1');
    // Not an open redirect: an unsigned target, a signed one re-aimed elsewhere, an unknown token.
    const unsigned = await follow(buildClickUrl(`${t.baseUrl}/t/c/${token}`, 'https://evil.example/', 0));
    assert.equal(unsigned.status, 400);
    const signature = new URL(buildClickUrl(`${t.baseUrl}/t/c/${token}`, 'https://example.com/pricing?a=1', 0, key)).searchParams.get('s');
    const reaimed = await follow(`${buildClickUrl(`${t.baseUrl}/t/c/${token}`, 'https://evil.example/', 0)}&s=${signature}`);
    assert.equal(reaimed.status, 400);
    const otherCampaign = await follow(
      buildClickUrl(`${t.baseUrl}/t/c/${token}`, 'https://evil.example/', 0, tokens.clickKey(randomUUID())),
    );
    assert.equal(otherCampaign.status, 400, "another campaign's key does not sign this campaign's links");
    const forged = await follow(
      buildClickUrl(`${t.baseUrl}/t/c/AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB`, 'https://evil.example/', 0, key),
    );
    assert.equal(forged.status, 404);
    const evil = await follow(buildClickUrl(`${t.baseUrl}/t/c/${token}`, 'javascript:alert(1)', 0, key));
    assert.equal(evil.status, 400);
    assert.equal((await fetch(`${t.baseUrl}/t/o/forged.token.gif`)).status, 200, 'a bad pixel token still answers a pixel');
    const page = await fetch(`${t.baseUrl}/u/${unsubscribeToken}`);
    assert.match(await page.text(), /ok\+open@example\.com/);
    const oneClick = await unsubscribeWith(unsubscribeToken);
    assert.equal(oneClick.status, 200);
    // Links sent before purpose-bound tokens carried one token for all three: still honoured (unsubscribe is a legal duty).
    const legacy = tokens.signLegacy(message.id);
    assert.match(await (await fetch(`${t.baseUrl}/u/${legacy}`)).text(), /ok\+open@example\.com/);
    assert.equal((await unsubscribeWith(legacy)).status, 200);
    assert.equal((await fetch(`${t.baseUrl}/t/o/${legacy}.gif`)).status, 200);
    assert.equal((await fetch(`${t.baseUrl}/u/AAAA.BBBB`, { method: 'POST' })).status, 404);
    const events = await t.dataSource.query(
      `SELECT type, count(*)::int AS n FROM message_events WHERE message_id = $1 AND source = 'tracking' GROUP BY type ORDER BY type`,
      [message.id],
    );
    assert.deepEqual(events, [
      { type: 'clicked', n: 1 },
      { type: 'opened', n: 1 },
      { type: 'unsubscribed', n: 1 },
    ]);
    const unsub = await api('GET', '/suppressions?channel=email&reason=unsubscribed');
    assert.ok(
      unsub.body.items.some(
        (s: { address: string; source: string }) => s.address === 'ok+open@example.com' && s.source === 'unsubscribe_link',
      ),
    );
  });

  it('a rotated Twilio auth token is honoured at once, though webhook channels are cached', async () => {
    const path = `/webhooks/twilio/${twilioId}/status`;
    const params = { MessageSid: `SM${'7'.repeat(32)}`, MessageStatus: 'delivered', To: '+14155559999' };
    const post = (token: string) => {
      let data = `${t.baseUrl}${path}`;
      for (const k of Object.keys(params).sort()) data += k + params[k as keyof typeof params];
      const signature = createHmac('sha1', token).update(data).digest('base64');
      return fetch(`${t.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params),
      });
    };
    assert.equal((await post(TOKEN)).status, 200);
    assert.equal((await api('PATCH', `/channels/${twilioId}`, { secrets: { authToken: 'rotated-token-1' } })).status, 200);
    assert.equal((await post(TOKEN)).status, 403, 'the old token must stop working as soon as it is replaced');
    assert.equal((await post('rotated-token-1')).status, 200);
    // Rotated by another instance (this one's cache is stale): the stored row decides.
    const sealed = (await t.dataSource.query('SELECT secrets FROM channel_connections WHERE id = $1', [twilioId]))[0].secrets;
    assert.equal((await api('PATCH', `/channels/${twilioId}`, { secrets: { authToken: TOKEN } })).status, 200);
    assert.equal((await post(TOKEN)).status, 200);
    await t.dataSource.query('UPDATE channel_connections SET secrets = $2 WHERE id = $1', [twilioId, sealed]);
    assert.equal((await post('rotated-token-1')).status, 200);
    await api('PATCH', `/channels/${twilioId}`, { secrets: { authToken: TOKEN } });
  });
});
