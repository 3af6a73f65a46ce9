import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { heldBytesOf, leaseHeldBytes, leaseTemplateOf, MAX_LEASE_HELD_BYTES } from '@cadence/contracts';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { backdateLeases, FakeSender, tick, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';
import { horizonMs } from './lease-policy.util';
import { takeLeaseTurn } from './lease-turn';
import { applyProviderEvent, markLeased, markSending } from '../messages/message-status';
import { ledgerIntervalMs, SLOT_LATE_TOLERANCE_MS, SLOT_LEAD_MS } from '../quota/quota-gcra.util';

const OPEN = ['queued', 'leased', 'sending'];

describe('campaign engine (backend side, n8n played over the internal API)', () => {
  let t: TestApp;
  let key: string;
  let receiver: TriggerReceiver;
  let twilioId: string;
  let smsTemplate: string;

  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    t.request(method, `/api/v1${path}`, { key, body, ...(headers && { headers }) });
  const counts = async (id: string) => (await api('GET', `/campaigns/${id}`)).body.counts;
  const realCounts = async (id: string) => {
    const rows: Array<{ status: string; n: number }> = await t.dataSource.query(
      'SELECT status, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY status',
      [id],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };
  const campaignStatus = async (id: string) => (await api('GET', `/campaigns/${id}`)).body.status;
  const runsOf = async (id: string): Promise<string[]> =>
    (await t.dataSource.query('SELECT id FROM campaign_runs WHERE campaign_id = $1 ORDER BY created_at', [id])).map(
      (r: { id: string }) => r.id,
    );

  async function leads(n: number, prefix: string, extra: (i: number) => Record<string, unknown> = () => ({})) {
    const res = await api(
      'POST',
      '/leads',
      Array.from({ length: n }, (_, i) => ({
        phone: `+1415${prefix}${String(i).padStart(4, '0')}`,
        email: `${prefix}-${i}@example.com`,
        consent: { sms: true },
        ...extra(i),
      })),
    );
    assert.equal(res.body.failed, 0, JSON.stringify(res.body.errors));
    return res.body.ids as string[];
  }

  async function campaign(body: Record<string, unknown>) {
    const res = await api('POST', '/campaigns', {
      name: 'C',
      type: 'blast',
      sender: { channelId: twilioId },
      steps: [{ channel: 'sms', templateId: smsTemplate }],
      ...body,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  }

  async function launchAndMaterialize(id: string) {
    const launched = await api('POST', `/campaigns/${id}/launch`);
    assert.equal(launched.status, 202, JSON.stringify(launched.body));
    await tickUntil(t, async () => (await api('GET', `/campaigns/${id}`)).body.materialized);
  }

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, LEASE_TTL_SECONDS: '5' } });
    key = (await t.createOrg()).apiKey;
    twilioId = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'2'.repeat(32)}`, from: '+14155550100', ratePerSecond: 1000 },
        secrets: { authToken: 'token-token-token' },
      })
    ).body.id;
    smsTemplate = (await api('POST', '/templates', { name: 'Hi', channel: 'sms', body: 'Hi {{ lead.first_name | default: "there" }}' }))
      .body.id;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('a blast is launched with 202, materialized, triggered through a signed webhook, sent, and completed', async () => {
    await leads(120, '701');
    const id = await campaign({ audience: { all: true }, settings: { batchSize: 50 } });
    const started = Date.now();
    const launched = await api('POST', `/campaigns/${id}/launch`);
    assert.equal(launched.status, 202);
    assert.ok(Date.now() - started < 2000);
    await tickUntil(t, async () => receiver.triggers.some((tr) => tr.campaignId === id));
    const trigger = receiver.triggers.find((tr) => tr.campaignId === id)!;
    assert.equal(trigger.event, 'campaign.run');
    assert.equal(trigger.channel, 'sms');
    const handed = await new FakeSender(t).drain(trigger.runId);
    assert.equal(handed, 120);
    await tick(t);
    assert.equal(await campaignStatus(id), 'completed');
    const c = await counts(id);
    assert.equal(c.sent, 120);
    assert.equal(c.total, 120);
    assert.deepEqual(await realCounts(id), { sent: 120 });
  });

  it('the lease carries what n8n needs, and skips suppressed and unconsented leads with their reason', async () => {
    const ids = await leads(6, '702', (i) => (i === 1 ? { consent: { sms: false } } : {}));
    await api('POST', '/suppressions', { channel: 'sms', address: '+14157020000', reason: 'stop' });
    const id = await campaign({ audience: { leadIds: ids } });
    await launchAndMaterialize(id);
    const [runId] = await runsOf(id);
    const sender = new FakeSender(t);
    const lease = (await sender.call('POST', `/runs/${runId}/lease`, {})).body;
    assert.equal(lease.items.length, 4);
    assert.equal(lease.sender.kind, 'twilio');
    assert.equal(lease.sender.secrets.authToken, 'token-token-token');
    // The operator's base-URL policy, for the Send node to check the URL again (the test app's env).
    assert.deepEqual(lease.sender.endpointPolicy, { customEndpoints: true, allowlist: ['127.0.0.1'] });
    const item = lease.items[0];
    assert.deepEqual(Object.keys(lease.templates), [item.templateKey], 'one template, once, for the four messages');
    assert.equal(leaseTemplateOf(lease, item).body, 'Hi {{ lead.first_name | default: "there" }}');
    assert.match(item.tracking.unsubscribeUrl, /\/u\/1[\w-]{44}$/);
    const { open, click, unsubscribe } = item.tracking.tokens;
    assert.equal(new Set([open, click, unsubscribe]).size, 3, 'one token per purpose');
    assert.ok(item.tracking.unsubscribeUrl.endsWith(`/u/${unsubscribe}`) && item.tracking.openPixelUrl.endsWith(`/t/o/${open}.gif`));
    assert.ok(item.tracking.clickBaseUrl.endsWith(`/t/c/${click}`));
    assert.match(item.callbacks.statusCallbackUrl, /\/webhooks\/twilio\/[0-9a-f-]+\/status\?cadenceMessageId=[0-9a-f-]+$/);
    const skipped = await t.dataSource.query(
      `SELECT skip_reason, count(*)::int AS n FROM messages WHERE campaign_id = $1 AND status = 'skipped' GROUP BY 1 ORDER BY 1`,
      [id],
    );
    assert.deepEqual(skipped, [
      { skip_reason: 'no_consent', n: 1 },
      { skip_reason: 'suppressed', n: 1 },
    ]);
    const c = await counts(id);
    assert.equal(c.leased + c.skipped, 6);
  });

  it('results are idempotent and status only moves forward', async () => {
    const ids = await leads(3, '703');
    const id = await campaign({ audience: { leadIds: ids } });
    await launchAndMaterialize(id);
    const [runId] = await runsOf(id);
    const sender = new FakeSender(t);
    const lease = (await sender.call('POST', `/runs/${runId}/lease`, {})).body;
    const messageIds = lease.items.map((i: { messageId: string }) => i.messageId);
    await sender.call('POST', `/runs/${runId}/sending`, { leaseId: lease.leaseId, messageIds });
    const body = {
      leaseId: lease.leaseId,
      results: messageIds.map((m: string) => ({ messageId: m, outcome: 'sent', providerMessageId: `SM-${m}` })),
    };
    const first = await sender.call('POST', `/runs/${runId}/results`, body, { 'idempotency-key': 'k1' });
    const again = await sender.call('POST', `/runs/${runId}/results`, body, { 'idempotency-key': 'k1' });
    assert.deepEqual(first.body, { applied: 3, ignored: 0 });
    assert.deepEqual(again.body, first.body);
    await t.dataSource.query(`UPDATE messages SET status = 'delivered' WHERE id = $1`, [messageIds[0]]);
    const late = await sender.call('POST', `/runs/${runId}/results`, {
      leaseId: lease.leaseId,
      results: [{ messageId: messageIds[0], outcome: 'failed', errorCode: 'x' }],
    });
    assert.deepEqual(late.body, { applied: 0, ignored: 1 });
    const reused = await sender.call(
      'POST',
      `/runs/${runId}/results`,
      { ...body, results: body.results.slice(1) },
      { 'idempotency-key': 'k1' },
    );
    assert.equal(reused.body.code, 'idempotency_key_reused');
    assert.deepEqual(await realCounts(id), { delivered: 1, sent: 2 });
    // The indexes hold `delivered` as `sent`: the campaign's message list still tells them apart.
    const listed = async (status: string) =>
      (await api('GET', `/campaigns/${id}/messages?status=${status}`)).body.items.map((i: { id: string }) => i.id).sort();
    assert.deepEqual(await listed('delivered'), [messageIds[0]]);
    assert.deepEqual(await listed('sent'), messageIds.slice(1).sort());
    assert.equal((await counts(id)).sent, 2);
  });

  it('an expired lease requeues what never reached a provider and turns what was being sent into unknown, never re-sent', async () => {
    const ids = await leads(4, '704');
    const id = await campaign({ audience: { leadIds: ids } });
    await launchAndMaterialize(id);
    const [runId] = await runsOf(id);
    const sender = new FakeSender(t);
    const lease = (await sender.call('POST', `/runs/${runId}/lease`, {})).body;
    const [a, b] = lease.items.map((i: { messageId: string }) => i.messageId);
    await sender.call('POST', `/runs/${runId}/sending`, { leaseId: lease.leaseId, messageIds: [a, b] });
    // n8n dies here: two messages are being sent, two were only leased. The lease expired more than a TTL ago
    // (a message being sent has one more TTL to be reported).
    await backdateLeases(t, '1 day', 'campaign_id = $2', [id]);
    await tick(t);
    const rows: Array<{ id: string; status: string }> = await t.dataSource.query('SELECT id, status FROM messages WHERE campaign_id = $1', [
      id,
    ]);
    assert.deepEqual(
      rows
        .filter((r) => r.status === 'unknown')
        .map((r) => r.id)
        .sort(),
      [a, b].sort(),
    );
    assert.equal(rows.filter((r) => r.status === 'queued').length, 2);
    const late = await sender.call('POST', `/runs/${runId}/sending`, {
      leaseId: lease.leaseId,
      messageIds: lease.items.map((i: { messageId: string }) => i.messageId),
    });
    assert.deepEqual(late.body.accepted, [], 'an expired lease may not send anything');
    await tickUntil(t, async () => (await runsOf(id)).length > 1);
    const runs = await runsOf(id);
    const handed = await new FakeSender(t).drain(runs.at(-1)!);
    assert.equal(handed, 2, 'only the requeued messages are leased again');
    // A late report from the dead execution settles an unknown message.
    await sender.call('POST', `/runs/${runId}/results`, {
      leaseId: lease.leaseId,
      results: [{ messageId: a, outcome: 'sent', providerMessageId: 'SM-late' }],
    });
    await tick(t);
    assert.deepEqual(await realCounts(id), { sent: 3, unknown: 1 });
    assert.equal(await campaignStatus(id), 'completed');
  });

  it('a message being sent outlives its lease by one TTL before it turns unknown; only the leased one goes back at once', async () => {
    const ids = await leads(2, '709');
    const id = await campaign({ audience: { leadIds: ids } });
    await launchAndMaterialize(id);
    const [runId] = await runsOf(id);
    const sender = new FakeSender(t);
    const lease = (await sender.call('POST', `/runs/${runId}/lease`, {})).body;
    const [sending, leased] = lease.items.map((i: { messageId: string }) => i.messageId);
    await sender.call('POST', `/runs/${runId}/sending`, { leaseId: lease.leaseId, messageIds: [sending] });
    const statusOf = async (messageId: string) =>
      (await t.dataSource.query<Array<{ status: string }>>('SELECT status FROM messages WHERE id = $1', [messageId]))[0].status;
    // The lease expired 2 s ago; the TTL is 5 s.
    await backdateLeases(t, '2 seconds', 'campaign_id = $2', [id]);
    await tick(t);
    assert.equal(await statusOf(leased), 'queued');
    assert.equal(await statusOf(sending), 'sending', 'still within a TTL of its lease: its report may come');
    // The sweep read the lease's messages once for what it left leased; the ticks until its TTL is over do not again.
    const leaseRow = () =>
      t.dataSource.query<Array<{ requeued: boolean }>>('SELECT requeued_at IS NOT NULL AS requeued FROM message_leases WHERE id = $1', [
        lease.leaseId,
      ]);
    assert.deepEqual(await leaseRow(), [{ requeued: true }]);
    await backdateLeases(t, '6 seconds', 'id = $2', [sending]);
    await tick(t);
    assert.equal(await statusOf(sending), 'unknown');
    assert.deepEqual(await leaseRow(), [], 'a lease a TTL past its expiry is forgotten');
  });

  /** How a statement updated `messages` rows, counted by the connection's own statistics (not yet flushed: exact). */
  async function countUpdates(messageIds: string[], statement: (m: EntityManager) => Promise<number>) {
    return t.dataSource.transaction(async (m) => {
      const stats = async () => {
        const [row]: Array<{ upd: string; hot: string }> = await m.query(
          `SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_xact_user_tables WHERE relname = 'messages'`,
        );
        return { upd: Number(row?.upd ?? 0), hot: Number(row?.hot ?? 0) };
      };
      const pages = async () =>
        new Map(
          (
            await m.query<Array<{ id: string; page: number }>>(
              `SELECT id, (ctid::text::point)[0]::int AS page FROM messages WHERE id = ANY($1)`,
              [messageIds],
            )
          ).map((r) => [r.id, r.page]),
        );
      const pagesBefore = await pages();
      const before = await stats();
      const moved = await statement(m);
      const after = await stats();
      const pagesAfter = await pages();
      const samePage = messageIds.filter((mid: string) => pagesBefore.get(mid) === pagesAfter.get(mid)).length;
      return { moved, upd: after.upd - before.upd, hot: after.hot - before.hot, samePage };
    });
  }

  /** A campaign of `n` leads leased whole: its run, lease and message ids. */
  async function leasedCampaign(n: number, phonePrefix: string) {
    const id = await campaign({ audience: { leadIds: await leads(n, phonePrefix) } });
    await launchAndMaterialize(id);
    const [runId] = await runsOf(id);
    const sender = new FakeSender(t);
    const lease = (await sender.call('POST', `/runs/${runId}/lease`, {})).body;
    const messageIds: string[] = lease.items.map((i: { messageId: string }) => i.messageId);
    assert.equal(messageIds.length, n);
    return { id, runId, sender, leaseId: lease.leaseId as string, messageIds };
  }

  it('the sending mark updates the rows in place: no index gets a new entry (a HOT update)', async () => {
    const { id, leaseId, messageIds } = await leasedCampaign(20, '710');
    const counted = await countUpdates(messageIds, async (m) => (await markSending(m, id, leaseId, messageIds)).length);
    // An update is in place only where its page has room: the lease's new row versions took part of what
    // `fillfactor` kept free, so a full page sends some rows elsewhere (how many depends on the pages' history:
    // 16 of 20 stay when this test runs alone). Every row that stayed on its page was updated in place;
    // had the mark changed an indexed column, none would have been.
    assert.equal(counted.moved, 20);
    assert.equal(counted.upd, 20);
    assert.ok(counted.samePage >= 10, `only ${counted.samePage} of 20 stayed on their page`);
    assert.equal(counted.hot, counted.samePage);
  });

  it('the lease updates the rows in place and writes one row for the expiry sweeps: no index of messages gets a new entry', async () => {
    const id = await campaign({ audience: { leadIds: await leads(20, '717') } });
    await launchAndMaterialize(id);
    const queued: Array<{ id: string; address: string }> = await t.dataSource.query(
      `SELECT id, to_address AS address FROM messages WHERE campaign_id = $1 AND status = 'queued'`,
      [id],
    );
    assert.equal(queued.length, 20);
    const messageIds = queued.map((q) => q.id);
    const leaseId = randomUUID();
    const [{ run }] = await t.dataSource.query<Array<{ run: string }>>(
      'SELECT id AS run FROM campaign_runs WHERE campaign_id = $1 LIMIT 1',
      [id],
    );
    const counted = await countUpdates(messageIds, async (m) => ((await markLeased(m, leaseId, run, 60, queued)) ? messageIds.length : 0));
    // As for the mark below: every row that stayed on its page was updated in place. Before migration 1798400000000
    // the lease moved `indexed_status` and `lease_expires_at`, indexed, and none was.
    assert.equal(counted.moved, 20);
    assert.equal(counted.upd, 20);
    assert.ok(counted.samePage >= 10, `only ${counted.samePage} of 20 stayed on their page`);
    assert.equal(counted.hot, counted.samePage);
    const [lease] = await t.dataSource.query<Array<{ campaign_id: string; ids: string[]; ttl: number }>>(
      `SELECT l.campaign_id, l.message_ids::text[] AS ids, round(extract(epoch FROM l.expires_at - max(m.lease_expires_at)))::int AS ttl
         FROM message_leases l JOIN messages m ON m.lease_id = l.id WHERE l.id = $1 GROUP BY l.id`,
      [leaseId],
    );
    assert.equal(lease.campaign_id, id);
    assert.deepEqual([...lease.ids].sort(), [...messageIds].sort());
    assert.equal(lease.ttl, 0, "the lease's row expires with its messages");
  });

  it("the provider's delivered updates the rows in place too: delivered is sent to the indexes", async () => {
    const { id, runId, sender, leaseId, messageIds } = await leasedCampaign(20, '712');
    await sender.call('POST', `/runs/${runId}/sending`, { leaseId, messageIds });
    const reported = await sender.call('POST', `/runs/${runId}/results`, {
      leaseId,
      results: messageIds.map((m) => ({ messageId: m, outcome: 'sent', providerMessageId: `SM-${m}` })),
    });
    assert.deepEqual(reported.body, { applied: 20, ignored: 0 });
    // Room on the pages, as time and pruning give a busy table: this test is about which columns the move changes.
    await t.dataSource.query('VACUUM messages');
    const at = new Date();
    const counted = await countUpdates(
      messageIds,
      async (m) =>
        (
          await applyProviderEvent(
            m,
            'delivered',
            messageIds.map((mid) => ({ id: mid, at, code: null, message: null, pid: `SM-${mid}` })),
          )
        ).length,
    );
    assert.equal(counted.moved, 20);
    assert.equal(counted.upd, 20);
    assert.ok(counted.samePage >= 10, `only ${counted.samePage} of 20 stayed on their page`);
    assert.equal(counted.hot, counted.samePage, 'a move that changed an indexed column would not be HOT on any page');
    const listed = await t.dataSource.query<Array<{ status: string; indexed_status: string }>>(
      'SELECT DISTINCT status, indexed_status FROM messages WHERE campaign_id = $1',
      [id],
    );
    assert.deepEqual(listed, [{ status: 'delivered', indexed_status: 'sent' }]);
  });

  it("one key holds a message's step, campaign and organization together, checked once a statement; deleting the campaign or the step takes its messages", async () => {
    const ids = await leads(3, '711');
    const id = await campaign({ audience: { leadIds: ids } });
    const other = await campaign({ audience: { leadIds: ids } });
    await launchAndMaterialize(id);
    const [message]: Array<{ id: string; organization_id: string; step_id: string; lead_id: string }> = await t.dataSource.query(
      'SELECT id, organization_id, step_id, lead_id FROM messages WHERE campaign_id = $1 LIMIT 1',
      [id],
    );
    // A row naming this campaign's step under another campaign is refused, as one under another organization,
    // with the foreign key's code and name (migration 1798200000000), also among valid rows of one statement.
    const insert = (campaignId: string, organizationId: string, entry = 7) =>
      t.dataSource.query(
        `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, entry)
         VALUES ($1, $2, $3, $4, 0, 'sms', $5), ($6, $7, $3, $4, 0, 'sms', 8)`,
        [organizationId, campaignId, message.step_id, message.lead_id, entry, message.organization_id, id],
      );
    const refusedBy = (e: { code?: string; constraint?: string }) => e.code === '23503' && e.constraint === 'FK_messages_step_key';
    await assert.rejects(insert(other, message.organization_id), refusedBy);
    const stranger = await t.createOrg();
    await assert.rejects(insert(id, stranger.organizationId), refusedBy);
    // A message never moves to another step, campaign or organization.
    await assert.rejects(t.dataSource.query('UPDATE messages SET campaign_id = $2 WHERE id = $1', [message.id, other]), refusedBy);
    // An insert holds its steps as a foreign key did: a concurrent delete of the step waits for its transaction.
    const runner = t.dataSource.createQueryRunner();
    const locker = t.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(
        `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, entry) VALUES ($1, $2, $3, $4, 0, 'sms', 10)`,
        [message.organization_id, id, message.step_id, message.lead_id],
      );
      await locker.startTransaction();
      await assert.rejects(locker.query('SELECT 1 FROM campaign_steps WHERE id = $1 FOR UPDATE NOWAIT', [message.step_id]), {
        code: '55P03',
      });
    } finally {
      await locker.rollbackTransaction().catch(() => undefined);
      await runner.rollbackTransaction();
      await locker.release();
      await runner.release();
    }
    // Deleting a step takes its messages; deleting the campaign takes the rest.
    await launchAndMaterialize(other);
    const [before] = await t.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1', [other]);
    assert.equal(before.n, 3);
    await t.dataSource.query('DELETE FROM campaign_steps WHERE campaign_id = $1', [other]);
    const [afterStep] = await t.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1', [other]);
    assert.equal(afterStep.n, 0);
    await t.dataSource.query('DELETE FROM campaigns WHERE id = $1', [id]);
    const [left] = await t.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1', [id]);
    assert.equal(left.n, 0);
  });

  it("a message's lead is checked once a statement and held as a foreign key held it; deleting the lead keeps its messages without it", async () => {
    const [first, second] = await leads(2, '713');
    const id = await campaign({ audience: { leadIds: [first, second] } });
    await launchAndMaterialize(id);
    const [message]: Array<{ organization_id: string; step_id: string }> = await t.dataSource.query(
      'SELECT organization_id, step_id FROM messages WHERE campaign_id = $1 LIMIT 1',
      [id],
    );
    const insert = (q: Pick<EntityManager, 'query'>, leadId: string, entry: number) =>
      q.query(
        `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, entry) VALUES ($1, $2, $3, $4, 0, 'sms', $5)`,
        [message.organization_id, id, message.step_id, leadId, entry],
      );
    // A lead that does not exist is refused with the foreign key's code, also among valid rows of one statement
    // (migration 1798500000000), and so is an update naming one.
    const refusedBy = (e: { code?: string; constraint?: string }) => e.code === '23503' && e.constraint === 'FK_messages_lead';
    await assert.rejects(
      t.dataSource.query(
        `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, entry)
         VALUES ($1, $2, $3, $4, 0, 'sms', 5), ($1, $2, $3, $5, 0, 'sms', 5)`,
        [message.organization_id, id, message.step_id, first, randomUUID()],
      ),
      refusedBy,
    );
    await assert.rejects(
      t.dataSource.query('UPDATE messages SET lead_id = $2 WHERE campaign_id = $1 AND lead_id = $3', [id, randomUUID(), first]),
      refusedBy,
    );
    // An insert holds its leads: a concurrent delete of the lead waits for its transaction, then finds its message.
    const runner = t.dataSource.createQueryRunner();
    const locker = t.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await insert(runner, second, 6);
      await locker.startTransaction();
      await assert.rejects(locker.query('SELECT 1 FROM leads WHERE id = $1 FOR UPDATE NOWAIT', [second]), { code: '55P03' });
      await locker.rollbackTransaction();
      let deleted = false;
      const deleting = t.dataSource.query('DELETE FROM leads WHERE id = $1', [second]).then(() => (deleted = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(deleted, false, 'the delete waits for the insert');
      await runner.commitTransaction();
      await deleting;
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      if (locker.isTransactionActive) await locker.rollbackTransaction();
      await runner.release();
      await locker.release();
    }
    // Both of the deleted lead's messages stay in the log, without their lead; the other lead's keep theirs.
    const rows: Array<{ lead_id: string | null; n: number }> = await t.dataSource.query(
      'SELECT lead_id, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY lead_id ORDER BY lead_id NULLS LAST',
      [id],
    );
    assert.deepEqual(rows, [
      { lead_id: first, n: 1 },
      { lead_id: null, n: 2 },
    ]);
    await assert.rejects(insert(t.dataSource, second, 7), refusedBy);
    // The row written by hand is not one of the audience's (the counters' test checks every campaign's total).
    await t.dataSource.query('DELETE FROM messages WHERE campaign_id = $1 AND entry = 6', [id]);
  });

  it("a campaign's messages get time-ordered ids (UUID version 7) carrying the moment they were created", async () => {
    const ids = await leads(3, '712');
    const id = await campaign({ audience: { leadIds: ids } });
    const before = Date.now();
    await launchAndMaterialize(id);
    const after = Date.now();
    const rows: Array<{ id: string }> = await t.dataSource.query('SELECT id FROM messages WHERE campaign_id = $1', [id]);
    assert.equal(rows.length, 3);
    for (const { id: messageId } of rows) {
      const hex = messageId.replaceAll('-', '');
      assert.equal(hex[12], '7', `${messageId}: version 7`);
      assert.match(hex[16], /[89ab]/, `${messageId}: RFC 9562 variant`);
      // The first 48 bits are Unix milliseconds: the id sorts by creation time, so a batch's rows are neighbours.
      const ms = parseInt(hex.slice(0, 12), 16);
      assert.ok(ms >= before - 1000 && ms <= after + 1000, `${messageId}: created at ${new Date(ms).toISOString()}`);
    }
    assert.equal(new Set(rows.map((r) => r.id)).size, 3);
  });

  it('deferred messages go back to the queue and are sent later; the invariant holds throughout', async () => {
    const ids = await leads(5, '705');
    const id = await campaign({ audience: { leadIds: ids } });
    await launchAndMaterialize(id);
    const [runId] = await runsOf(id);
    let first = true;
    const sender = new FakeSender(t, () => {
      if (first) {
        first = false;
        return { outcome: 'deferred', retryAfterMs: 300, errorCode: '20429' };
      }
      return { outcome: 'sent' };
    });
    await sender.cycle(runId);
    const mid = await counts(id);
    assert.equal(mid.queued + mid.sent, 5);
    assert.equal(mid.queued, 1);
    // n8n's loop leases again: nothing is due before the retry time, so this run ends.
    assert.equal((await sender.cycle(runId)).done, true);
    await new Promise((r) => setTimeout(r, 350));
    await tickUntil(t, async () => (await runsOf(id)).length > 1);
    await sender.drain((await runsOf(id)).at(-1)!);
    await tick(t);
    assert.deepEqual(await realCounts(id), { sent: 5 });
    const [{ attempts }] = await t.dataSource.query('SELECT max(attempts) AS attempts FROM messages WHERE campaign_id = $1', [id]);
    assert.equal(attempts, 2);
  });

  it('a lease that never called the provider (slot missed, lease ending, no grant) does not count as an attempt', async () => {
    const ids = await leads(4, '715');
    const id = await campaign({ audience: { leadIds: ids } });
    await launchAndMaterialize(id);
    const [runId] = await runsOf(id);
    const codes = ['slot_missed', 'lease_ending', 'no_grant', '20429'];
    let k = 0;
    const sender = new FakeSender(t, () => ({ outcome: 'deferred', retryAfterMs: 0, errorCode: codes[k++ % codes.length] }));
    await sender.cycle(runId);
    const rows: Array<{ attempts: number; error_code: string; status: string }> = await t.dataSource.query(
      'SELECT attempts, error_code, status FROM messages WHERE campaign_id = $1 ORDER BY error_code',
      [id],
    );
    assert.deepEqual(
      rows.map((r) => [r.error_code, r.status, r.attempts]),
      [
        ['20429', 'queued', 1],
        ['lease_ending', 'queued', 0],
        ['no_grant', 'queued', 0],
        ['slot_missed', 'queued', 0],
      ],
    );
  });

  it('pause stops leasing, resume continues, cancel skips the rest; illegal moves answer 409', async () => {
    const ids = await leads(10, '706');
    const id = await campaign({ audience: { leadIds: ids }, settings: { batchSize: 3 } });
    await launchAndMaterialize(id);
    const sender = new FakeSender(t);
    await sender.cycle((await runsOf(id))[0]);
    assert.equal((await api('POST', `/campaigns/${id}/pause`)).body.status, 'paused');
    const paused = await sender.cycle((await runsOf(id))[0]);
    assert.equal(paused.done, true);
    assert.equal(paused.items.length, 0);
    const illegal = await api('POST', `/campaigns/${id}/pause`);
    assert.equal(illegal.status, 409);
    assert.equal(illegal.body.code, 'campaign_invalid_transition');
    assert.equal((await api('POST', `/campaigns/${id}/resume`)).body.status, 'active');
    await tickUntil(t, async () => (await runsOf(id)).length > 1);
    await sender.cycle((await runsOf(id)).at(-1)!);
    const cancelled = await api('POST', `/campaigns/${id}/cancel`);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.deepEqual(await realCounts(id), { sent: 6, skipped: 4 });
    const reasons = await t.dataSource.query(`SELECT DISTINCT skip_reason FROM messages WHERE campaign_id = $1 AND status = 'skipped'`, [
      id,
    ]);
    assert.deepEqual(reasons, [{ skip_reason: 'cancelled' }]);
    assert.equal((await api('POST', `/campaigns/${id}/resume`)).status, 409);
    assert.equal((await api('POST', `/campaigns/${id}/launch`)).status, 409);
  });

  it("a cancel while a lease holds its messages waits for the lease, and the lease's row of message_leases does not wait for the cancel", async () => {
    const ids = await leads(3, '714');
    const id = await campaign({ audience: { leadIds: ids } });
    await launchAndMaterialize(id);
    const [runId] = await runsOf(id);
    const lease = t.dataSource.createQueryRunner();
    try {
      // A lease between its candidates (locked) and its write, as in lease.service.ts.
      await lease.startTransaction();
      await takeLeaseTurn(lease, id);
      const taken: Array<{ id: string }> = await lease.query(
        `SELECT id FROM messages WHERE campaign_id = $1 AND status = 'queued' FOR UPDATE SKIP LOCKED`,
        [id],
      );
      assert.equal(taken.length, 3);
      const cancelling = api('POST', `/campaigns/${id}/cancel`);
      // The cancel waits for the lease (for the campaign's row, which the lease's turn holds).
      for (let waited = 0; ; waited += 50) {
        const [waiting] = await t.dataSource.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        if (waiting) break;
        assert.ok(waited < 10_000, 'the cancel waits for the lease');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The lease's row of message_leases names the campaign (a foreign key). When the lease took the campaign's row
      // only there, the cancel had locked it and waited for the lease's messages: this waited for the cancel, and
      // PostgreSQL aborted one of them (40P01, the cancel answered 500).
      await lease.query(`SET LOCAL lock_timeout = '5s'`);
      const expires = await markLeased(
        lease,
        randomUUID(),
        runId,
        60,
        taken.map((m) => ({ id: m.id, address: null })),
      );
      assert.ok(expires);
      await lease.commitTransaction();
      assert.equal((await cancelling).status, 200);
    } finally {
      if (lease.isTransactionActive) await lease.rollbackTransaction();
      await lease.release();
    }
    assert.equal(await campaignStatus(id), 'cancelled');
    assert.deepEqual(await realCounts(id), { leased: 3 }, 'what the lease took is its to report (or to expire)');
  });

  it('a run handed off by its execution is replaced at once, not after it goes stale', async () => {
    const ids = await leads(4, '710');
    const id = await campaign({ audience: { leadIds: ids }, settings: { batchSize: 1 } });
    await launchAndMaterialize(id);
    const sender = new FakeSender(t);
    const [first] = await runsOf(id);
    await sender.cycle(first);
    assert.equal((await sender.call('POST', `/runs/${first}/handoff`, { reason: 'iteration_limit' })).status, 200);
    const started = Date.now();
    await tickUntil(t, async () => (await runsOf(id)).length === 2, 5000);
    assert.ok(Date.now() - started < 5000, 'a new run was started without waiting for the old one to go stale (15 s)');
    const runs = await runsOf(id);
    assert.equal(await sender.drain(runs[1]), 3);
  });

  it('launch honours Idempotency-Key', async () => {
    const ids = await leads(2, '707');
    const id = await campaign({ audience: { leadIds: ids } });
    const a = await api('POST', `/campaigns/${id}/launch`, undefined, { 'idempotency-key': 'launch-1' });
    const b = await api('POST', `/campaigns/${id}/launch`, undefined, { 'idempotency-key': 'launch-1' });
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    assert.deepEqual(b.body, a.body);
    const c = await api('POST', `/campaigns/${id}/launch`, undefined, { 'idempotency-key': 'launch-2' });
    assert.equal(c.status, 409);
  });

  it('the quota ledger gives concurrent leases of one sender disjoint slots at its rate', async () => {
    const slow = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Slow',
        config: { accountSid: `AC${'3'.repeat(32)}`, from: '+14155550101', ratePerSecond: 2 },
        secrets: { authToken: 'token-token-token' },
      })
    ).body.id;
    const ids = await leads(80, '708');
    const one = await campaign({ sender: { channelId: slow }, audience: { leadIds: ids.slice(0, 40) } });
    const two = await campaign({ sender: { channelId: slow }, audience: { leadIds: ids.slice(40) } });
    await launchAndMaterialize(one);
    await launchAndMaterialize(two);
    const sender = new FakeSender(t);
    const runOne = (await runsOf(one))[0];
    const runTwo = (await runsOf(two))[0];
    // Each row's version (xmin changes with every write): which rows the two leases wrote.
    const versions = async () =>
      new Map(
        (
          await t.dataSource.query<Array<{ id: string; version: string }>>(
            'SELECT id, xmin::text AS version FROM messages WHERE campaign_id = ANY($1::uuid[])',
            [[one, two]],
          )
        ).map((r) => [r.id, r.version]),
      );
    const before = await versions();
    const t0 = Date.now();
    const [a, b] = await Promise.all([sender.call('POST', `/runs/${runOne}/lease`, {}), sender.call('POST', `/runs/${runTwo}/lease`, {})]);
    // 2/s: the slots inside the reservation horizon exist now, and the two concurrent leases share them without overlap.
    // A free ledger's first slot lies SLOT_LEAD_MS ahead; slots are 500 ms widened by the one-second headroom.
    const interval = ledgerIntervalMs([2]);
    const slots = Math.floor((horizonMs(5) - SLOT_LEAD_MS) / interval) + 1;
    const granted = [a.body, b.body].filter((l) => l.items.length > 0).map((l) => l.grant);
    assert.equal(
      granted.reduce((n, g) => n + g.count, 0),
      slots,
    );
    for (const g of granted) {
      assert.equal(g.intervalMs, interval);
      assert.equal(g.lateToleranceMs, SLOT_LATE_TOLERANCE_MS);
      assert.ok(Math.abs(g.startAt - (t0 + g.startInMs)) < 1000, 'startAt is the first slot on the ledger clock');
    }
    // On the ledger's clock the two grants do not overlap: one ends where the other starts, or before.
    if (granted.length === 2) {
      const [first, second] = granted.sort((x, y) => x.startAt - y.startAt);
      assert.ok(first.startAt + first.count * first.intervalMs <= second.startAt + 1, JSON.stringify(granted));
    }
    const waiting = [a.body, b.body].find((l) => l.items.length === 0);
    if (waiting) assert.ok(waiting.retryAfterMs > 0 && waiting.done === false, JSON.stringify(waiting));
    const [c1, c2] = [await realCounts(one), await realCounts(two)];
    assert.deepEqual(
      { leased: (c1.leased ?? 0) + (c2.leased ?? 0), queued: (c1.queued ?? 0) + (c2.queued ?? 0) },
      { leased: slots, queued: 80 - slots },
    );
    // At a rate whose slots are held, the ledger is locked before the rows are picked: the lease that found
    // the slots taken wrote no row (it did not mark a batch `leased` only to hand it back).
    const after = await versions();
    assert.equal([...after].filter(([id, version]) => before.get(id) !== version).length, slots, 'rows written');
    const [{ attempts }] = await t.dataSource.query(
      `SELECT sum(attempts)::int AS attempts FROM messages WHERE campaign_id = ANY($1::uuid[])`,
      [[one, two]],
    );
    assert.equal(attempts, slots, 'a lease given back does not count as an attempt');
    // The next lease on the same sender starts after every slot handed out so far.
    await new Promise((r) => setTimeout(r, waiting?.retryAfterMs ?? 500));
    const next = await sender.call('POST', `/runs/${runTwo}/lease`, {});
    // It comes back when the first free slot lies half the horizon ahead: one slot fits then, two if the
    // retry landed more than 7.5 ms late (the horizon's 500 ms against 507.5 ms slots).
    assert.ok([1, 2].includes(next.body.items.length), JSON.stringify(next.body));
    const elapsed = Date.now() - t0;
    assert.ok(
      elapsed + next.body.grant.startInMs >= SLOT_LEAD_MS + slots * interval - 150,
      `slot at ${elapsed + next.body.grant.startInMs} ms overlaps the first ${slots} slots`,
    );
  });

  it("the leases of one campaign take turns: a lease waits while another holds the campaign's turn, then takes what is due", async () => {
    const ids = await leads(6, '717');
    const id = await campaign({ audience: { leadIds: ids } });
    const other = await campaign({ audience: { leadIds: ids } });
    await launchAndMaterialize(id);
    await launchAndMaterialize(other);
    const [runId] = await runsOf(id);
    const [otherRunId] = await runsOf(other);
    const sender = new FakeSender(t);
    // Another lease of the campaign in progress: its transaction holds the turn until it ends.
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await takeLeaseTurn(holder.manager, id);
      let answered = false;
      const waiting = sender.call('POST', `/runs/${runId}/lease`, { max: 4 }).then((res) => {
        answered = true;
        return res;
      });
      // Another campaign's lease (same sender, same leads) does not wait for this campaign's turn.
      assert.equal((await sender.call('POST', `/runs/${otherRunId}/lease`, { max: 4 })).body.items.length, 4);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(answered, false, 'the lease waited for its turn');
      assert.equal((await realCounts(id)).queued, 6, 'and took no row meanwhile');
      await holder.rollbackTransaction();
      assert.equal((await waiting).body.items.length, 4);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    assert.deepEqual(await realCounts(id), { leased: 4, queued: 2 });
  });

  it('a large HTML email is leased in smaller batches: what n8n holds of a lease once rendered stays near 4 MB', async () => {
    const html = `<p>Hello {{ lead.email }}</p>${'<p>The whole newsletter, paragraph after paragraph.</p>'.repeat(1200)}`;
    const template = (await api('POST', '/templates', { name: 'Long', channel: 'email', subject: 'News', html })).body;
    const mailgun = (
      await api('POST', '/channels', {
        type: 'mailgun',
        name: 'MG big',
        config: { domain: 'mg.example.com', from: 'Team <team@mg.example.com>', ratePerSecond: 100_000 },
        secrets: { apiKey: 'key-123', webhookSigningKey: 'sign-123' },
      })
    ).body.id;
    const res = await api('POST', '/campaigns', {
      name: 'Big HTML',
      type: 'blast',
      sender: { channelId: mailgun },
      audience: { leadIds: await leads(100, '733') },
      steps: [{ channel: 'email', templateId: template.id }],
      settings: { batchSize: 1000 },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await launchAndMaterialize(res.body.id);
    const lease = await new FakeSender(t).cycle((await runsOf(res.body.id))[0], 1000);
    const fits = Math.floor(MAX_LEASE_HELD_BYTES / heldBytesOf(leaseTemplateOf(lease, lease.items[0])));
    assert.ok(fits >= 60 && fits < 100, `a ${html.length}-character template: ${fits} messages a lease`);
    assert.equal(lease.items.length, fits, 'asked for 1,000, given what fits');
    assert.ok(leaseHeldBytes(lease) <= MAX_LEASE_HELD_BYTES);
    assert.equal(Object.keys(lease.templates).length, 1, 'the 60 KB template once, not once a message');
  });

  it('a sequence sends step 2 after step 1 plus its delay, unless the lead replied', async () => {
    const email = (
      await api('POST', '/templates', {
        name: 'E',
        channel: 'email',
        subject: 'Hello',
        text: 'Hi {{ lead.first_name | default: "there" }}',
      })
    ).body.id;
    const mailgun = (
      await api('POST', '/channels', {
        type: 'mailgun',
        name: 'MG',
        config: { domain: 'mg.example.com', from: 'Team <team@mg.example.com>' },
        secrets: { apiKey: 'key-123', webhookSigningKey: 'sign-123' },
      })
    ).body.id;
    const ids = await leads(3, '709');
    const res = await api('POST', '/campaigns', {
      name: 'Seq',
      type: 'sequence',
      sender: { channelId: mailgun },
      audience: { leadIds: ids },
      steps: [
        { channel: 'email', templateId: email },
        { channel: 'sms', templateId: smsTemplate, delaySeconds: 1, condition: { type: 'no_reply' }, sender: { channelId: twilioId } },
      ],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const id = res.body.id;
    await launchAndMaterialize(id);
    const sender = new FakeSender(t);
    const first = await sender.cycle((await runsOf(id))[0]);
    assert.equal(first.sender.kind, 'mailgun');
    assert.equal(first.items.length, 3);
    assert.ok(first.items.every((i: { channel: string }) => i.channel === 'email'));
    assert.equal((await sender.cycle((await runsOf(id))[0])).done, true, 'step 2 is not due yet, so the run ends');
    const replied = first.items[0].messageId;
    await t.dataSource.query(
      `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at) SELECT organization_id, id, 'test', 'reply-1', 'replied', now() FROM messages WHERE id = $1`,
      [replied],
    );
    const [{ due }] = await t.dataSource.query(`SELECT min(due_at) AS due FROM messages WHERE campaign_id = $1 AND position = 1`, [id]);
    assert.ok(new Date(due).getTime() > Date.now() - 200, 'step 2 is due about a second after step 1');
    await new Promise((r) => setTimeout(r, 1100));
    await tickUntil(t, async () => (await runsOf(id)).length > 1);
    const second = await sender.cycle((await runsOf(id)).at(-1)!);
    assert.equal(second.sender.kind, 'twilio');
    assert.equal(second.items.length, 2);
    await sender.drain((await runsOf(id)).at(-1)!);
    await tick(t);
    assert.equal(await campaignStatus(id), 'completed');
    const rows = await t.dataSource.query(
      `SELECT position, status, skip_reason FROM messages WHERE campaign_id = $1 ORDER BY position, status`,
      [id],
    );
    assert.deepEqual(
      rows.map((r: { position: number; status: string; skip_reason: string | null }) => `${r.position}:${r.status}:${r.skip_reason ?? ''}`),
      ['0:sent:', '0:sent:', '0:sent:', '1:sent:', '1:sent:', '1:skipped:condition_not_met'],
    );
  });

  it('a listed audience of several chunks gets one row per existing lead, a stored cursor resumes after it, and runs follow backlog and rate', async () => {
    const [{ org }] = await t.dataSource.query(`SELECT organization_id AS org FROM channel_connections WHERE id = $1`, [twilioId]);
    const made: Array<{ id: string }> = await t.dataSource.query(
      `INSERT INTO leads (organization_id, phone, consent) SELECT $1, '+1416' || lpad(g::text, 7, '0'), '{"sms": true}' FROM generate_series(1, 21000) g RETURNING id`,
      [org],
    );
    const ids = made.map((r) => r.id);
    // Upper case, repeated and unknown ids must neither add rows nor stop the chunks early.
    const listed = [
      ...ids.slice(0, 500).map((id) => id.toUpperCase()),
      ...ids,
      ...ids.slice(0, 300),
      '00000000-0000-4000-8000-000000000000',
    ];
    const whole = await campaign({ audience: { leadIds: listed } });
    await launchAndMaterialize(whole);
    const [row] = await t.dataSource.query(
      `SELECT audience_size, (SELECT count(DISTINCT lead_id)::int FROM messages WHERE campaign_id = $1) AS leads, (SELECT count(*)::int FROM messages WHERE campaign_id = $1) AS n FROM campaigns WHERE id = $1`,
      [whole],
    );
    assert.deepEqual(row, { audience_size: 21000, leads: 21000, n: 21000 });
    assert.equal((await runsOf(whole)).length, 8, 'a large backlog on a fast sender gets the most runs');

    const sorted = [...ids].sort();
    const resumed = await campaign({ audience: { leadIds: listed }, settings: { ratePerSecond: 150 } });
    await t.dataSource.query('UPDATE campaigns SET materialize_cursor = $2 WHERE id = $1', [resumed, sorted[9999]]);
    await launchAndMaterialize(resumed);
    const [after] = await t.dataSource.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE lead_id <= $2)::int AS before_cursor FROM messages WHERE campaign_id = $1`,
      [resumed, sorted[9999]],
    );
    assert.deepEqual(after, { n: 11000, before_cursor: 0 });
    assert.equal((await runsOf(resumed)).length, 2, 'one run per 100 msg/s of the campaign rate');
    const small = await campaign({ audience: { leadIds: ids.slice(0, 10) }, settings: { shards: 3 } });
    await launchAndMaterialize(small);
    assert.equal((await runsOf(small)).length, 3, 'settings.shards wins over the backlog');
    for (const id of [whole, resumed, small]) assert.equal((await api('POST', `/campaigns/${id}/cancel`)).status, 200);
  });

  it("the materializer's chunk skips the conflict check, and one whose lead already has its message is enrolled again past it", async () => {
    const ids = await leads(3, '715');
    const id = await campaign({ audience: { leadIds: ids } });
    // A row the chunk will meet: the plain insert fails on the unique lead key, and the chunk is enrolled again with
    // ON CONFLICT DO NOTHING (materializer.service.ts).
    await t.dataSource.query(
      `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, status, to_address, due_at)
       SELECT s.organization_id, s.campaign_id, s.id, $2, 0, 'sms', 'queued', '+14155550199', now() FROM campaign_steps s WHERE s.campaign_id = $1`,
      [id, ids[1]],
    );
    await launchAndMaterialize(id);
    const rows: Array<{ lead_id: string; n: number }> = await t.dataSource.query(
      'SELECT lead_id, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY lead_id ORDER BY lead_id',
      [id],
    );
    assert.deepEqual(
      rows,
      [...ids].sort().map((lead_id) => ({ lead_id, n: 1 })),
    );
    const [{ audience_size }] = await t.dataSource.query('SELECT audience_size FROM campaigns WHERE id = $1', [id]);
    assert.equal(audience_size, 3);
    assert.equal((await api('POST', `/campaigns/${id}/cancel`)).status, 200);
  });

  it('counters from the trigger deltas always equal the real counts, and nothing is lost', async () => {
    const campaigns: Array<{ id: string; audience_size: number; steps: number }> = await t.dataSource.query(
      `SELECT c.id, c.audience_size, (SELECT count(*)::int FROM campaign_steps s WHERE s.campaign_id = c.id) AS steps FROM campaigns c WHERE c.launched_at IS NOT NULL`,
    );
    assert.ok(campaigns.length >= 8);
    for (const c of campaigns) {
      const live = await counts(c.id);
      const real = await realCounts(c.id);
      for (const [status, n] of Object.entries(real)) assert.equal(live[status], n, `${c.id} ${status}`);
      assert.equal(
        live.total,
        c.audience_size * c.steps,
        'queued + leased + sending + sent + delivered + failed + unknown + skipped = audience × steps',
      );
      assert.ok(OPEN.every((s) => live[s] >= 0));
      const progress = (await api('GET', `/campaigns/${c.id}/progress`)).body;
      assert.deepEqual(progress.counts, live, 'the progress endpoint reads the same counters');
      assert.equal(progress.audienceSize, c.audience_size);
      assert.equal(progress.audience, undefined, 'progress never carries the audience');
    }
  });

  it('a lease reads the due index from where the last one left the queue; what went back below it is leased once that runs short', async () => {
    const ids = await leads(6, '716');
    const id = await campaign({ audience: { leadIds: ids } });
    await launchAndMaterialize(id);
    // Due a second apart: the cursor keeps a due time to the millisecond, and six rows are written within one.
    await t.dataSource.query(
      `UPDATE messages m SET due_at = clock_timestamp() - interval '1 minute' + o.n * interval '1 second'
         FROM (SELECT id, row_number() OVER (ORDER BY due_at, id) AS n FROM messages WHERE campaign_id = $1) o WHERE m.id = o.id`,
      [id],
    );
    const [runId] = await runsOf(id);
    const sender = new FakeSender(t);
    const messageIds = (lease: { items: Array<{ messageId: string }> }) => lease.items.map((i) => i.messageId).sort();
    const lost = (await sender.call('POST', `/runs/${runId}/lease`, { max: 2 })).body;
    assert.equal(lost.items.length, 2);
    assert.equal((await sender.cycle(runId, 2)).items.length, 2);
    // The first lease's execution died before sending: its lease just expired, and the sweep sends its two messages
    // back to the queue, below where the second lease left it.
    await backdateLeases(t, '1 second', 'lease_id = $2', [lost.leaseId]);
    await tick(t);
    assert.equal((await realCounts(id)).queued, 4);
    const third = await sender.cycle(runId, 2);
    assert.equal(third.items.length, 2);
    assert.deepEqual(
      messageIds(third).filter((m) => messageIds(lost).includes(m)),
      [],
      'read from the cursor: the messages after the second lease',
    );
    const fourth = await sender.cycle(runId, 2);
    assert.deepEqual(messageIds(fourth), messageIds(lost), 'nothing left after the cursor: read from the start');
    const last = await sender.cycle(runId, 2);
    assert.equal(last.items.length, 0);
    assert.equal(last.done, true);
    assert.deepEqual(await realCounts(id), { sent: 6 });
  });
});
