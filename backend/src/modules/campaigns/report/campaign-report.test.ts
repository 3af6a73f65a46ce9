import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { seedMessages } from '../../../test/seed-messages';
import { startTestApp, TestApp } from '../../../test/test-app';

// The SQL (date_trunc with a time zone, FILTER, LATERAL VALUES, keyset batches) runs on both databases.
describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('campaign reports on %s: timeline, per-step counts, message events, CSV export', (_name, embedded) => {
  let t: TestApp;
  let key: string;
  let orgId: string;
  let campaignId: string;
  let stepIds: string[];
  let otherKey: string;
  const api = (method: string, path: string, k = key) => t.request(method, `/api/v1${path}`, { key: k });

  beforeAll(async () => {
    t = await startTestApp({ embedded, env: { SCHEDULER_INTERVAL_MS: '0' } });
    ({ apiKey: key, organizationId: orgId } = await t.createOrg());
    ({ apiKey: otherKey } = await t.createOrg('Other'));
    const post = async (path: string, body: unknown) => {
      const res = await t.request('POST', `/api/v1${path}`, { key, body });
      assert.ok(res.status < 300, JSON.stringify(res.body));
      return res.body;
    };
    const channel = await post('/channels', {
      type: 'twilio',
      name: 'Line',
      config: { accountSid: `AC${'4'.repeat(32)}`, from: '+14155550100' },
      secrets: { authToken: 'token-token-token' },
    });
    const template = await post('/templates', { name: 'Hi', channel: 'sms', body: 'Hi' });
    const campaign = await post('/campaigns', {
      name: 'Spring =promo, "2026"',
      type: 'sequence',
      sender: { channelId: channel.id },
      audience: { all: true },
      steps: [
        { channel: 'sms', templateId: template.id },
        { channel: 'sms', templateId: template.id, delaySeconds: 60 },
      ],
    });
    campaignId = campaign.id;
    stepIds = campaign.steps.map((s: { id: string }) => s.id);
    await seedMessages(t.dataSource, { organizationId: orgId, campaignId, stepId: stepIds[0], count: 80 });
    await seedMessages(t.dataSource, { organizationId: orgId, campaignId, stepId: stepIds[1], count: 8, position: 1 });
    // A recipient whose address and error would run as spreadsheet formulas.
    await t.dataSource.query(
      `UPDATE messages SET to_address = '=HYPERLINK("http://evil")', error_message = '@SUM(1+1), then "quit"'
        WHERE id = (SELECT id FROM messages WHERE campaign_id = $1 AND status = 'failed' ORDER BY id LIMIT 1)`,
      [campaignId],
    );
  });
  afterAll(() => t?.close());

  it('timeline: sends, deliveries and failures per minute and per hour, dense and bounded', async () => {
    const minute = await api('GET', `/campaigns/${campaignId}/timeline?bucket=minute`);
    assert.equal(minute.status, 200, JSON.stringify(minute.body));
    const sum = (k: 'sent' | 'delivered' | 'failed', points: Array<Record<string, number>>) => points.reduce((n, p) => n + p[k], 0);
    // 88 messages, i % 8: sent_at on sent, delivered, failed, unknown (11 each); delivered_at on delivered; failed 11.
    assert.equal(sum('sent', minute.body.points), 44);
    assert.equal(sum('delivered', minute.body.points), 11);
    assert.equal(sum('failed', minute.body.points), 11);
    assert.equal(minute.body.bucket, 'minute');
    assert.ok(minute.body.points.length >= 60 && minute.body.points.length <= 1441, String(minute.body.points.length));
    const times = minute.body.points.map((p: { t: string }) => Date.parse(p.t));
    assert.ok(
      times.every((x: number, i: number) => i === 0 || x - times[i - 1] === 60_000),
      'one point per minute, none missing',
    );
    const hour = await api('GET', `/campaigns/${campaignId}/timeline?bucket=hour`);
    assert.equal(sum('sent', hour.body.points), 44);
    assert.ok(hour.body.points.length <= 4);
    const bad = await api('GET', `/campaigns/${campaignId}/timeline?bucket=week`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'validation_failed');
    assert.equal((await api('GET', `/campaigns/${campaignId}/timeline`, otherKey)).status, 404);
  });

  it('step counts: messages per step and status', async () => {
    const res = await api('GET', `/campaigns/${campaignId}/step-counts`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.items.map((s: { position: number; counts: Record<string, number> }) => [s.position, s.counts.total, s.counts.delivered]),
      [
        [0, 80, 10],
        [1, 8, 1],
      ],
    );
    assert.equal((await api('GET', `/campaigns/${campaignId}/step-counts`, otherKey)).body.code, 'campaign_not_found');
  });

  it('message events: the message with its events, oldest first; another organization gets 404', async () => {
    const [{ id: messageId }] = await t.dataSource.query(
      `SELECT id FROM messages WHERE campaign_id = $1 AND status = 'delivered' ORDER BY id LIMIT 1`,
      [campaignId],
    );
    await t.dataSource.query(
      `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at, payload) VALUES
        ($1, $2, 'twilio', 'e2', 'delivered', now(), '{"MessageStatus": "delivered", "nested": {"x": 1}}'),
        ($1, $2, 'twilio', 'e1', 'sent', now() - interval '1 minute', $3)`,
      [orgId, messageId, JSON.stringify({ MessageStatus: 'sent', Body: 'x'.repeat(500) })],
    );
    const res = await api('GET', `/campaigns/${campaignId}/messages/${messageId}/events`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.message.status, 'delivered');
    assert.deepEqual(
      res.body.events.map((e: { type: string }) => e.type),
      ['sent', 'delivered'],
    );
    assert.equal(res.body.events[0].summary.Body.length, 201, 'long texts are cut');
    assert.deepEqual(res.body.events[1].summary, { MessageStatus: 'delivered' }, 'only scalar fields');
    assert.equal((await api('GET', `/campaigns/${campaignId}/messages/${messageId}/events`, otherKey)).body.code, 'message_not_found');
    const unknown = await api('GET', `/campaigns/${campaignId}/messages/00000000-0000-4000-8000-000000000000/events`);
    assert.equal(unknown.status, 404);
    assert.equal((await api('GET', `/campaigns/${campaignId}/messages/nope/events`)).status, 400);
  });

  it('CSV export: every recipient once, RFC 4180 quoting, formulas neutralized, an attachment name; filtered by status', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/campaigns/${campaignId}/messages.csv`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="spring-promo-2026-recipients.csv"');
    const text = await res.text();
    const lines = text.split('\r\n');
    assert.equal(lines.at(-1), '', 'ends with CRLF');
    assert.match(lines[0], /^message_id,lead_id,step,channel,to,status,/);
    assert.equal(lines.length - 2, 88);
    const ids = new Set(lines.slice(1, -1).map((l) => l.split(',')[0]));
    assert.equal(ids.size, 88, 'no message twice');
    const evil = lines.find((l) => l.includes('HYPERLINK'))!;
    assert.ok(evil.includes(`"'=HYPERLINK(""http://evil"")"`), evil);
    assert.ok(evil.includes(`"'@SUM(1+1), then ""quit"""`), evil);
    assert.ok(lines[1].includes(`"'+1415`), 'E.164 numbers are text, not formulas');

    const failed = await fetch(`${t.baseUrl}/api/v1/campaigns/${campaignId}/messages.csv?status=failed`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(failed.headers.get('content-disposition'), 'attachment; filename="spring-promo-2026-recipients-failed.csv"');
    const failedLines = (await failed.text()).split('\r\n').slice(1, -1);
    assert.equal(failedLines.length, 11);
    assert.ok(failedLines.every((l) => l.includes(',failed,')));

    const bad = await api('GET', `/campaigns/${campaignId}/messages.csv?status=nope`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'validation_failed');
    assert.equal((await api('GET', `/campaigns/${campaignId}/messages.csv`, otherKey)).body.code, 'campaign_not_found');
  });
});
