import { EntityManager } from 'typeorm';

/**
 * Starts the n8n loops of a campaign: one run per shard, each announced through the outbox in the
 * caller's transaction, unless a live run or an undelivered trigger already covers it.
 */
export async function startRunsIfIdle(m: EntityManager, campaignId: string, staleAfterSeconds: number): Promise<number> {
  const [campaign]: Array<{ id: string; organization_id: string; shards: number; channel: string }> = await m.query(
    `SELECT c.id, c.organization_id, greatest(1, least(coalesce((c.settings ->> 'shards')::int, 1), 16)) AS shards,
            (SELECT channel FROM campaign_steps WHERE campaign_id = c.id ORDER BY position LIMIT 1) AS channel
       FROM campaigns c
      WHERE c.id = $1 AND c.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM campaign_runs r WHERE r.campaign_id = c.id
                         AND ((r.finished_at IS NULL AND r.last_seen_at > clock_timestamp() - make_interval(secs => $2))
                              OR r.retry_at > clock_timestamp()))
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'campaign.run' AND o.delivered_at IS NULL AND o.payload ->> 'campaignId' = c.id::text)`,
    [campaignId, staleAfterSeconds],
  );
  if (!campaign) return 0;
  for (let shard = 0; shard < campaign.shards; shard++) {
    const [run]: Array<{ id: string }> = await m.query(
      `INSERT INTO campaign_runs (organization_id, campaign_id, shard, last_seen_at) VALUES ($1, $2, $3, clock_timestamp()) RETURNING id`,
      [campaign.organization_id, campaign.id, shard],
    );
    await m.query(`INSERT INTO outbox (organization_id, kind, payload) VALUES ($1, 'campaign.run', $2)`, [
      campaign.organization_id,
      JSON.stringify({ event: 'campaign.run', runId: run!.id, campaignId: campaign.id, organizationId: campaign.organization_id, shard, shards: campaign.shards, channel: campaign.channel }),
    ]);
  }
  return campaign.shards;
}
