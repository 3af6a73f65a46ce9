import type { EntityManager } from 'typeorm';
import { returning } from '../../../database/returning';
import { OPEN_INDEXED_SQL } from '../../messages/message-status';
import type { AbTest } from './ab-test';
import { METRIC_COUNT, variantCounts } from './variant-counts';
import { leader } from './significance';

interface PendingTest {
  id: string;
  organization_id: string;
  campaign_id: string;
  ab_test: AbTest;
  test_started_at: Date | null;
}

/**
 * The scheduler's A/B step (scheduler.service.ts, under its advisory lock): for each undecided test of an
 * active campaign, once `decideAfterSeconds` passed since its first send and every variant has
 * `minSamplePerVariant` sends, or once every sample message has its outcome (a small audience never
 * reaches the minimum), the variant with the highest rate of the test's metric wins (ties: the earlier
 * variant, A first). Its held messages get the winner and, when their turn had come, become due now; the
 * scheduler then starts runs for them on this same tick. Answers the steps decided.
 */
export async function decideAbTests(m: EntityManager): Promise<string[]> {
  const pending: PendingTest[] = await m.query(
    `SELECT s.id, s.organization_id, s.campaign_id, s.ab_test, s.test_started_at
       FROM campaign_steps s JOIN campaigns c ON c.id = s.campaign_id
      WHERE s.ab_test IS NOT NULL AND s.winner_variant_id IS NULL AND c.status = 'active'`,
  );
  const decided: string[] = [];
  for (const step of pending) {
    const started = step.test_started_at ?? (await recordStart(m, step));
    if (!started || new Date(started).getTime() + step.ab_test.decideAfterSeconds * 1000 > Date.now()) continue;
    if (await decide(m, step)) decided.push(step.id);
  }
  return decided;
}

/** The test's first send, stored once seen (the step's messages are scanned only until then). */
async function recordStart(m: EntityManager, step: PendingTest): Promise<Date | null> {
  const [row] = await returning<{ at: Date | null }>(
    m,
    `UPDATE campaign_steps s SET test_started_at = f.at
       FROM (SELECT min(q.sent_at) AS at FROM messages q WHERE q.campaign_id = $1 AND q.step_id = $2 AND q.variant_id IS NOT NULL) f
      WHERE s.id = $2 AND f.at IS NOT NULL
     RETURNING s.test_started_at AS at`,
    [step.campaign_id, step.id],
  );
  return row?.at ?? null;
}

async function decide(m: EntityManager, step: PendingTest): Promise<boolean> {
  const variants: Array<{ id: string }> = await m.query('SELECT id FROM campaign_step_variants WHERE step_id = $1 ORDER BY position', [
    step.id,
  ]);
  // Sends first (one GROUP BY): the engagement counts, an index probe per message, only once the test may end.
  const sends: Array<{ variant_id: string; n: number }> = await m.query(
    `SELECT variant_id, count(*)::int AS n FROM messages
      WHERE campaign_id = $1 AND step_id = $2 AND variant_id IS NOT NULL AND (sent_at IS NOT NULL OR status IN ('sent', 'delivered'))
      GROUP BY variant_id`,
    [step.campaign_id, step.id],
  );
  const sent = new Map(sends.map((r) => [r.variant_id, Number(r.n)]));
  const enough = variants.every((v) => (sent.get(v.id) ?? 0) >= step.ab_test.minSamplePerVariant);
  if (!enough) {
    const [open] = await m.query<unknown[]>(
      `SELECT 1 FROM messages WHERE campaign_id = $1 AND step_id = $2 AND variant_id IS NOT NULL
          AND ${OPEN_INDEXED_SQL} LIMIT 1`,
      [step.campaign_id, step.id],
    );
    if (open) return false;
  }
  const counts = new Map((await variantCounts(m, step.organization_id, step.campaign_id, [step.id])).map((c) => [c.variantId, c]));
  const key = METRIC_COUNT[step.ab_test.metric];
  const winner = leader(
    variants.map((v) => ({ id: v.id, success: Number(counts.get(v.id)?.[key] ?? 0), total: counts.get(v.id)?.sent ?? 0 })),
  );
  // Nothing of the sample was sent at all (every message skipped): A, as for a tie.
  const winnerId = winner ?? variants[0]?.id;
  if (!winnerId) return false;
  // The step row first: enrollment holds it (FOR SHARE, enrollChunk) until its chunk commits, so a chunk
  // enrolled meanwhile is either released below or already reads the winner.
  const [set] = await returning<{ id: string }>(
    m,
    `UPDATE campaign_steps SET winner_variant_id = $2, decided_at = clock_timestamp() WHERE id = $1 AND winner_variant_id IS NULL RETURNING id`,
    [step.id, winnerId],
  );
  if (!set) return false;
  // Held messages whose turn came wait at 'infinity': due now. Those still waiting for an earlier step keep NULL.
  await m.query(
    `UPDATE messages SET variant_id = $3, due_at = CASE WHEN due_at = 'infinity' THEN clock_timestamp() ELSE due_at END
      WHERE campaign_id = $1 AND step_id = $2 AND variant_id IS NULL AND status = 'queued'`,
    [step.campaign_id, step.id, winnerId],
  );
  return true;
}
