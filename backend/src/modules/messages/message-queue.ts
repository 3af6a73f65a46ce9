import { EntityManager } from 'typeorm';
import { expireSending, forgetExpiredLeases, requeue } from './message-status';
import { boundUnconfirmedCallSlots, releaseCallSlots } from '../quota/call-slots';

export interface StepOutcome {
  leadId: string | null;
  position: number;
}

/**
 * A lead's next step becomes due once the previous one has its outcome: its delay counts from now.
 * Steps already skipped at enrollment (no address for that channel) are passed over.
 */
export async function advanceSequences(m: EntityManager, campaignId: string, outcomes: StepOutcome[]): Promise<void> {
  if (!outcomes.some((o) => o.leadId !== null)) return;
  // A blast, or a campaign's last step, has nothing after it: one lookup instead of a join per outcome.
  const [{ last }]: Array<{ last: number | null }> = await m.query(
    'SELECT max(position) AS last FROM campaign_steps WHERE campaign_id = $1',
    [campaignId],
  );
  const withLead = outcomes.filter(
    (o): o is { leadId: string; position: number } => o.leadId !== null && last !== null && o.position < last,
  );
  if (withLead.length === 0) return;
  await m.query(
    // A message held for its A/B test's winner (no variant yet) is not due until the decision (variant-decision.ts).
    `UPDATE messages n SET due_at = CASE WHEN n.variant_id IS NULL AND s.ab_test IS NOT NULL AND s.winner_variant_id IS NULL
                                         THEN 'infinity'::timestamptz
                                         ELSE clock_timestamp() + make_interval(secs => s.delay_seconds) END
       FROM campaign_steps s, (
         SELECT DISTINCT ON (q.lead_id) q.id
           FROM messages q
           JOIN unnest($2::uuid[], $3::int[]) AS p(lead_id, position) ON q.lead_id = p.lead_id AND q.position > p.position
          WHERE q.campaign_id = $1 AND q.indexed_status = 'queued' AND q.status = 'queued' AND q.due_at IS NULL
          ORDER BY q.lead_id, q.position
       ) nx
      WHERE n.id = nx.id AND s.id = n.step_id`,
    [campaignId, withLead.map((o) => o.leadId), withLead.map((o) => o.position)],
  );
}

/**
 * Expired leases: a message still `leased` never reached a provider and goes back to the queue; one
 * `sending` may have been accepted, so once its lease is a TTL (`ttlSeconds`) older it becomes `unknown`
 * and is never sent again automatically. Then the leases expired a TTL ago are forgotten: the table the sweep
 * reads holds only the leases of the last TTLs, whatever the size of the campaigns.
 */
export async function expireLeases(
  m: EntityManager,
  ttlSeconds: number,
  scope: { campaignId?: string } = {},
): Promise<{ requeued: number; unknown: number }> {
  const requeued = await requeue(m, { expired: true, campaignId: scope.campaignId });
  // Never marked sending, so never called: a voice message's call slot is free again.
  await releaseCallSlots(m, requeued);
  const unknown = await expireSending(m, ttlSeconds, { campaignId: scope.campaignId });
  await forgetExpiredLeases(m, ttlSeconds, { campaignId: scope.campaignId });
  await boundUnconfirmedCallSlots(
    m,
    unknown.filter((u) => u.channel === 'voice').map((u) => u.id),
  );
  const byCampaign = new Map<string, StepOutcome[]>();
  for (const u of unknown)
    byCampaign.set(u.campaign_id, [...(byCampaign.get(u.campaign_id) ?? []), { leadId: u.lead_id, position: u.position }]);
  for (const [id, outcomes] of byCampaign) await advanceSequences(m, id, outcomes);
  return { requeued: requeued.length, unknown: unknown.length };
}

/**
 * Queued messages that may not go yet (outside their lead's send window) get a later due time: they stay
 * queued, and the lease hands them out once they are due again.
 */
export async function postponeQueued(m: EntityManager, messages: Array<{ id: string; at: Date }>): Promise<void> {
  if (messages.length === 0) return;
  await m.query(
    `UPDATE messages SET due_at = v.at
       FROM json_to_recordset($1::json) AS v(id uuid, at timestamptz)
      WHERE messages.id = v.id AND messages.status = 'queued'`,
    [JSON.stringify(messages)],
  );
}
