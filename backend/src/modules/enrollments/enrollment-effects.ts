import { EntityManager } from 'typeorm';
import { returning } from '../../database/returning';
import type { Campaign, CampaignTrigger } from '../campaigns/campaign.entity';
import { conditionsHold } from '../campaigns/campaign-trigger';
import { Lead } from '../leads/lead.entity';
import { applyLeadFilter } from '../leads/lead-filter';
import { enrollChunk, OPEN_MESSAGE_STATUSES, skipQueuedOfLead } from '../messages/message-status';

/** The event as the triggers see it. */
export interface TriggeringEvent {
  id: string;
  organizationId: string;
  leadId: string;
  name: string;
  properties: Record<string, unknown>;
  occurredAt: Date;
}

export interface EventEffects {
  enrollments: Array<{ id: string; campaignId: string; entry: number }>;
  exits: Array<{ id: string; campaignId: string }>;
}

export type TriggeredCampaign = Pick<Campaign, 'id' | 'status' | 'audience' | 'launchedAt'> & { trigger: CampaignTrigger };

const OPEN = OPEN_MESSAGE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * What one event does to the organization's triggered campaigns, in the caller's transaction: first it
 * ends the enrollments its name leaves (remaining steps skipped, `exited`), then it enrolls its lead in
 * each active campaign it triggers. A lead is in a campaign at most once at a time; `reentry` says
 * whether it may come back after that. Leaves starting the n8n runs to the caller. `campaignsByName`
 * caches the campaign lookup across the events of one transaction.
 */
export async function applyEvent(
  m: EntityManager,
  event: TriggeringEvent,
  campaignsByName: Map<string, TriggeredCampaign[]> = new Map(),
): Promise<EventEffects> {
  // A batch of events shares one transaction: the campaigns an event name concerns are read once.
  let campaigns = campaignsByName.get(event.name);
  if (!campaigns) {
    campaigns = await m.query<TriggeredCampaign[]>(
      `SELECT id, status, audience, launched_at AS "launchedAt", trigger FROM campaigns
        WHERE organization_id = $1 AND type = 'triggered' AND status IN ('active', 'paused')
          AND (trigger ->> 'event' = $2 OR trigger -> 'exitOn' @> jsonb_build_array(jsonb_build_object('event', $2::text)))`,
      [event.organizationId, event.name],
    );
    campaignsByName.set(event.name, campaigns);
  }
  const effects: EventEffects = { enrollments: [], exits: [] };
  for (const campaign of campaigns) {
    const leaves = campaign.trigger.exitOn.some((e) => e.event === event.name && conditionsHold(e.conditions, event.properties));
    if (leaves) {
      const exited = await exitEnrollment(m, campaign.id, event);
      if (exited) effects.exits.push({ id: exited, campaignId: campaign.id });
    }
  }
  for (const campaign of campaigns) {
    const { trigger } = campaign;
    if (campaign.status !== 'active' || trigger.event !== event.name || !conditionsHold(trigger.conditions, event.properties)) continue;
    // Events from before the launch (a CRM's backfill) do not enroll: the campaign reacts to what happens while it runs.
    if (!campaign.launchedAt || event.occurredAt < campaign.launchedAt) continue;
    const enrolled = await enroll(m, campaign, event);
    if (enrolled) effects.enrollments.push({ ...enrolled, campaignId: campaign.id });
  }
  return effects;
}

/** The lead's current enrollment, if it still has open messages, ends; its queued steps are skipped. */
async function exitEnrollment(m: EntityManager, campaignId: string, event: TriggeringEvent): Promise<string | undefined> {
  const [ended] = await returning<{ id: string }>(
    m,
    `UPDATE campaign_enrollments e SET exited_at = clock_timestamp(), exit_event_id = $3
      WHERE e.campaign_id = $1 AND e.lead_id = $2 AND e.exited_at IS NULL
        AND EXISTS (SELECT 1 FROM messages q WHERE q.campaign_id = e.campaign_id AND q.lead_id = e.lead_id AND q.entry = e.entry
                       AND q.status IN (${OPEN}))
     RETURNING e.id`,
    [campaignId, event.leadId, event.id],
  );
  if (!ended) return undefined;
  await skipQueuedOfLead(m, campaignId, event.leadId, 'exited');
  return ended.id;
}

async function enroll(
  m: EntityManager,
  campaign: TriggeredCampaign,
  event: TriggeringEvent,
): Promise<{ id: string; entry: number } | undefined> {
  const lead = m
    .getRepository(Lead)
    .createQueryBuilder('l')
    .select('l.id', 'id')
    .addSelect('l.email', 'email')
    .addSelect('l.phone', 'phone')
    .where('l.organization_id = :org AND l.id = :lead', { org: event.organizationId, lead: event.leadId });
  const { audience } = campaign;
  if ('leadIds' in audience && !audience.leadIds.includes(event.leadId)) return undefined;
  if ('filter' in audience) {
    applyLeadFilter(lead, 'l', audience.filter);
    if (!(await lead.getRawOne())) return undefined;
  }
  const { reentry, reentryAfterSeconds } = campaign.trigger;
  // One statement decides and takes the entry number: a concurrent event for the same lead computes the same
  // number and meets the unique (campaign, lead, entry) index, so the lead is enrolled once.
  const [entered]: Array<{ id: string; entry: number }> = await m.query(
    `INSERT INTO campaign_enrollments (organization_id, campaign_id, lead_id, entry, event_id)
     SELECT $1, $2, $3, coalesce(max(e.entry), 0) + 1, $4
       FROM campaign_enrollments e WHERE e.campaign_id = $2 AND e.lead_id = $3
     HAVING CASE WHEN $5 = 'never' THEN count(*) = 0
                 ELSE NOT EXISTS (SELECT 1 FROM messages q WHERE q.campaign_id = $2 AND q.lead_id = $3 AND q.status IN (${OPEN}))
                      AND (max(e.created_at) IS NULL OR max(e.created_at) <= clock_timestamp() - make_interval(secs => $6::int)) END
     ON CONFLICT DO NOTHING
     RETURNING id, entry`,
    [event.organizationId, campaign.id, event.leadId, event.id, reentry, reentryAfterSeconds ?? 0],
  );
  if (!entered) return undefined;
  const [leadSql, params] = lead.getQueryAndParameters();
  await enrollChunk(m, leadSql, params, event.organizationId, campaign.id, entered.entry);
  await m.query('UPDATE campaigns SET audience_size = audience_size + 1 WHERE id = $1', [campaign.id]);
  return entered;
}
