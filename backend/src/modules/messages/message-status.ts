import { NOT_ATTEMPTED_CODES, OUTCOMES, SKIP_REASONS, type Outcome, type SkipReason } from '@cadence/contracts';
import { EntityManager } from 'typeorm';
import { returning } from '../../database/returning';
import { leadAddressSql } from '../lease/compliance.sql';
import { bucketSql } from '../campaigns/variants/variant-bucket';

export const MESSAGE_STATUSES = ['queued', 'leased', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'skipped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Why a message was not sent, and what n8n may report: the wire contract's (@cadence/contracts). */
export { SKIP_REASONS, type SkipReason };

/** A message in one of these has no outcome yet: its campaign is not done. */
export const OPEN_MESSAGE_STATUSES = ['queued', 'leased', 'sending'] as const satisfies readonly MessageStatus[];

/**
 * `messages.indexed_status`, the status the indexes hold: an open message (`leased`, `sending`) is `queued` there
 * and `delivered` is `sent`, so the lease, the `sending` mark and the provider's `delivered` change no indexed
 * column and PostgreSQL updates the row in place (migrations 1797800000000, 1798300000000, 1798400000000). A
 * query that should use an index on status filters on this, and on `status` too when it needs one status alone
 * (`queued` as well: a leased message keeps its place in the due index until it is settled).
 */
export type IndexedStatus = Exclude<MessageStatus, 'leased' | 'sending' | 'delivered'>;
const FOLDED: Partial<Record<MessageStatus, IndexedStatus>> = { leased: 'queued', sending: 'queued', delivered: 'sent' };
export const indexedStatusOf = (status: MessageStatus): IndexedStatus => FOLDED[status] ?? (status as IndexedStatus);
/** The same fold as the column's expression (message.entity.ts); migration 1798400000000 holds this text. */
export const INDEXED_STATUS_SQL = `CASE ${Object.entries(FOLDED)
  .map(([status, indexed]) => `WHEN status = '${status}' THEN '${indexed}'`)
  .join(' ')} ELSE status END`;
/** The open statuses as `indexed_status` holds them. */
export const OPEN_INDEXED_SQL = `indexed_status IN (${[...new Set(OPEN_MESSAGE_STATUSES.map(indexedStatusOf))].map((s) => `'${s}'`).join(', ')})`;

/**
 * The message status machine: its transition table, and the only statements that write
 * `messages.status`. Statuses move forward only (the one way back to `queued` is for a message no
 * provider ever accepted: a lease given back or expired, a paused campaign, a deferral). Each
 * statement's WHERE clause holds its move's `from` states, so an illegal move changes no row.
 */
export const MESSAGE_TRANSITIONS = {
  /** The lease hands a due message to n8n. */
  lease: { from: ['queued'], to: 'leased' },
  /** A leased message goes back untouched: quota taken meanwhile, campaign paused, lease expired before sending. */
  requeue: { from: ['leased'], to: 'queued' },
  /** Refused at lease time (suppressed, no consent, condition...), or still queued when the campaign is cancelled. */
  skip: { from: ['queued'], to: 'skipped' },
  /** n8n is about to call the provider: the point of no return. */
  markSending: { from: ['leased'], to: 'sending' },
  /** Leased when its campaign was cancelled: never sent. */
  drop: { from: ['leased'], to: 'skipped' },
  /** The sender stopped reporting while sending: it may have been accepted, so it is never sent again automatically. */
  expire: { from: ['sending'], to: 'unknown' },
  // n8n's results. `unknown` may be settled only when lease expiry made it so (error_code lease_expired).
  reportSent: { from: ['leased', 'sending', 'unknown'], to: 'sent' },
  reportFailed: { from: ['leased', 'sending', 'unknown'], to: 'failed' },
  reportUnknown: { from: ['leased', 'sending'], to: 'unknown' },
  reportSkipped: { from: ['leased', 'sending'], to: 'skipped' },
  /** The provider refused for now (rate limit): never accepted, so it is due again later. */
  reportDeferred: { from: ['leased', 'sending'], to: 'queued' },
  // Provider evidence (webhooks): may settle an ambiguous send, never moves back.
  providerSent: { from: ['sending', 'unknown'], to: 'sent' },
  providerDelivered: { from: ['sending', 'sent', 'unknown'], to: 'delivered' },
  providerFailed: { from: ['sending', 'sent', 'unknown'], to: 'failed' },
  /** A person retries a failure whose error proves nothing reached the recipient: due again now. */
  retry: { from: ['failed'], to: 'queued' },
  /** The provider says a call was busy, not answered or failed before connecting, and the campaign calls again. */
  redial: { from: ['sending', 'sent'], to: 'queued' },
} as const satisfies Record<string, { from: readonly MessageStatus[]; to: MessageStatus }>;

export type MessageEvent = keyof typeof MESSAGE_TRANSITIONS;
export const MESSAGE_EVENTS = Object.keys(MESSAGE_TRANSITIONS) as MessageEvent[];

/** Where `event` takes a message in status `from`, or undefined when the move is illegal. */
export function messageTarget(from: MessageStatus, event: MessageEvent): MessageStatus | undefined {
  const rule = MESSAGE_TRANSITIONS[event];
  return (rule.from as readonly MessageStatus[]).includes(from) ? rule.to : undefined;
}

/** n8n's outcomes, in the report; each is one event of the table. */
export const REPORT_OUTCOMES = OUTCOMES;
export type ReportOutcome = Outcome;
const REPORT_EVENT: Record<ReportOutcome, MessageEvent> = {
  sent: 'reportSent',
  failed: 'reportFailed',
  deferred: 'reportDeferred',
  unknown: 'reportUnknown',
  skipped: 'reportSkipped',
};
export const reportEvent = (outcome: ReportOutcome): MessageEvent => REPORT_EVENT[outcome];

/** Provider event types that move a status, applied in this order within a batch. */
export const PROVIDER_EVENTS = { sent: 'providerSent', delivered: 'providerDelivered', failed: 'providerFailed' } as const satisfies Record<
  string,
  MessageEvent
>;
export type ProviderStatusEvent = keyof typeof PROVIDER_EVENTS;

function sqlList(statuses: readonly string[]): string {
  for (const s of statuses) if (!(MESSAGE_STATUSES as readonly string[]).includes(s)) throw new Error(`not a message status: ${s}`);
  return statuses.map((s) => `'${s}'`).join(', ');
}
const from = (event: MessageEvent) => sqlList(MESSAGE_TRANSITIONS[event].from);
const to = (event: MessageEvent) => sqlList([MESSAGE_TRANSITIONS[event].to]);
/** A move's `from` states as `indexed_status` holds them: the condition an index lookup can use. */
const fromIndexed = (event: MessageEvent) => sqlList([...new Set(MESSAGE_TRANSITIONS[event].from.map(indexedStatusOf))]);

type Queryable = Pick<EntityManager, 'query'>;
export interface StepOutcomeRow {
  lead_id: string | null;
  position: number;
}

// ---- enrollment -------------------------------------------------------------------------------

/**
 * Enrolls one keyset chunk of leads (`chunkSql`, a SELECT of `id, email, phone` whose parameters are
 * `params`) into every step of the campaign: one message per (step, lead), `queued` or `skipped`
 * (missing_address). A lead's first step it has an address for is due after its delay; later ones
 * wait for it. Answers the chunk's lead ids. A repeated chunk is harmless (unique index). `entry`: a
 * triggered campaign's enrollment number of these leads (1 for everything else). `repeated: 'fail'`, for a caller
 * whose chunks never repeat (the materializer's cursor): a lead already enrolled raises a unique violation
 * (23505) instead of being passed over, and each row skips the conflict check before its insert (a scratch probe:
 * 15.6–15.9 → 13.3–13.8 µs a message of PostgreSQL's CPU). A caller that gets the violation enrolls again with 'skip'.
 */
export async function enrollChunk(
  m: Queryable,
  chunkSql: string,
  params: unknown[],
  organizationId: string,
  campaignId: string,
  entry = 1,
  repeated: 'skip' | 'fail' = 'skip',
): Promise<Array<{ lead_id: string }>> {
  const n = params.length;
  // A/B: an undecided test's step is held until this chunk commits, so the decision (variant-decision.ts, which
  // updates the step first) either waits and then sees this chunk's held rows, or is seen by this chunk's insert.
  await m.query('SELECT 1 FROM campaign_steps WHERE campaign_id = $1 AND ab_test IS NOT NULL AND winner_variant_id IS NULL FOR SHARE', [
    campaignId,
  ]);
  return m.query(
    `WITH chunk AS (${chunkSql}),
          -- A/B steps' variants as ranges of the 0..9999 line (variant-bucket.ts): [lo, hi).
          vr AS (
            SELECT v.id, v.step_id, hi - v.percent * 100 AS lo, hi
              FROM (SELECT v.*, sum(v.percent) OVER (PARTITION BY v.step_id ORDER BY v.position) * 100 AS hi
                      FROM campaign_step_variants v JOIN campaign_steps vs ON vs.id = v.step_id
                     WHERE vs.campaign_id = $${n + 2}) v
          ),
          ins AS (
            INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, status, skip_reason, to_address, due_at, entry, variant_id)
            SELECT $${n + 1}, $${n + 2}, s.id, c.id, s.position, s.channel,
                   CASE WHEN a.address IS NULL THEN 'skipped' ELSE 'queued' END,
                   CASE WHEN a.address IS NULL THEN 'missing_address' END,
                   a.address,
                   -- A lead's first step it has an address for is due after its delay; later ones wait for it.
                   -- One held for its A/B test's winner waits until the decision makes it due (variant-decision.ts).
                   CASE WHEN a.address IS NOT NULL
                         AND s.position = min(s.position) FILTER (WHERE a.address IS NOT NULL) OVER (PARTITION BY c.id)
                        THEN CASE WHEN ab.held THEN 'infinity'::timestamptz ELSE clock_timestamp() + make_interval(secs => s.delay_seconds) END END,
                   $${n + 3}::int,
                   CASE WHEN ab.held THEN NULL WHEN ab.sample THEN vr.id ELSE s.winner_variant_id END
              FROM chunk c
              CROSS JOIN campaign_steps s
              CROSS JOIN LATERAL (SELECT ${leadAddressSql('s.channel', 'c')} AS address) a
              -- Without a test every lead is in the "sample": it gets its own variant.
              CROSS JOIN LATERAL (SELECT s.ab_test IS NULL OR ${bucketSql('c.id', 'coalesce(s.variant_seed, s.id)', 'sample')} < (s.ab_test ->> 'samplePercent')::int * 100 AS sample) smp
              CROSS JOIN LATERAL (SELECT smp.sample,
                                         NOT smp.sample AND s.winner_variant_id IS NULL AND a.address IS NOT NULL AS held) ab
              LEFT JOIN vr ON vr.step_id = s.id
                          AND ${bucketSql('c.id', 'coalesce(s.variant_seed, s.id)', 'variant')} >= vr.lo
                          AND ${bucketSql('c.id', 'coalesce(s.variant_seed, s.id)', 'variant')} < vr.hi
             WHERE s.campaign_id = $${n + 2}
            ${repeated === 'skip' ? 'ON CONFLICT (lead_id, campaign_id, step_id, entry) DO NOTHING' : ''}
          )
     SELECT id AS lead_id FROM chunk`,
    [...params, organizationId, campaignId, entry],
  );
}

// ---- lease ------------------------------------------------------------------------------------

/**
 * queued → leased, with the address each was leased for; the rows are the lease's candidates, locked. Answers the
 * lease's expiry. The lease's row in `message_leases` is written in the same statement: the expiry sweeps find
 * the lease there. Ids and addresses are sent as two arrays, which PostgreSQL reads faster than JSON objects. No
 * column it writes to `messages` is indexed, so each row is updated in place (HOT).
 */
export async function markLeased(
  m: Queryable,
  leaseId: string,
  runId: string,
  ttlSeconds: number,
  items: Array<{ id: string; address: string | null }>,
): Promise<Date | undefined> {
  const [row] = await returning<{ expires: Date }>(
    m,
    `WITH leased AS (
       UPDATE messages SET status = ${to('lease')}, lease_id = $1, run_id = $2, attempts = attempts + 1, to_address = v.address,
              lease_expires_at = clock_timestamp() + make_interval(secs => $3)
         FROM unnest($4::uuid[], $5::text[]) AS v(id, address)
        WHERE messages.id = v.id AND messages.status IN (${from('lease')})
       RETURNING messages.id, messages.campaign_id, messages.lease_expires_at
     )
     INSERT INTO message_leases (id, campaign_id, expires_at, message_ids)
     SELECT $1, (array_agg(campaign_id))[1], max(lease_expires_at), array_agg(id) FROM leased HAVING count(*) > 0
     RETURNING expires_at AS expires`,
    [leaseId, runId, ttlSeconds, items.map((i) => i.id), items.map((i) => i.address)],
  );
  return row?.expires;
}

/** queued → skipped, each with its reason (compliance at lease time). Answers the skipped steps' outcomes. */
export async function skipQueued(m: Queryable, skipped: Array<{ id: string; reason: SkipReason }>): Promise<StepOutcomeRow[]> {
  return returning<StepOutcomeRow>(
    m,
    `UPDATE messages SET status = ${to('skip')}, skip_reason = v.reason
       FROM json_to_recordset($1::json) AS v(id uuid, reason text)
      WHERE messages.id = v.id AND messages.status IN (${from('skip')}) RETURNING messages.lead_id, messages.position`,
    [JSON.stringify(skipped)],
  );
}

/** Everything of a cancelled campaign still queued is skipped (reason `cancelled`) and no longer due. */
export async function skipQueuedOfCampaign(m: Queryable, campaignId: string, reason: SkipReason): Promise<void> {
  await m.query(
    `UPDATE messages SET status = ${to('skip')}, skip_reason = $2, due_at = NULL
      WHERE campaign_id = $1 AND indexed_status IN (${fromIndexed('skip')}) AND status IN (${from('skip')})`,
    [campaignId, reason],
  );
}

/**
 * A lead's messages of one campaign still queued are skipped (a triggered campaign's leaving event:
 * `exited`) and no longer due; those already leased or sending finish. Answers how many.
 */
export async function skipQueuedOfLead(m: Queryable, campaignId: string, leadId: string, reason: SkipReason): Promise<number> {
  const rows = await returning<{ id: string }>(
    m,
    `UPDATE messages SET status = ${to('skip')}, skip_reason = $3, due_at = NULL
      WHERE campaign_id = $1 AND lead_id = $2 AND status IN (${from('skip')}) RETURNING id`,
    [campaignId, leadId, reason],
  );
  return rows.length;
}

/**
 * The messages of the leases (`message_leases`) `leases` selects (a WHERE clause on `l`): the expiry sweeps'
 * candidates, found without an index of `messages`. Read into an array first (`id = ANY(ARRAY(...))`), so each is a
 * lookup by primary key whatever the planner thinks of the leases' count. Each statement using it still checks
 * the message's own `lease_expires_at` and status.
 */
const LEASES_MESSAGES_SQL = (leases: string) => `SELECT unnest(l.message_ids) FROM ${leases}`;

/**
 * leased → queued: the messages go back to the queue untouched, their lease not counted as an attempt.
 * Scope: given ids, ids of one lease of a campaign, or every lease expired by now (of one campaign, or
 * all). Answers the requeued ids.
 */
export async function requeue(
  m: Queryable,
  scope: { ids: string[] } | { campaignId: string; leaseId: string; ids: string[] } | { expired: true; campaignId?: string },
): Promise<string[]> {
  let where: string;
  let params: unknown[];
  let leases = '';
  if ('expired' in scope) {
    // Each expired lease once: marked as requeued in the same statement, so the sweeps that follow until it is
    // forgotten a TTL later do not read its messages again (at 4,000 recipients/s that was 240,000 a tick).
    leases = `WITH expired AS (
                UPDATE message_leases l SET requeued_at = now()
                 WHERE l.expires_at < now() AND l.requeued_at IS NULL AND ($1::uuid IS NULL OR l.campaign_id = $1::uuid)
                RETURNING l.message_ids)
              `;
    params = [scope.campaignId ?? null];
    where = `id = ANY(ARRAY(${LEASES_MESSAGES_SQL('expired l')})) AND lease_expires_at < now()`;
  } else if ('leaseId' in scope) {
    where = 'campaign_id = $1 AND lease_id = $2 AND id = ANY($3::uuid[])';
    params = [scope.campaignId, scope.leaseId, scope.ids];
  } else {
    where = 'id = ANY($1::uuid[])';
    params = [scope.ids];
  }
  // Only `leased` messages are requeued: never marked `sending`, so never handed to a provider. The lease
  // was not an attempt (`attempts` counts the leases that could have reached a provider).
  const rows = await returning<{ id: string }>(
    m,
    `${leases}UPDATE messages SET status = ${to('requeue')}, lease_id = NULL, run_id = NULL, lease_expires_at = NULL, attempts = greatest(attempts - 1, 0)
      WHERE status IN (${from('requeue')}) AND ${where} RETURNING id`,
    params,
  );
  return rows.map((r) => r.id);
}

/**
 * leased → sending for those of this lease not expired. Answers the accepted ids. It writes `status` alone,
 * which no index holds (`indexed_status` stays `queued`, an open message), so PostgreSQL updates each row in
 * place. Its deadline is the lease's plus one TTL (`expireSending`): the lease's row in `message_leases` keeps
 * the time the sweeps look for.
 */
export async function markSending(m: Queryable, campaignId: string, leaseId: string, ids: string[]): Promise<string[]> {
  const rows = await returning<{ id: string }>(
    m,
    `UPDATE messages SET status = ${to('markSending')}
      WHERE campaign_id = $1 AND lease_id = $2 AND id = ANY($3::uuid[])
        AND status IN (${from('markSending')}) AND lease_expires_at > clock_timestamp()
      RETURNING id`,
    [campaignId, leaseId, ids],
  );
  return rows.map((r) => r.id);
}

/** leased → skipped (cancelled): the campaign was cancelled during the lease. */
export async function dropLeased(m: Queryable, campaignId: string, leaseId: string, ids: string[]): Promise<StepOutcomeRow[]> {
  return returning<StepOutcomeRow>(
    m,
    `UPDATE messages SET status = ${to('drop')}, skip_reason = 'cancelled', lease_expires_at = NULL
      WHERE campaign_id = $1 AND lease_id = $2 AND id = ANY($3::uuid[]) AND status IN (${from('drop')}) RETURNING lead_id, position`,
    [campaignId, leaseId, ids],
  );
}

/**
 * sending → unknown once its lease expired one TTL ago (of one campaign, or all): n8n marks a message
 * `sending` only before its lease expires, so it had at least a TTL to report it.
 */
export async function expireSending(
  m: Queryable,
  ttlSeconds: number,
  scope: { campaignId?: string } = {},
): Promise<Array<StepOutcomeRow & { campaign_id: string; id: string; channel: string }>> {
  return returning<StepOutcomeRow & { campaign_id: string; id: string; channel: string }>(
    m,
    `UPDATE messages SET status = ${to('expire')}, lease_expires_at = NULL, error_code = 'lease_expired',
            error_message = 'The sender stopped reporting while this message was being sent; it may have been accepted'
      WHERE id = ANY(ARRAY(${LEASES_MESSAGES_SQL(`message_leases l WHERE l.expires_at < now() - make_interval(secs => $1)
                                                      AND ($2::uuid IS NULL OR l.campaign_id = $2::uuid)`)}))
            AND status IN (${from('expire')}) AND lease_expires_at < now() - make_interval(secs => $1)
      RETURNING id, campaign_id, lead_id, position, channel`,
    [ttlSeconds, scope.campaignId ?? null],
  );
}

/**
 * The leases expired a TTL ago are forgotten (of one campaign, or all): the sweeps before this one requeued what
 * they left `leased` and made what they left `sending` unknown, so none of their messages can still need them.
 */
export async function forgetExpiredLeases(m: Queryable, ttlSeconds: number, scope: { campaignId?: string } = {}): Promise<void> {
  await m.query(
    `DELETE FROM message_leases WHERE expires_at < now() - make_interval(secs => $1) AND ($2::uuid IS NULL OR campaign_id = $2::uuid)`,
    [ttlSeconds, scope.campaignId ?? null],
  );
}

// ---- results ----------------------------------------------------------------------------------

export interface SettleInput {
  message_id: string;
  outcome: ReportOutcome;
  provider_message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  retry_after_ms: number | null;
  reason: string | null;
  sent_at: string | null;
}

// Every outcome settles from the same statuses; those whose move also starts at `unknown` may settle a lease-expired one.
const SETTLE_FROM = MESSAGE_TRANSITIONS.reportDeferred.from;
const SETTLE_UNKNOWN = REPORT_OUTCOMES.filter((o) => (MESSAGE_TRANSITIONS[REPORT_EVENT[o]].from as readonly string[]).includes('unknown'));
for (const o of REPORT_OUTCOMES) {
  if (MESSAGE_TRANSITIONS[REPORT_EVENT[o]].from.filter((s) => s !== 'unknown').join() !== SETTLE_FROM.join())
    throw new Error(`report outcome ${o} must settle from ${SETTLE_FROM.join(', ')}`);
}
const OUTCOME_STATUS = REPORT_OUTCOMES.map((o) => `WHEN '${o}' THEN ${to(REPORT_EVENT[o])}`).join(' ');

/**
 * The columns of a report's batch, each sent as one array (`unnest`): PostgreSQL reads 1,000 results' arrays in
 * 1.4 µs a result against 2.7 for the same batch as JSON objects (`json_to_recordset` looks each key up by name;
 * a scratch probe of the parse alone, not a committed command).
 */
const SETTLE_COLUMNS = [
  'message_id',
  'outcome',
  'provider_message_id',
  'error_code',
  'error_message',
  'retry_after_ms',
  'reason',
  'sent_at',
] as const satisfies ReadonlyArray<keyof SettleInput>;

/**
 * n8n's results for messages of one lease, set-based: each outcome's move of the table (`deferred`
 * requeues with a due time and frees the lease). Answers the rows that moved, with their new status.
 */
export async function settle(m: Queryable, campaignId: string, leaseId: string, results: SettleInput[]) {
  return returning<{ id: string; lead_id: string | null; position: number; status: MessageStatus; step_id: string }>(
    m,
    `UPDATE messages m SET
        status = CASE r.outcome ${OUTCOME_STATUS} END,
        skip_reason = CASE WHEN r.outcome = 'skipped' THEN coalesce(r.reason, 'missing_variable') END,
        provider_message_id = coalesce(r.provider_message_id, m.provider_message_id),
        error_code = r.error_code,
        error_message = r.error_message,
        sent_at = CASE WHEN r.outcome = 'sent' THEN coalesce(r.sent_at, clock_timestamp()) ELSE m.sent_at END,
        due_at = CASE WHEN r.outcome = 'deferred' THEN clock_timestamp() + make_interval(secs => coalesce(r.retry_after_ms, 1000) / 1000.0) ELSE m.due_at END,
        lease_id = CASE WHEN r.outcome = 'deferred' THEN NULL ELSE m.lease_id END,
        run_id = CASE WHEN r.outcome = 'deferred' THEN NULL ELSE m.run_id END,
        lease_expires_at = NULL,
        -- deferred while still leased (never marked sending), or with a code proving no call: not an attempt
        attempts = CASE WHEN r.outcome = 'deferred' AND (m.status = 'leased' OR r.error_code IN (${NOT_ATTEMPTED_CODES.map((c) => `'${c}'`).join(', ')}))
                        THEN greatest(m.attempts - 1, 0) ELSE m.attempts END
      FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::timestamptz[])
             AS r(message_id, outcome, provider_message_id, error_code, error_message, retry_after_ms, reason, sent_at)
     WHERE m.id = r.message_id AND m.campaign_id = $1 AND m.lease_id = $2
       AND (m.status IN (${sqlList(SETTLE_FROM)})
            -- a late report may still settle what lease expiry had to call unknown
            OR (m.status = 'unknown' AND m.error_code = 'lease_expired' AND r.outcome IN (${SETTLE_UNKNOWN.map((o) => `'${o}'`).join(', ')})))
    RETURNING m.id, m.lead_id, m.position, m.status, m.step_id`,
    [campaignId, leaseId, ...SETTLE_COLUMNS.map((column) => results.map((r) => r[column]))],
  );
}

/**
 * A provider event moves messages forward (`sent`, `delivered`, `failed`), recording what it carries;
 * a message already further along is left alone. Answers the rows that moved.
 */
export async function applyProviderEvent(
  m: Queryable,
  type: ProviderStatusEvent,
  changes: Array<{ id: string; at: Date; code: string | null; message: string | null; pid: string | null }>,
): Promise<Array<StepOutcomeRow & { campaign_id: string }>> {
  const rule = MESSAGE_TRANSITIONS[PROVIDER_EVENTS[type]];
  return returning<StepOutcomeRow & { campaign_id: string }>(
    m,
    `UPDATE messages SET status = $1,
            delivered_at = CASE WHEN $1 = 'delivered' THEN v.at ELSE delivered_at END,
            sent_at = coalesce(sent_at, CASE WHEN $1 IN ('sent', 'delivered') THEN v.at END),
            error_code = CASE WHEN $1 = 'failed' THEN v.code ELSE error_code END,
            error_message = CASE WHEN $1 = 'failed' THEN v.message ELSE error_message END,
            lease_expires_at = NULL,
            -- The callback may arrive before n8n's report: keep the provider's id it carries.
            provider_message_id = coalesce(provider_message_id, v.pid)
       FROM json_to_recordset($2::json) AS v(id uuid, at timestamptz, code text, message text, pid text)
      WHERE messages.id = v.id AND messages.status = ANY($3::text[])
      RETURNING messages.campaign_id, messages.lead_id, messages.position`,
    [rule.to, JSON.stringify(changes), rule.from],
  );
}

// ---- replies ----------------------------------------------------------------------------------

/** The first time the lead answered each message (a person); an earlier reply arriving late wins. */
export async function markReplied(m: Queryable, replies: Array<{ id: string; at: Date }>): Promise<void> {
  if (replies.length === 0) return;
  await m.query(
    `UPDATE messages SET replied_at = LEAST(coalesce(replied_at, v.at), v.at)
       FROM (SELECT id, min(at) AS at FROM json_to_recordset($1::json) AS r(id uuid, at timestamptz) GROUP BY id) v
      WHERE messages.id = v.id`,
    [JSON.stringify(replies)],
  );
}

/**
 * queued → skipped (`replied`): a lead who answered gets none of their remaining steps, in every running
 * campaign of the organization (`allCampaigns`) or only the campaign of the message they answered. Inbox
 * replies (campaigns of type `reply`) are never stopped: they are the answer. Records which message was
 * answered. Answers the campaigns that lost queued work (they may be done now).
 */
export async function stopForReply(
  m: Queryable,
  stops: Array<{ organizationId: string; leadId: string; campaignId: string; messageId: string; allCampaigns: boolean }>,
): Promise<string[]> {
  if (stops.length === 0) return [];
  // Candidates are found by lead (`lead_id = ANY`, the lead index) before the campaign: the planner, with a young
  // campaign's stale statistics, otherwise walked each campaign's whole queue once per reply.
  const rows = await returning<{ campaign_id: string }>(
    m,
    `WITH r AS (
       SELECT * FROM json_to_recordset($1::json)
         AS r("organizationId" uuid, "leadId" uuid, "campaignId" uuid, "messageId" uuid, "allCampaigns" boolean)
     ), targets AS (
       SELECT DISTINCT ON (q.id) q.id, r."messageId" AS stopped_by
         FROM messages q
         JOIN r ON q.lead_id = r."leadId" AND q.organization_id = r."organizationId" AND (r."allCampaigns" OR q.campaign_id = r."campaignId")
         JOIN campaigns c ON c.id = q.campaign_id AND c.status IN ('scheduled', 'active', 'paused') AND c.type <> 'reply'
        WHERE q.lead_id = ANY($2::uuid[]) AND q.status IN (${from('skip')})
        ORDER BY q.id, r."messageId"
     )
     UPDATE messages SET status = ${to('skip')}, skip_reason = 'replied', stopped_by_message_id = targets.stopped_by, due_at = NULL
       FROM targets
      WHERE messages.id = targets.id AND messages.status IN (${from('skip')})
     RETURNING messages.campaign_id`,
    [JSON.stringify(stops), [...new Set(stops.map((s) => s.leadId))]],
  );
  return [...new Set(rows.map((r) => r.campaign_id))];
}

/**
 * Retry: the campaign's failed messages with one of `errorCodes` are queued again, due now. Each one's
 * failed try is kept first in `message_attempts` (its provider id, error and time), so the history of
 * the message stays whole; the message itself starts its next attempt clean. Answers the retried ids.
 */
export async function retryFailed(
  m: Queryable,
  organizationId: string,
  campaignId: string,
  channel: string,
  errorCodes: string[],
): Promise<string[]> {
  if (errorCodes.length === 0) return [];
  await m.query(
    `INSERT INTO message_attempts (organization_id, message_id, attempt, provider_message_id, error_code, error_message, sent_at, failed_at)
     SELECT organization_id, id, attempts, provider_message_id, error_code, error_message, sent_at, updated_at
       FROM messages WHERE organization_id = $1 AND campaign_id = $2 AND indexed_status IN (${fromIndexed('retry')}) AND status IN (${from('retry')}) AND error_code = ANY($3::text[]) AND channel = $4`,
    [organizationId, campaignId, errorCodes, channel],
  );
  const rows = await returning<{ id: string }>(
    m,
    `UPDATE messages SET status = ${to('retry')}, due_at = clock_timestamp(), error_code = NULL, error_message = NULL,
            provider_message_id = NULL, sent_at = NULL, delivered_at = NULL, lease_id = NULL, run_id = NULL, lease_expires_at = NULL
      WHERE organization_id = $1 AND campaign_id = $2 AND indexed_status IN (${fromIndexed('retry')}) AND status IN (${from('retry')}) AND error_code = ANY($3::text[]) AND channel = $4
      RETURNING id`,
    [organizationId, campaignId, errorCodes, channel],
  );
  return rows.map((r) => r.id);
}

/**
 * Voice retries: calls the provider reported `busy`, `no-answer` or `failed` (never connected, so
 * nobody heard anything) are queued again after the campaign's `retryDelaySeconds`, while the message
 * has had no more than `1 + retryCount` attempts. Each ended try is kept in `message_attempts` (its call
 * id, status and time) and the message starts its next attempt clean. Answers the redialled messages and
 * their campaigns (a completed one must be reopened).
 */
export async function redialCalls(
  m: Queryable,
  calls: Array<{ id: string; at: Date; status: string; pid: string | null }>,
): Promise<{ ids: string[]; campaignIds: string[] }> {
  if (calls.length === 0) return { ids: [], campaignIds: [] };
  const rows = await returning<{
    id: string;
    organization_id: string;
    campaign_id: string;
    attempts: number;
    pid: string | null;
    sent_at: Date | null;
    at: Date;
    status: string;
  }>(
    m,
    `UPDATE messages SET status = ${to('redial')}, due_at = clock_timestamp() + make_interval(secs => old.delay),
            error_code = NULL, error_message = NULL, provider_message_id = NULL, sent_at = NULL, delivered_at = NULL,
            lease_id = NULL, run_id = NULL, lease_expires_at = NULL
       FROM (SELECT ms.id, ms.organization_id, ms.campaign_id, ms.attempts, coalesce(ms.provider_message_id, v.pid) AS pid, ms.sent_at, v.at, v.status,
                    coalesce((c.settings ->> 'retryDelaySeconds')::int, 0) AS delay
               FROM (SELECT DISTINCT ON (id) * FROM json_to_recordset($1::json) AS x(id uuid, at timestamptz, status text, pid text)) v
               JOIN messages ms ON ms.id = v.id
               JOIN campaigns c ON c.id = ms.campaign_id
              -- A campaign whose last calls were placed is completed before they end: a retry reopens it.
              WHERE ms.channel = 'voice' AND ms.status IN (${from('redial')}) AND c.status IN ('active', 'paused', 'completed')
                AND ms.attempts <= coalesce((c.settings ->> 'retryCount')::int, 0)
              FOR UPDATE OF ms) AS old
      WHERE messages.id = old.id AND messages.status IN (${from('redial')})
      RETURNING old.id, old.organization_id, old.campaign_id, old.attempts, old.pid, old.sent_at, old.at, old.status`,
    [JSON.stringify(calls)],
  );
  if (rows.length === 0) return { ids: [], campaignIds: [] };
  await m.query(
    `INSERT INTO message_attempts (organization_id, message_id, attempt, provider_message_id, error_code, error_message, sent_at, failed_at)
     SELECT organization_id, id, attempts, pid, status, 'Twilio reported ' || status, sent_at, at
       FROM json_to_recordset($1::json) AS r(organization_id uuid, id uuid, attempts int, pid text, sent_at timestamptz, at timestamptz, status text)`,
    [JSON.stringify(rows)],
  );
  return { ids: rows.map((r) => r.id), campaignIds: [...new Set(rows.map((r) => r.campaign_id))] };
}
