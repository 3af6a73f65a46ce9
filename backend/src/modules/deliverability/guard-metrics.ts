import type { EntityManager } from 'typeorm';
import type { GuardMetrics } from './guard-verdict';
import { senderColumn, type SenderId } from '../lease/sender-id';

/**
 * A sender's figures since `since`, over the campaigns that send through it (a step's own sender, else the
 * campaign's), calls left out: messages accepted, accepted then failed (bounces, undelivered), complaints, and messages the
 * provider's API refused. Campaign-bounded so the indexes on `campaign_id` carry it. Counting what was sent still
 * reads every message sent in the window (at 1,000,000 in a day, a few hundred ms every GUARD_EVALUATE_SECONDS);
 * docs/scaling.md says what takes its place past that.
 */
export async function guardMetrics(m: EntityManager, organizationId: string, sender: SenderId, since: Date): Promise<GuardMetrics> {
  const { column, id } = senderColumn(sender);
  const [row] = await m.query<Array<{ sent: string; bounced: string; complained: string; rejected: string }>>(
    `WITH steps AS (
       SELECT s.id, s.campaign_id FROM campaign_steps s JOIN campaigns c ON c.id = s.campaign_id
        WHERE c.organization_id = $1
          AND (s.${column} = $2 OR (s.sender_channel_id IS NULL AND s.sender_email_account_id IS NULL AND c.${column} = $2))
     ),
     -- Calls are not counted: a busy or unanswered call is how calls go, not a bounce.
     sent AS (
       SELECT count(*) AS n FROM messages m
        WHERE m.campaign_id IN (SELECT campaign_id FROM steps) AND m.step_id IN (SELECT id FROM steps) AND m.channel <> 'voice'
          AND m.sent_at > $3
     ),
     -- Bounces and complaints from their events (IDX_message_events_guard holds those types alone), of messages
     -- sent since then: a lookup per failure, not two per message sent.
     flagged AS (
       SELECT e.type, count(DISTINCT e.message_id) AS n FROM message_events e JOIN messages m ON m.id = e.message_id
        WHERE e.organization_id = $1 AND e.type IN ('failed', 'complained') AND e.created_at > $3
          AND m.step_id IN (SELECT id FROM steps) AND m.channel <> 'voice' AND m.sent_at > $3
        GROUP BY e.type
     ),
     -- Refused by the provider's API: failed without ever being sent.
     rejected AS (
       SELECT count(*) AS n FROM messages m
        WHERE m.campaign_id IN (SELECT campaign_id FROM steps) AND m.indexed_status = 'failed' AND m.step_id IN (SELECT id FROM steps)
          AND m.channel <> 'voice' AND m.sent_at IS NULL AND m.updated_at > $3
     )
     SELECT (SELECT n FROM sent) AS sent,
            coalesce((SELECT n FROM flagged WHERE type = 'failed'), 0) AS bounced,
            coalesce((SELECT n FROM flagged WHERE type = 'complained'), 0) AS complained,
            (SELECT n FROM rejected) AS rejected`,
    [organizationId, id, since],
  );
  return {
    since: since.toISOString(),
    sent: Number(row.sent),
    bounced: Number(row.bounced),
    complained: Number(row.complained),
    rejected: Number(row.rejected),
  };
}
