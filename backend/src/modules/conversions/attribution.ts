import type { EntityManager } from 'typeorm';

/** How far back a conversion looks for the campaign message that earned it. */
export const ATTRIBUTION_WINDOW_DAYS = 30;

export interface Attribution {
  messageId: string;
  campaignId: string;
  stepId: string;
  channel: string;
  by: 'engaged' | 'delivered';
}

/**
 * Last touch: the lead's campaign message with the latest human open, click or reply in the window before the
 * conversion; else its latest delivered one; else none. A lead has a handful of messages (IDX_messages_lead),
 * each a handful of events (IDX_message_events_message): two small lookups.
 */
export async function attribute(m: EntityManager, organizationId: string, leadId: string, occurredAt: Date): Promise<Attribution | null> {
  const params = [organizationId, leadId, occurredAt.toISOString(), ATTRIBUTION_WINDOW_DAYS];
  const [engaged]: Array<{ id: string; campaign_id: string; step_id: string; channel: string }> = await m.query(
    `SELECT msg.id, msg.campaign_id, msg.step_id, msg.channel FROM messages msg
       CROSS JOIN LATERAL (
         SELECT max(e.occurred_at) AS at FROM message_events e
          WHERE e.message_id = msg.id AND e.type IN ('opened', 'clicked', 'replied') AND coalesce(e.payload->>'machine', '') <> 'true'
            AND e.occurred_at <= $3::timestamptz AND e.occurred_at > $3::timestamptz - make_interval(days => $4)
       ) last
      WHERE msg.lead_id = $2 AND msg.organization_id = $1 AND last.at IS NOT NULL
      ORDER BY last.at DESC, msg.id LIMIT 1`,
    params,
  );
  if (engaged)
    return { messageId: engaged.id, campaignId: engaged.campaign_id, stepId: engaged.step_id, channel: engaged.channel, by: 'engaged' };
  const [delivered]: Array<{ id: string; campaign_id: string; step_id: string; channel: string }> = await m.query(
    `SELECT id, campaign_id, step_id, channel FROM messages
      WHERE lead_id = $2 AND organization_id = $1 AND status = 'delivered'
        AND coalesce(delivered_at, sent_at) <= $3::timestamptz AND coalesce(delivered_at, sent_at) > $3::timestamptz - make_interval(days => $4)
      ORDER BY coalesce(delivered_at, sent_at) DESC, id LIMIT 1`,
    params,
  );
  return delivered
    ? { messageId: delivered.id, campaignId: delivered.campaign_id, stepId: delivered.step_id, channel: delivered.channel, by: 'delivered' }
    : null;
}
