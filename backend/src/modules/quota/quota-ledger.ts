import { EntityManager } from 'typeorm';
import {
  applyDailyCaps,
  firstSlotMs,
  gcraWindow,
  ledgerIntervalMs,
  refillWithinMs,
  settleGrant,
  SLOT_LEAD_MS,
  slotLateToleranceMs,
} from './quota-gcra.util';

export interface QuotaKey {
  key: string;
  organizationId: string;
  ratePerSecond: number;
  /** Messages per rolling 24 hours, if capped. */
  dailyCap?: number;
}

export interface QuotaGrant {
  count: number;
  /** Delay before the first slot, from now. */
  startInMs: number;
  intervalMs: number;
  /** When `count` is 0: how long until a slot frees up. */
  retryAfterMs: number;
  /** The first slot, epoch ms on the database's clock (what parallel runs must time their calls by). */
  startAtMs: number;
}

interface Computed extends QuotaGrant {
  sorted: QuotaKey[];
  nowMs: number;
  startMs: number;
}

/** GCRA over the ledgers' theoretical arrival times, then the daily caps: what could be granted now. */
async function compute(
  manager: EntityManager,
  keys: QuotaKey[],
  requested: number,
  horizonMs: number,
  lock: boolean,
  atMs?: number,
): Promise<Computed> {
  const sorted = [...keys].sort((a, b) => a.key.localeCompare(b.key));
  const nowMs = atMs ?? new Date((await manager.query<Array<{ now: Date }>>('SELECT clock_timestamp() AS now'))[0].now).getTime();
  if (lock) await createLedgers(manager, sorted);
  const rows: Array<{ sender_key: string; tat: Date }> = await manager.query(
    `SELECT sender_key, tat FROM sender_ledgers WHERE sender_key = ANY($1::text[]) ORDER BY sender_key${lock ? ' FOR UPDATE' : ''}`,
    [sorted.map((k) => k.key)],
  );
  const intervalMs = ledgerIntervalMs(sorted.map((k) => k.ratePerSecond));
  const startMs = firstSlotMs(
    nowMs,
    rows.map((r) => r.tat),
    SLOT_LEAD_MS,
  );
  const base = { sorted, nowMs, startMs };
  const window = gcraWindow(nowMs, startMs, intervalMs, requested, horizonMs, refillWithinMs(horizonMs));
  if (window.retryAfterMs > 0)
    return { ...base, count: 0, startInMs: 0, intervalMs, retryAfterMs: window.retryAfterMs, startAtMs: startMs };
  let { count } = window;

  const capped = sorted.filter((k) => k.dailyCap !== undefined);
  let retryAfterMs = 0;
  if (capped.length) {
    const usage: Array<{ sender_key: string; used: string; oldest: Date | null }> = await manager.query(
      `SELECT sender_key, sum(count) AS used, min(hour) AS oldest FROM sender_usage
        WHERE sender_key = ANY($1::text[]) AND hour > $2::timestamptz - interval '24 hours'
        GROUP BY sender_key`,
      [capped.map((k) => k.key), new Date(nowMs)],
    );
    ({ count, retryAfterMs } = applyDailyCaps(
      count,
      capped.map((k) => {
        const row = usage.find((u) => u.sender_key === k.key);
        return { cap: k.dailyCap!, used: Number(row?.used ?? 0), oldestHourMs: row?.oldest ? new Date(row.oldest).getTime() : null };
      }),
      nowMs,
    ));
  }
  return { ...base, ...settleGrant(nowMs, startMs, intervalMs, count, retryAfterMs), startAtMs: startMs };
}

async function createLedgers(manager: EntityManager, sorted: QuotaKey[]): Promise<void> {
  await manager.query(
    `INSERT INTO sender_ledgers (sender_key, organization_id, tat)
       SELECT k, o, '-infinity'::timestamptz FROM unnest($1::text[], $2::uuid[]) AS x(k, o)
     ON CONFLICT (sender_key) DO NOTHING`,
    [sorted.map((k) => k.key), sorted.map((k) => k.organizationId)],
  );
}

/** Whether the grants of these ledgers hold their slot times to the millisecond (at or under SLOT_HOLD_MAX_RATE). */
export function ledgersHoldSlots(keys: QuotaKey[]): boolean {
  return keys.length > 0 && slotLateToleranceMs(ledgerIntervalMs(keys.map((k) => k.ratePerSecond))) !== undefined;
}

