import type { EntityManager } from 'typeorm';
import type { GuardMetrics } from './guard-verdict';
import { senderColumn, type SenderId } from '../lease/sender-id';

/**
 * A sender's figures since `since`, over the campaigns that send through it (a step's own sender, else the
 * campaign's), calls left out: messages accepted, accepted then failed (bounces, undelivered), complaints, and messages the
 * provider's API refused. Campaign-bounded so the indexes on `campaign_id` carry it.
 */
export async function guardMetrics(m: EntityManager, organizationId: string, sender: SenderId, since: Date): Promise<GuardMetrics> {
  const { column, id } = senderColumn(sender);
  const [row] = await m.query<Array<{ sent: string; bounced: string; complained: string; rejected: string }>>(
    `WITH steps AS (
       SELECT s.id, s.campaign_id FROM campaign_steps s JOIN campaigns c ON c.id = s.campaign_id
        WHERE c.organization_id = $1
          AND (s.${column} = $2 OR (s.sender_channel_id IS NULL AND s.sender_email_account_id IS NULL AND c.${column} = $2))
     ), msgs AS (
       SELECT m.id, m.status, m.sent_at, m.updated_at FROM messages m
        -- Calls are not counted: a busy or unanswered call is how calls go, not a bounce.
        WHERE m.campaign_id IN (SELECT campaign_id FROM steps) AND m.step_id IN (SELECT id FROM steps) AND m.channel <> 'voice'
          AND (m.sent_at > $3 OR (m.status = 'failed' AND m.sent_at IS NULL AND m.updated_at > $3))
     )
     SELECT count(*) FILTER (WHERE sent_at > $3) AS sent,
            count(*) FILTER (WHERE sent_at > $3 AND EXISTS (
              SELECT 1 FROM message_events e WHERE e.message_id = msgs.id AND e.type = 'failed' AND e.created_at > $3)) AS bounced,
            count(*) FILTER (WHERE sent_at > $3 AND EXISTS (
              SELECT 1 FROM message_events e WHERE e.message_id = msgs.id AND e.type = 'complained' AND e.created_at > $3)) AS complained,
            count(*) FILTER (WHERE status = 'failed' AND sent_at IS NULL) AS rejected
       FROM msgs`,
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
