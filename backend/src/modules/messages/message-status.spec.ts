import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import {
  applyProviderEvent,
  dropLeased,
  expireSending,
  forgetExpiredLeases,
  indexedStatusOf,
  markLeased,
  markSending,
  MESSAGE_EVENTS,
  MESSAGE_STATUSES,
  MESSAGE_TRANSITIONS,
  MessageEvent,
  MessageStatus,
  messageTarget,
  OPEN_INDEXED_SQL,
  PROVIDER_EVENTS,
  REPORT_OUTCOMES,
  reportEvent,
  requeue,
  redialCalls,
  retryFailed,
  settle,
  skipQueued,
  skipQueuedOfCampaign,
} from './message-status';

/** A message's life, written out independently of the table it checks. */
const LEGAL: Array<[MessageStatus, MessageEvent, MessageStatus]> = [
  ['queued', 'lease', 'leased'],
  ['leased', 'requeue', 'queued'],
  ['queued', 'skip', 'skipped'],
  ['leased', 'markSending', 'sending'],
  ['leased', 'drop', 'skipped'],
  ['sending', 'expire', 'unknown'],
  ...(['leased', 'sending', 'unknown'] as const).map((f): [MessageStatus, MessageEvent, MessageStatus] => [f, 'reportSent', 'sent']),
  ...(['leased', 'sending', 'unknown'] as const).map((f): [MessageStatus, MessageEvent, MessageStatus] => [f, 'reportFailed', 'failed']),
  ...(['leased', 'sending'] as const).map((f): [MessageStatus, MessageEvent, MessageStatus] => [f, 'reportUnknown', 'unknown']),
  ...(['leased', 'sending'] as const).map((f): [MessageStatus, MessageEvent, MessageStatus] => [f, 'reportSkipped', 'skipped']),
  ...(['leased', 'sending'] as const).map((f): [MessageStatus, MessageEvent, MessageStatus] => [f, 'reportDeferred', 'queued']),
  ['sending', 'providerSent', 'sent'],
  ['unknown', 'providerSent', 'sent'],
  ...(['sending', 'sent', 'unknown'] as const).map((f): [MessageStatus, MessageEvent, MessageStatus] => [
    f,
    'providerDelivered',
    'delivered',
  ]),
  ...(['sending', 'sent', 'unknown'] as const).map((f): [MessageStatus, MessageEvent, MessageStatus] => [f, 'providerFailed', 'failed']),
  ['failed', 'retry', 'queued'],
  ['sending', 'redial', 'queued'],
  ['sent', 'redial', 'queued'],
];

function recorder(rows: unknown[] = [{ id: 'x', expires: new Date() }]) {
  const sent: Array<{ sql: string; params: unknown[] }> = [];
  return {
    sent,
    m: {
      query: async (sql: string, params: unknown[] = []) => {
        sent.push({ sql: sql.replace(/\s+/g, ' '), params });
        return [rows, rows.length];
      },
    } as never,
  };
}

const inList = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(', ');