/**
 * Locks the ledgers of `keys` (in key order, as `reserveSlots` does) until the transaction ends: a lease that
 * takes them first serializes with the other leases of its sender from its peek on, not only for its last
 * statements. Worth it where the slots, not the leases, bound the sending (see `LeaseService.lease`).
 */
export async function lockLedgers(manager: EntityManager, keys: QuotaKey[]): Promise<void> {
  const sorted = [...keys].sort((a, b) => a.key.localeCompare(b.key));
  await createLedgers(manager, sorted);
  await manager.query('SELECT 1 FROM sender_ledgers WHERE sender_key = ANY($1::text[]) ORDER BY sender_key FOR UPDATE', [
    sorted.map((k) => k.key),
  ]);
}

/**
 * What `reserveSlots` would grant now, read without locking: lets a lease size its batch before it
 * takes the ledger lock, which it then holds only for its last statements.
 */
export async function peekSlots(
  manager: EntityManager,
  keys: QuotaKey[],
  requested: number,
  horizonMs: number,
  atMs?: number,
): Promise<QuotaGrant> {
  const { count, startInMs, intervalMs, retryAfterMs, startAtMs } = await compute(manager, keys, requested, horizonMs, false, atMs);
  return { count, startInMs, intervalMs, retryAfterMs, startAtMs };
}

/**
 * Reserves send slots on every ledger that governs a message (its sender, its campaign) at the pace
 * of the slowest one (GCRA). The rows are locked in key order, so concurrent leases serialize per
 * sender and never deadlock; the slots they get are disjoint, so the rate holds across every n8n
 * execution and worker. Nothing is reserved further ahead than `horizonMs`.
 *
 * `atMs` replaces the database's clock: only the pre-launch check's test sets it, to play a multi-day
 * schedule through this very arithmetic and SQL in seconds (check/eta.test.ts).
 */
export async function reserveSlots(
  manager: EntityManager,
  keys: QuotaKey[],
  requested: number,
  horizonMs: number,
  atMs?: number,
): Promise<QuotaGrant> {
  const { sorted, nowMs, startMs, count, startInMs, intervalMs, retryAfterMs, startAtMs } = await compute(
    manager,
    keys,
    requested,
    horizonMs,
    true,
    atMs,
  );
  if (count === 0) return { count, startInMs, intervalMs, retryAfterMs, startAtMs };
  await manager.query('UPDATE sender_ledgers SET tat = $2 WHERE sender_key = ANY($1::text[])', [
    sorted.map((k) => k.key),
    new Date(startMs + count * intervalMs),
  ]);
  await manager.query(
    `INSERT INTO sender_usage (sender_key, hour, count)
       SELECT k, date_trunc('hour', $2::timestamptz), $3 FROM unnest($1::text[]) AS k
     ON CONFLICT (sender_key, hour) DO UPDATE SET count = sender_usage.count + EXCLUDED.count`,
    [sorted.map((k) => k.key), new Date(nowMs), count],
  );
  return { count, startInMs, intervalMs, retryAfterMs, startAtMs };
}

/** Gives back daily-cap room for messages that were leased but proved not sent (deferred). */
export async function refundUsage(manager: EntityManager, keys: string[], count: number): Promise<void> {
  if (count <= 0 || keys.length === 0) return;
  await manager.query(
    `INSERT INTO sender_usage (sender_key, hour, count)
       SELECT k, date_trunc('hour', clock_timestamp()), -$2::int FROM unnest($1::text[]) AS k
     ON CONFLICT (sender_key, hour) DO UPDATE SET count = sender_usage.count - $2::int`,
    [keys, count],
  );
}

/**
 * Charges API reads (Gmail reply detection) to a sender's ledger, so that reads and sends share one
 * budget: `units` of the provider's quota cost `units / unitsPerSend` of a send slot, added to the
 * ledger's theoretical arrival time like a send would be. The read itself happens now; the sends after it
 * are pushed back by what it used. Returns the seconds of sending it cost.
 */
export async function chargeReadUnits(manager: EntityManager, key: QuotaKey, units: number, unitsPerSend: number): Promise<number> {
  const seconds = units / unitsPerSend / key.ratePerSecond;
  await manager.query(
    `INSERT INTO sender_ledgers (sender_key, organization_id, tat) VALUES ($1, $2, '-infinity'::timestamptz)
     ON CONFLICT (sender_key) DO NOTHING`,
    [key.key, key.organizationId],
  );
  await manager.query(
    `UPDATE sender_ledgers SET tat = greatest(tat, clock_timestamp()) + make_interval(secs => $2::double precision) WHERE sender_key = $1`,
    [key.key, seconds],
  );
  return seconds;
}
