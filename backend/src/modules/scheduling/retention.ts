import { EntityManager } from 'typeorm';
import { returning } from '../../database/returning';

/** Rows deleted per statement: keeps each delete short so it never holds the scheduler's turn for long. */
export const RETENTION_BATCH = 5_000;
/** At most this many batches per table and pass; what is left waits for the next pass. */
const MAX_BATCHES = 20;
/**
 * The quota ledger and the warm-up ramp read `sender_usage` over the last 24 hours only; an hour of
 * margin covers a slow clock between instances.
 */
const SENDER_USAGE_KEEP = '25 hours';

export interface RetentionResult {
  idempotencyKeys: number;
  senderUsage: number;
}

/**
 * Deletes rows nothing reads any more, in bounded batches: replayable answers past their time to live
 * (one per n8n result report, so they grow with volume) and quota-ledger hours older than the daily
 * window. No index on `idempotency_keys.created_at`: the table holds about one TTL of rows, and an
 * index would cost a write on every report to speed up a scan that runs every few minutes.
 */
export async function pruneExpired(m: EntityManager, idempotencyTtlHours: number): Promise<RetentionResult> {
  return {
    idempotencyKeys: await deleteInBatches(
      m,
      `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1) LIMIT $2))
       RETURNING 1`,
      [idempotencyTtlHours],
    ),
    senderUsage: await deleteInBatches(
      m,
      `DELETE FROM sender_usage WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM sender_usage WHERE hour < now() - interval '${SENDER_USAGE_KEEP}' LIMIT $1))
       RETURNING 1`,
      [],
    ),
  };
}

async function deleteInBatches(m: EntityManager, sql: string, params: unknown[]): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const rows = await returning<unknown>(m, sql, [...params, RETENTION_BATCH]);
    total += rows.length;
    if (rows.length < RETENTION_BATCH) break;
  }
  return total;
}