describe('message status machine (pure)', () => {
  it('walks every (status, event) pair: legal moves reach the table target, every other one is refused', () => {
    let legal = 0;
    for (const from of MESSAGE_STATUSES) {
      for (const event of MESSAGE_EVENTS) {
        const expected = LEGAL.find(([f, e]) => f === from && e === event)?.[2];
        assert.equal(messageTarget(from, event), expected, `${from} --${event}-->`);
        if (expected) legal++;
      }
    }
    assert.equal(legal, LEGAL.length);
  });

  it('moves forward only: nothing leaves delivered or skipped, failed only by a retry, sent only settles further, queued only for never-accepted messages', () => {
    for (const event of MESSAGE_EVENTS) {
      for (const final of ['delivered', 'skipped'] as const) assert.equal(messageTarget(final, event), undefined, `${final} --${event}-->`);
      // A person's retry (of errors that prove nothing arrived: campaign-retry.service) is the one way out of failed.
      assert.equal(messageTarget('failed', event), event === 'retry' ? 'queued' : undefined, `failed --${event}-->`);
      const fromSent = messageTarget('sent', event);
      // A call the provider reported unanswered (redial) is the one way from sent back to the queue.
      assert.ok(
        fromSent === undefined || fromSent === 'delivered' || fromSent === 'failed' || (event === 'redial' && fromSent === 'queued'),
        `sent --${event}--> ${fromSent}`,
      );
      // Back to the queue only from leased, sending-with-a-deferral, a person's retry or an unanswered call.
      if (MESSAGE_TRANSITIONS[event].to === 'queued') assert.ok(['requeue', 'reportDeferred', 'retry', 'redial'].includes(event));
      assert.equal(messageTarget('unknown', event) === 'queued', false);
    }
  });

  it('every report outcome and provider event is a move of the table', () => {
    for (const outcome of REPORT_OUTCOMES)
      assert.equal(MESSAGE_TRANSITIONS[reportEvent(outcome)].to, outcome === 'deferred' ? 'queued' : outcome);
    for (const [type, event] of Object.entries(PROVIDER_EVENTS)) assert.equal(MESSAGE_TRANSITIONS[event].to, type);
  });

  it('every statement writes its move target and is limited to the move from-states', async () => {
    const checks: Array<[MessageEvent, (m: never) => Promise<unknown>]> = [
      ['lease', (m) => markLeased(m, 'l', 'r', 60, [{ id: 'a', address: 'x' }])],
      ['skip', (m) => skipQueued(m, [{ id: 'a', reason: 'suppressed' }])],
      ['skip', (m) => skipQueuedOfCampaign(m, 'c', 'cancelled')],
      ['requeue', (m) => requeue(m, { ids: ['a'] })],
      ['requeue', (m) => requeue(m, { campaignId: 'c', leaseId: 'l', ids: ['a'] })],
      ['requeue', (m) => requeue(m, { expired: true })],
      ['requeue', (m) => requeue(m, { expired: true, campaignId: 'c' })],
      ['markSending', (m) => markSending(m, 'c', 'l', ['a'])],
      ['drop', (m) => dropLeased(m, 'c', 'l', ['a'])],
      ['expire', (m) => expireSending(m, 60)],
      ['retry', (m) => retryFailed(m, 'o', 'c', 'whatsapp', ['131056'])],
      ['redial', (m) => redialCalls(m, [{ id: 'a', at: new Date(), status: 'busy', pid: 'CA1' }])],
    ];
    for (const [event, run] of checks) {
      const { sent, m } = recorder();
      await run(m);
      // retryFailed keeps the failed try (an INSERT into message_attempts) before its one status write; the lease
      // writes its row of message_leases in the statement of its status write.
      const writes = sent.filter((s) => s.sql.includes('UPDATE messages '));
      assert.equal(writes.length, 1);
      const { sql } = writes[0];
      const rule = MESSAGE_TRANSITIONS[event];
      assert.match(sql, /^(WITH \w+ AS \(\s*UPDATE messages |(WITH [\s\S]+?\)\s*)?UPDATE messages )/);
      assert.ok(sql.includes(`SET status = '${rule.to}'`), `${event}: ${sql}`);
      assert.ok(sql.includes(`status IN (${inList(rule.from)})`), `${event}: ${sql}`);
    }
    for (const [type, event] of Object.entries(PROVIDER_EVENTS)) {
      const { sent, m } = recorder();
      await applyProviderEvent(m, type as keyof typeof PROVIDER_EVENTS, []);
      assert.equal(sent[0].params[0], MESSAGE_TRANSITIONS[event].to);
      assert.deepEqual(sent[0].params[2], MESSAGE_TRANSITIONS[event].from);
      assert.ok(sent[0].sql.includes('messages.status = ANY($3::text[])'));
    }
  });

  it('the lease and the sending mark write no indexed column, so PostgreSQL can update their rows in place', async () => {
    const { sent, m } = recorder();
    await markSending(m, 'c', 'l', ['a']);
    const [, set] = /SET (.*?)\s+WHERE/s.exec(sent[0].sql) ?? [];
    assert.equal(set, `status = 'sending'`);
    const lease = recorder();
    await markLeased(lease.m, 'l', 'r', 60, [{ id: 'a', address: 'a@example.com' }]);
    const [, leaseSet] = /UPDATE messages SET (.*?)\s+FROM/s.exec(lease.sent[0].sql) ?? [];
    const written = leaseSet.split(/,\s*/).map((assignment) => assignment.split('=')[0].trim());
    assert.deepEqual(written, ['status', 'lease_id', 'run_id', 'attempts', 'to_address', 'lease_expires_at']);
    // None of them is a column an index of `messages` holds: engine.test.ts counts the lease's HOT updates.
    // The lease's row, where the sweeps find it, in the same statement.
    assert.ok(lease.sent[0].sql.includes('INSERT INTO message_leases'));
    // Every status the table has, as the indexes see it: the open ones (`leased`, `sending`) fold into `queued` and
    // `delivered` into `sent`, each into a status it moves from, so none of those moves changes an indexed column.
    assert.deepEqual(
      MESSAGE_STATUSES.filter((s) => indexedStatusOf(s) !== s),
      ['leased', 'sending', 'delivered'],
    );
    assert.equal(indexedStatusOf('leased'), 'queued');
    assert.equal(indexedStatusOf('sending'), 'queued');
    assert.equal(indexedStatusOf('delivered'), 'sent');
    assert.ok((MESSAGE_TRANSITIONS.lease.from as readonly string[]).includes(indexedStatusOf('leased')));
    assert.ok((MESSAGE_TRANSITIONS.markSending.from as readonly MessageStatus[]).map(indexedStatusOf).includes(indexedStatusOf('sending')));
    assert.ok((MESSAGE_TRANSITIONS.providerDelivered.from as readonly string[]).includes(indexedStatusOf('delivered')));
    assert.equal(OPEN_INDEXED_SQL, `indexed_status IN ('queued')`);
  });

  it('statements that look up rows by status do it on indexed_status, the column the indexes hold', async () => {
    const lookups: Array<[MessageEvent, (m: never) => Promise<unknown>]> = [
      ['skip', (m) => skipQueuedOfCampaign(m, 'c', 'cancelled')],
      ['retry', (m) => retryFailed(m, 'o', 'c', 'whatsapp', ['131056'])],
    ];
    for (const [event, run] of lookups) {
      const { sent, m } = recorder();
      await run(m);
      const indexed = [...new Set(MESSAGE_TRANSITIONS[event].from.map(indexedStatusOf))];
      for (const { sql } of sent) assert.ok(sql.includes(`indexed_status IN (${inList(indexed)})`), `${event}: ${sql}`);
    }
  });

  it('the expiry sweeps find expired leases in message_leases and check each message by its own expiry', async () => {
    // A message being sent expires one TTL after its lease did: the mark did not move the lease's time.
    const { sent, m } = recorder();
    await expireSending(m, 60, { campaignId: 'c' });
    assert.ok(sent[0].sql.includes('FROM message_leases l'));
    assert.ok(sent[0].sql.includes('l.expires_at < now() - make_interval(secs => $1)'));
    assert.ok(sent[0].sql.includes('lease_expires_at < now() - make_interval(secs => $1)'));
    assert.deepEqual(sent[0].params, [60, 'c']);
    const forget = recorder();
    await forgetExpiredLeases(forget.m, 60);
    assert.ok(forget.sent[0].sql.startsWith('DELETE FROM message_leases WHERE expires_at < now() - make_interval(secs => $1)'));
    assert.deepEqual(forget.sent[0].params, [60, null]);
  });

  it('the one requeue statement keeps each caller scope', async () => {
    const sql = async (scope: Parameters<typeof requeue>[1]) => {
      const r = recorder();
      await requeue(r.m, scope);
      return r.sent[0];
    };
    // A requeued message was never marked sending: its lease is never an attempt, whatever the scope.
    const undo = await sql({ ids: ['a'] });
    assert.ok(undo.sql.includes('attempts = greatest(attempts - 1, 0)') && undo.sql.includes('id = ANY($1::uuid[])'));
    const paused = await sql({ campaignId: 'c', leaseId: 'l', ids: ['a'] });
    assert.ok(
      paused.sql.includes('attempts = greatest(attempts - 1, 0)') &&
        paused.sql.includes('campaign_id = $1 AND lease_id = $2 AND id = ANY($3::uuid[])'),
    );
    assert.deepEqual(paused.params, ['c', 'l', ['a']]);
    // Every campaign's expired leases, or one campaign's: found in message_leases, each lease once (marked requeued in
    // the same statement), each message by its own expiry.
    const expired = await sql({ expired: true });
    assert.ok(expired.sql.includes('UPDATE message_leases l SET requeued_at = now()'));
    assert.ok(expired.sql.includes('l.expires_at < now() AND l.requeued_at IS NULL AND ($1::uuid IS NULL OR l.campaign_id = $1::uuid)'));
    assert.ok(expired.sql.includes('AND lease_expires_at < now()'));
    assert.deepEqual(expired.params, [null]);
    assert.deepEqual((await sql({ expired: true, campaignId: 'c' })).params, ['c']);
  });

  it('settle maps each outcome to its move target and settles only from the moves from-states', async () => {
    const { sent, m } = recorder([]);
    await settle(m, 'c', 'l', []);
    const { sql } = sent[0];
    for (const outcome of REPORT_OUTCOMES)
      assert.ok(sql.includes(`WHEN '${outcome}' THEN '${MESSAGE_TRANSITIONS[reportEvent(outcome)].to}'`), outcome);
    assert.ok(sql.includes(`m.status IN ('leased', 'sending')`));
    assert.ok(sql.includes(`m.status = 'unknown' AND m.error_code = 'lease_expired' AND r.outcome IN ('sent', 'failed')`));
  });
});
