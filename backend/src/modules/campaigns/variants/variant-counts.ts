import type { EntityManager } from 'typeorm';
import type { AbMetric } from './ab-test';

export interface VariantCounts {
  stepId: string;
  variantId: string;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  converted: number;
}

export const METRIC_COUNT: Record<AbMetric, keyof VariantCounts> = {
  open: 'opened',
  click: 'clicked',
  reply: 'replied',
  conversion: 'converted',
};

/**
 * Per step and variant: messages sent, and of those the ones delivered, opened / clicked by a person
 * (machine-traffic.ts verdicts left out, as attribution does), replied to and converted. One pass over
 * the steps' messages of the campaign (its campaign_id index); the events through their message index.
 */
export async function variantCounts(
  m: Pick<EntityManager, 'query'>,
  organizationId: string,
  campaignId: string,
  stepIds: string[],
): Promise<VariantCounts[]> {
  if (stepIds.length === 0) return [];
  const rows: Array<Record<string, string | number>> = await m.query(
    `SELECT m.step_id, m.variant_id,
            count(*) AS sent,
            count(*) FILTER (WHERE m.delivered_at IS NOT NULL OR m.status = 'delivered') AS delivered,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.type = 'opened'
                                              AND coalesce(e.payload->>'machine', '') <> 'true')) AS opened,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.type = 'clicked'
                                              AND coalesce(e.payload->>'machine', '') <> 'true')) AS clicked,
            count(*) FILTER (WHERE m.replied_at IS NOT NULL) AS replied,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM conversions cv WHERE cv.campaign_id = m.campaign_id AND cv.message_id = m.id)) AS converted
       FROM messages m
      WHERE m.organization_id = $1 AND m.campaign_id = $2 AND m.step_id = ANY($3::uuid[]) AND m.variant_id IS NOT NULL
        AND (m.sent_at IS NOT NULL OR m.status IN ('sent', 'delivered'))
      GROUP BY m.step_id, m.variant_id`,
    [organizationId, campaignId, stepIds],
  );
  return rows.map((r) => ({
    stepId: String(r.step_id),
    variantId: String(r.variant_id),
    sent: Number(r.sent),
    delivered: Number(r.delivered),
    opened: Number(r.opened),
    clicked: Number(r.clicked),
    replied: Number(r.replied),
    converted: Number(r.converted),
  }));
}
