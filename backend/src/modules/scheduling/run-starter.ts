import { type Channel, TRIGGER_EVENT, type TriggerPayload } from '@cadence/contracts';
import { EntityManager } from 'typeorm';
import { GMAIL_RATE_PER_SECOND } from '../lease/sender-resolver';

/**
 * Without `settings.shards`, one run per AUTO_SHARD_MESSAGES due messages and per AUTO_SHARD_RATE
 * messages a second of the sender's rate, up to AUTO_SHARDS_MAX. Runs are n8n's pipeline (one leases
 * while another sends and a third reports): 10,000 SMS on two cores ran at 543 msg/s with 1 run,
 * 1,188 with 4 and 1,390 with 8 (`BENCH_SMS_SHARDS=n npm run bench -- campaign`). A slow sender gains
 * nothing from more runs.
 */
export const AUTO_SHARD_MESSAGES = 1000;
export const AUTO_SHARD_RATE = 100;
export const AUTO_SHARDS_MAX = 8;

/**
 * No live run of campaign `alias` and no undelivered trigger for one: nothing will lease its due messages unless
 * runs are started. `staleAfter`: the parameter holding the seconds after which a silent run counts as dead.
 */
export function notCoveredSql(alias: string, staleAfter: string): string {
  return `NOT EXISTS (SELECT 1 FROM campaign_runs r WHERE r.campaign_id = ${alias}.id
                       AND ((r.finished_at IS NULL AND r.last_seen_at > clock_timestamp() - make_interval(secs => ${staleAfter}))
                            OR r.retry_at > clock_timestamp()))
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = '${TRIGGER_EVENT}' AND o.delivered_at IS NULL AND o.payload ->> 'campaignId' = ${alias}.id::text)`;
}

/**
 * Starts the n8n loops of a campaign: one run per shard (`settings.shards`, or sized by the due
 * backlog), each announced through the outbox in the caller's transaction, unless a live run or an
 * undelivered trigger already covers it.
 */
export async function startRunsIfIdle(m: EntityManager, campaignId: string, staleAfterSeconds: number): Promise<number> {
  const [campaign]: Array<{ id: string; organization_id: string; shards: number; channel: Channel }> = await m.query(
    `SELECT c.id, c.organization_id,
            greatest(1, least(coalesce((c.settings ->> 'shards')::int, least($4::int,
              ceil((SELECT count(*) FROM (SELECT 1 FROM messages q WHERE q.campaign_id = c.id AND q.indexed_status = 'queued'
                                            AND q.status = 'queued' AND q.due_at <= clock_timestamp() LIMIT $3::int * $4::int) due) / $3::int::numeric)::int,
              ceil(least(coalesce((c.settings ->> 'ratePerSecond')::numeric, 1e9),
                         CASE WHEN coalesce(first.sender_channel_id, c.sender_channel_id) IS NULL THEN $6::numeric
                              ELSE coalesce((SELECT CASE WHEN jsonb_typeof(ch.config -> 'ratePerSecond') = 'number' THEN (ch.config ->> 'ratePerSecond')::numeric END
                                             FROM channel_connections ch
                                              WHERE ch.id = coalesce(first.sender_channel_id, c.sender_channel_id)), 1) END) / $5::int)::int)), 16)) AS shards,
            first.channel
       FROM campaigns c
       LEFT JOIN LATERAL (SELECT channel, sender_channel_id FROM campaign_steps WHERE campaign_id = c.id ORDER BY position LIMIT 1) first ON true
      WHERE c.id = $1 AND c.status = 'active'
        AND ${notCoveredSql('c', '$2')}`,
    [campaignId, staleAfterSeconds, AUTO_SHARD_MESSAGES, AUTO_SHARDS_MAX, AUTO_SHARD_RATE, GMAIL_RATE_PER_SECOND],
  );
  if (!campaign) return 0;
  for (let shard = 0; shard < campaign.shards; shard++) {
    const [run]: Array<{ id: string }> = await m.query(
      `INSERT INTO campaign_runs (organization_id, campaign_id, shard, last_seen_at) VALUES ($1, $2, $3, clock_timestamp()) RETURNING id`,
      [campaign.organization_id, campaign.id, shard],
    );
    await m.query(`INSERT INTO outbox (organization_id, kind, payload) VALUES ($1, '${TRIGGER_EVENT}', $2)`, [
      campaign.organization_id,
      // The trigger payload (contract) but its send time, which the outbox adds when it delivers.
      JSON.stringify({
        event: TRIGGER_EVENT,
        runId: run.id,
        campaignId: campaign.id,
        organizationId: campaign.organization_id,
        shard,
        shards: campaign.shards,
        channel: campaign.channel,
      } satisfies Omit<TriggerPayload, 'triggeredAt'>),
    ]);
  }
  return campaign.shards;
}
