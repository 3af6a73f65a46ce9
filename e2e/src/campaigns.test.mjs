// Campaigns sent end to end: REST launch → backend → signed trigger → real n8n running the Cadence
// nodes and the exported workflow → provider sandbox → webhooks back → the message log. Twice: with n8n
// as one process (`npm start`), and in queue mode as docker-compose.yml deploys it (one main receiving
// the triggers, two workers running the executions, on PostgreSQL and Redis).
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startStack, waitFor } from './stack.mjs';

const SID = `AC${'e'.repeat(32)}`;
const FROM = '+14155550150';

/** 1,000 distinct valid US numbers that none of the sandbox's behaviour conventions (…999x) touches. */
const phone = (block, i) => `+1415${block}${String(i).padStart(4, '0')}`;

describe.each([
  ['one n8n process', undefined],
  ['n8n in queue mode (one main, two workers)', { workers: 2 }],
])('campaigns end to end with a real n8n: %s', (_mode, queue) => {
  let s;
  let twilio;
  let mailgun;
  let sms;
  let email;

  async function leads(items) {
    const ids = [];
    for (let i = 0; i < items.length; i += 1000) {
      const res = await s.api('POST', '/leads', items.slice(i, i + 1000));
      assert.equal(res.body.failed, 0, JSON.stringify(res.body.errors?.slice(0, 3)));
      ids.push(...res.body.ids);
    }
    return ids;
  }

  async function launch(body) {
    const created = await s.api('POST', '/campaigns', {
      name: 'E2E',
      type: 'blast',
      sender: { channelId: twilio },
      steps: [{ channel: 'sms', templateId: sms }],
      ...body,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const launched = await s.api('POST', `/campaigns/${created.body.id}/launch`, undefined, {
      'idempotency-key': `launch-${created.body.id}`,
    });
    assert.equal(launched.status, 202);
    return created.body.id;
  }

  const sandboxMessages = async (provider) => (await s.sandboxApi('GET', `/messages?provider=${provider}`)).items;
  const duplicates = async () => (await s.sandboxApi('GET', '/duplicates')).total;
  const statusCounts = async (id) => {
    const { rows } = await s.db.query('SELECT status, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY status', [id]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };

  beforeAll(async () => {
    s = await startStack({ queue });
    twilio = (
      await s.api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: SID, from: FROM, baseUrl: s.sandboxUrl, ratePerSecond: 200 },
        secrets: { authToken: 'sandbox-twilio-auth-token' },
      })
    ).body.id;
    mailgun = await s.mailgunChannel();
    sms = (
      await s.api('POST', '/templates', {
        name: 'SMS',
        channel: 'sms',
        body: 'Hi {{ lead.first_name | default: "there" }}, your code is {{ lead.code }}',
      })
    ).body.id;
    email = (
      await s.api('POST', '/templates', {
        name: 'Mail',
        channel: 'email',
        subject: 'Hello {{ lead.first_name | default: "there" }}',
        html: '<p>Hi {{ lead.first_name | default: "there" }}, see <a href="https://cadence.test/pricing">pricing</a>.</p>',
      })
    ).body.id;
    // The number is a high-throughput sender at the "provider" too: the sandbox enforces 200/s for it.
    await s.sandboxApi('PUT', '/rate-limits', { twilio: { numbers: { [FROM]: 200 } } });
    await s.sandboxApi('POST', '/mailgun/webhooks', {
      domain: 'mg.cadence.test',
      event: '*',
      url: `${s.backendUrl}/webhooks/mailgun/${mailgun}`,
    });
    // Recipients who simply receive (no seeded bounces, STOPs or carrier failures), so counts are exact;
    // the one bouncing address below keeps its +bounce convention.
    for (const match of ['+1415*', 'reader*@cadence.test', 'seq*@cadence.test'])
      await s.sandboxApi('POST', '/behaviour/overrides', { match, behaviour: {} });
  });
  afterAll(async () => {
    if (process.exitCode && s) console.error(s.logs.slice(-60).join(''));
    await s?.stop();
  });

  it('a 1,000-lead SMS blast: 1,000 sent, 1,000 sandbox deliveries, 0 duplicates', async () => {
    const ids = await leads(
      Array.from({ length: 1000 }, (_, i) => ({
        phone: phone('201', i),
        firstName: `Lead${i}`,
        attributes: { code: String(1000 + i) },
        consent: { sms: true },
      })),
    );
    const id = await launch({ audience: { leadIds: ids }, settings: { batchSize: 250, concurrency: 8 } });
    const done = await s.campaignDone(id);
    assert.equal(done.status, 'completed');
    const counts = await statusCounts(id);
    assert.equal((counts.sent ?? 0) + (counts.delivered ?? 0), 1000, JSON.stringify(counts));
    const delivered = (await sandboxMessages('twilio')).filter((m) => m.to.startsWith('+1415201'));
    assert.equal(delivered.length, 1000);
    assert.equal(new Set(delivered.map((m) => m.to)).size, 1000);
    assert.ok(
      delivered.some((m) => m.body === 'Hi Lead7, your code is 1007'),
      'rendered per lead',
    );
    assert.equal(await duplicates(), 0);
  });

  it('pause stops sending, resume finishes; nothing is sent twice', async () => {
    const ids = await leads(
      Array.from({ length: 300 }, (_, i) => ({ phone: phone('202', i), attributes: { code: 'x' }, consent: { sms: true } })),
    );
    const id = await launch({ audience: { leadIds: ids }, settings: { ratePerSecond: 40, batchSize: 50 } });
    await waitFor(async () => ((await statusCounts(id)).sent ?? 0) + ((await statusCounts(id)).delivered ?? 0) >= 40, 'some sends', 60_000);
    assert.equal((await s.api('POST', `/campaigns/${id}/pause`)).body.status, 'paused');
    // What was already handed to the provider finishes; then nothing moves while paused.
    await new Promise((r) => setTimeout(r, 8000));
    const frozen = (await sandboxMessages('twilio')).filter((m) => m.to.startsWith('+1415202')).length;
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await sandboxMessages('twilio')).filter((m) => m.to.startsWith('+1415202')).length, frozen, 'no sends while paused');
    assert.ok(frozen < 300);
    assert.equal((await s.api('POST', `/campaigns/${id}/resume`)).body.status, 'active');
    assert.equal((await s.campaignDone(id)).status, 'completed');
    assert.equal((await sandboxMessages('twilio')).filter((m) => m.to.startsWith('+1415202')).length, 300);
    assert.equal(await duplicates(), 0);
  });

  it('cancel skips what is left with reason cancelled', async () => {
    const ids = await leads(
      Array.from({ length: 300 }, (_, i) => ({ phone: phone('203', i), attributes: { code: 'x' }, consent: { sms: true } })),
    );
    const id = await launch({ audience: { leadIds: ids }, settings: { ratePerSecond: 20, batchSize: 20 } });
    await waitFor(async () => ((await statusCounts(id)).sent ?? 0) + ((await statusCounts(id)).delivered ?? 0) >= 20, 'some sends', 60_000);
    assert.equal((await s.api('POST', `/campaigns/${id}/cancel`)).body.status, 'cancelled');
    await waitFor(
      async () => {
        const c = await statusCounts(id);
        return !c.queued && !c.leased && !c.sending;
      },
      'in-flight messages to settle',
      60_000,
    );
    const counts = await statusCounts(id);
    const sent = (counts.sent ?? 0) + (counts.delivered ?? 0);
    assert.ok(counts.skipped > 100, JSON.stringify(counts));
    assert.equal(sent + counts.skipped + (counts.unknown ?? 0) + (counts.failed ?? 0), 300);
    const { rows } = await s.db.query(`SELECT DISTINCT skip_reason FROM messages WHERE campaign_id = $1 AND status = 'skipped'`, [id]);
    assert.deepEqual(rows, [{ skip_reason: 'cancelled' }]);
    const [{ accepted }] = (
      await s.db.query('SELECT count(*)::int AS accepted FROM messages WHERE campaign_id = $1 AND provider_message_id IS NOT NULL', [id])
    ).rows;
    assert.equal(
      (await sandboxMessages('twilio')).filter((m) => m.to.startsWith('+1415203')).length,
      accepted,
      'the sandbox received exactly what the log says was accepted',
    );
  });

  it('a Mailgun campaign goes out in batch calls of up to 1,000 recipients, and bounces come back', async () => {
    const items = Array.from({ length: 2500 }, (_, i) => ({
      email: i === 7 ? `gone${i}+bounce@cadence.test` : `reader${i}@cadence.test`,
      firstName: `R${i}`,
    }));
    const ids = await leads(items);
    const created = await s.api('POST', '/campaigns', {
      name: 'Newsletter',
      type: 'blast',
      sender: { channelId: mailgun },
      audience: { leadIds: ids },
      steps: [{ channel: 'email', templateId: email }],
      settings: { batchSize: 1000 },
    });
    await s.api('POST', `/campaigns/${created.body.id}/launch`);
    assert.equal((await s.campaignDone(created.body.id)).status, 'completed');
    const accepted = (await sandboxMessages('mailgun')).filter((m) => /reader|gone/.test(m.to));
    assert.equal(accepted.length, 2500);
    assert.equal(await duplicates(), 0);
    const batches = new Set(accepted.map((m) => m.providerMessageId ?? m.batchId ?? m.id));
    assert.ok(batches.size <= 10, `${batches.size} Mailgun calls for 2,500 recipients`);
    await waitFor(
      async () => (await s.api('GET', '/suppressions?channel=email&reason=bounced')).body.items.length === 1,
      'the bounce to come back',
      30_000,
    );
    const [{ status }] = (await s.db.query(`SELECT status FROM messages WHERE to_address = 'gone7+bounce@cadence.test'`)).rows;
    assert.equal(status, 'failed');
  });

  it('a two-step sequence: email, then SMS two seconds after it', async () => {
    const ids = await leads(
      Array.from({ length: 20 }, (_, i) => ({
        email: `seq${i}@cadence.test`,
        phone: phone('204', i),
        attributes: { code: 'y' },
        consent: { sms: true },
      })),
    );
    const created = await s.api('POST', '/campaigns', {
      name: 'Seq',
      type: 'sequence',
      sender: { channelId: mailgun },
      audience: { leadIds: ids },
      steps: [
        { channel: 'email', templateId: email },
        { channel: 'sms', templateId: sms, delaySeconds: 2, sender: { channelId: twilio } },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await s.api('POST', `/campaigns/${created.body.id}/launch`);
    assert.equal((await s.campaignDone(created.body.id)).status, 'completed');
    const { rows } = await s.db.query(
      `SELECT e.sent_at AS email_at, t.sent_at AS sms_at FROM messages e JOIN messages t ON t.lead_id = e.lead_id AND t.campaign_id = e.campaign_id AND t.position = 1
        WHERE e.campaign_id = $1 AND e.position = 0`,
      [created.body.id],
    );
    assert.equal(rows.length, 20);
    for (const r of rows) assert.ok(new Date(r.sms_at) - new Date(r.email_at) >= 2000, 'the SMS waits its delay after the email');
    assert.equal((await sandboxMessages('twilio')).filter((m) => m.to.startsWith('+1415204')).length, 20);
  });

  it('ambiguous sends (connection reset after the provider accepted) are never re-sent; provider evidence settles them', async () => {
    const fault = await s.sandboxApi('POST', '/faults', { provider: 'twilio', type: 'reset-after', match: '+1415205000?' });
    assert.ok(fault.id, JSON.stringify(fault));
    const ids = await leads(
      Array.from({ length: 50 }, (_, i) => ({ phone: phone('205', i), attributes: { code: 'z' }, consent: { sms: true } })),
    );
    const id = await launch({ audience: { leadIds: ids } });
    assert.equal((await s.campaignDone(id)).status, 'completed');
    const faults = await s.sandboxApi('GET', '/faults');
    assert.equal((faults.items ?? faults).find((f) => f.id === fault.id)?.fired, 10, 'the sandbox reset ten accepted requests');
    // Never sent again: one lease each, one copy at the provider each.
    const { rows } = await s.db.query(
      'SELECT to_address, attempts, status, provider_message_id FROM messages WHERE campaign_id = $1 ORDER BY to_address',
      [id],
    );
    assert.ok(
      rows.every((r) => r.attempts === 1),
      JSON.stringify(rows.filter((r) => r.attempts !== 1)),
    );
    const received = (await sandboxMessages('twilio')).filter((m) => m.to.startsWith('+1415205'));
    assert.equal(received.length, 50);
    assert.equal(await duplicates(), 0);
    // The ten were reported unknown by n8n; the provider's own callbacks (it did accept them) then settled them.
    for (const r of rows.slice(0, 10)) assert.ok(['unknown', 'sent', 'delivered'].includes(r.status), JSON.stringify(r));
    await fetch(`${s.sandboxUrl}/_sandbox/faults`, { method: 'DELETE' });
  });
});
