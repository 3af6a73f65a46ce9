import { EntityManager } from 'typeorm';

/** A concurrency limit on live calls: a campaign's or a number's `maxConcurrentCalls`. */
export interface CallLimit {
  key: string;
  organizationId: string;
  max: number;
}

/** The `call_slots` key of a campaign's live calls (campaign-status.ts spells it in SQL: 'calls:campaign:' || id). */
export const campaignCallsKey = (campaignId: string): string => `calls:campaign:${campaignId}`;

/** Twilio call statuses after which the call is over and its slot is free. */
export const FINAL_CALL_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];

const LIVE_SQL = `SELECT slot_key, count(*)::int AS live FROM call_slots
                   WHERE slot_key = ANY($1::text[]) AND expires_at > clock_timestamp() GROUP BY slot_key`;

async function liveCounts(m: EntityManager, keys: string[]): Promise<Map<string, number>> {
  const rows: Array<{ slot_key: string; live: number }> = await m.query(LIVE_SQL, [keys]);
  return new Map(rows.map((r) => [r.slot_key, r.live]));
}

function room(limits: CallLimit[], live: Map<string, number>, requested: number): number {
  return limits.reduce((n, l) => Math.min(n, Math.max(0, l.max - (live.get(l.key) ?? 0))), requested);
}

/** How many calls could start now under every limit, read without locking (sizes a lease before it locks). */
export async function peekCallSlots(m: EntityManager, limits: CallLimit[], requested: number): Promise<number> {
  if (limits.length === 0) return requested;
  return room(
    limits,
    await liveCounts(
      m,
      limits.map((l) => l.key),
    ),
    requested,
  );
}

/**
 * Takes a slot under every limit for as many of `messageIds` (in order) as there is room for, and answers
 * how many got one. Each limit's key is locked (a transaction-scoped advisory lock, in key order so two
 * leases never deadlock) before its live slots are counted, so concurrent leases on any backend instance
 * serialize per limit and together never exceed it. A slot lives until its call's final status callback
 * (`releaseCallSlots`) or, if that never comes, until `ttlSeconds` passed.
 */
export async function takeCallSlots(m: EntityManager, limits: CallLimit[], messageIds: string[], ttlSeconds: number): Promise<number> {
  if (limits.length === 0 || messageIds.length === 0) return messageIds.length;
  const sorted = [...limits].sort((a, b) => a.key.localeCompare(b.key));
  for (const l of sorted) await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7417))', [l.key]);
  const keys = sorted.map((l) => l.key);
  // Expired slots (lost callbacks) are only ignored by the count; they are cleared here, under the lock.
  await m.query('DELETE FROM call_slots WHERE slot_key = ANY($1::text[]) AND expires_at <= clock_timestamp()', [keys]);
  const granted = room(sorted, await liveCounts(m, keys), messageIds.length);
  if (granted === 0) return 0;
  await m.query(
    `INSERT INTO call_slots (slot_key, message_id, organization_id, expires_at)
     SELECT l.k, ids.id, l.o, clock_timestamp() + make_interval(secs => $4)
       FROM unnest($1::text[], $2::uuid[]) AS l(k, o) CROSS JOIN unnest($3::uuid[]) AS ids(id)
     ON CONFLICT (slot_key, message_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
    [keys, sorted.map((l) => l.organizationId), messageIds.slice(0, granted), ttlSeconds],
  );
  return granted;
}

/** The calls of these messages are over (or were never placed): their slots are free. */
export async function releaseCallSlots(m: EntityManager, messageIds: string[]): Promise<void> {
  if (messageIds.length === 0) return;
  await m.query('DELETE FROM call_slots WHERE message_id = ANY($1::uuid[])', [messageIds]);
}

/**
 * A placed call reports `ringing` within seconds; after its lease expired in `sending`, a call that has not
 * said a word was never placed (n8n stopped between the sending mark and the provider call), and no final
 * callback will ever free its slot. Its slot then lives this long (for a callback still in the webhook
 * inbox) instead of the full `CALL_SLOT_TTL_SECONDS`.
 */
export const UNCONFIRMED_CALL_SLOT_SECONDS = 60;

/** Expired in `sending`: the slots of those calls the provider never reported are freed soon, not at the safety expiry. */
export async function boundUnconfirmedCallSlots(m: EntityManager, messageIds: string[]): Promise<void> {
  if (messageIds.length === 0) return;
  await m.query(
    `UPDATE call_slots s SET expires_at = least(s.expires_at, clock_timestamp() + make_interval(secs => $2))
      WHERE s.message_id = ANY($1::uuid[])
        AND NOT EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = s.message_id AND e.source = 'twilio')`,
    [messageIds, UNCONFIRMED_CALL_SLOT_SECONDS],
  );
}

/** Live calls under a limit now (the campaign page's "calls in progress"). */
export async function liveCallCount(m: EntityManager, key: string): Promise<number> {
  return (await liveCounts(m, [key])).get(key) ?? 0;
}
