import { EntityManager } from 'typeorm';
import { effectiveRule, scoreCallback, type CallbackSource } from './callback-priority';
import { INITIAL_CALLBACK_STATUS } from './callback-status';

export interface NewCallback {
  organizationId: string;
  leadId: string | null;
  channel: string;
  address: string;
  reason: string;
  source: CallbackSource;
  sourceMessageId?: string | null;
  conversationId?: string | null;
  windowStart?: string | null;
  windowEnd?: string | null;
  timezone?: string | null;
  notes?: string;
  actorUserId: string | null;
  actorLabel: string;
}

/** A lead's replies and clicks in the last 30 days: the engagement part of the score. */
export async function engagementsOf(m: EntityManager, organizationId: string, leadIds: string[]): Promise<Map<string, number>> {
  if (leadIds.length === 0) return new Map();
  const rows: Array<{ lead_id: string; n: number }> = await m.query(
    `SELECT ms.lead_id, count(*)::int AS n
       FROM message_events e JOIN messages ms ON ms.id = e.message_id
      WHERE e.organization_id = $1 AND ms.lead_id = ANY($2::uuid[]) AND e.type IN ('replied', 'clicked')
        AND e.occurred_at > now() - interval '30 days'
      GROUP BY ms.lead_id`,
    [organizationId, leadIds],
  );
  return new Map(rows.map((r) => [r.lead_id, r.n]));
}

/**
 * Creates a request, scored by the organization's rule, with its `created` activity. A source message
 * makes it once (a replayed webhook finds it); a lead that already has an open request gets no second
 * one: the open request records the new ask (`duplicate`) instead. Answers the request's id and whether
 * it is new.
 */
export async function createCallback(m: EntityManager, input: NewCallback): Promise<{ id: string; created: boolean }> {
  if (input.leadId) {
    // Serialises concurrent asks for one lead (a reply and a no-answer at once).
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`callback:${input.leadId}`]);
    const [open]: Array<{ id: string }> = await m.query(
      `SELECT id FROM callback_requests WHERE organization_id = $1 AND lead_id = $2 AND status IN ('pending', 'assigned', 'in_progress')
        ORDER BY created_at LIMIT 1`,
      [input.organizationId, input.leadId],
    );
    if (open) {
      await logActivity(m, input.organizationId, open.id, {
        kind: 'duplicate',
        actorUserId: input.actorUserId,
        actorLabel: input.actorLabel,
        summary: `Asked again (${input.source})${input.reason ? `: ${input.reason.slice(0, 200)}` : ''}`,
        details: { source: input.source, sourceMessageId: input.sourceMessageId ?? null },
      });
      return { id: open.id, created: false };
    }
  }
  const [org]: Array<{ callback_rule: Record<string, unknown> | null }> = await m.query(
    'SELECT callback_rule FROM organizations WHERE id = $1',
    [input.organizationId],
  );
  const [lead]: Array<{ attributes: Record<string, unknown> }> = input.leadId
    ? await m.query('SELECT attributes FROM leads WHERE id = $1 AND organization_id = $2', [input.leadId, input.organizationId])
    : [];
  const engagements = input.leadId ? ((await engagementsOf(m, input.organizationId, [input.leadId])).get(input.leadId) ?? 0) : 0;
  const [{ now }]: Array<{ now: Date }> = await m.query('SELECT clock_timestamp() AS now');
  const scored = scoreCallback(
    { source: input.source, createdAt: now, now, leadAttributes: lead?.attributes ?? null, engagements },
    effectiveRule(org?.callback_rule),
  );
  const inserted: Array<{ id: string }> = await m.query(
    `INSERT INTO callback_requests (organization_id, created_at, updated_at, lead_id, channel, address, reason, source, source_message_id,
                                    conversation_id, window_start, window_end, timezone, notes, status, score, category, score_reasons,
                                    scored_at, due_at)
     VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $2, $18)
     ON CONFLICT (organization_id, source, source_message_id) WHERE source_message_id IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      input.organizationId,
      now,
      input.leadId,
      input.channel,
      input.address,
      input.reason,
      input.source,
      input.sourceMessageId ?? null,
      input.conversationId ?? null,
      input.windowStart ?? null,
      input.windowEnd ?? null,
      input.timezone ?? null,
      input.notes ?? '',
      INITIAL_CALLBACK_STATUS,
      scored.score,
      scored.category,
      JSON.stringify(scored.reasons),
      scored.dueAt,
    ],
  );
  if (!inserted[0]) {
    const [existing]: Array<{ id: string }> = await m.query(
      'SELECT id FROM callback_requests WHERE organization_id = $1 AND source = $2 AND source_message_id = $3',
      [input.organizationId, input.source, input.sourceMessageId],
    );
    return { id: existing.id, created: false };
  }
  const id = inserted[0].id;
  await logActivity(m, input.organizationId, id, {
    kind: 'created',
    actorUserId: input.actorUserId,
    actorLabel: input.actorLabel,
    summary: `Created from ${input.source}: score ${scored.score} (${scored.category}), due ${scored.dueAt.toISOString()}`,
    details: { source: input.source, score: scored.score, category: scored.category, reasons: scored.reasons },
  });
  return { id, created: true };
}

export async function logActivity(
  m: Pick<EntityManager, 'query'>,
  organizationId: string,
  callbackRequestId: string,
  a: { kind: string; actorUserId: string | null; actorLabel: string; summary: string; details?: Record<string, unknown> },
): Promise<void> {
  await m.query(
    `INSERT INTO callback_activities (organization_id, callback_request_id, created_at, kind, actor_user_id, actor_label, summary, details)
     VALUES ($1, $2, clock_timestamp(), $3, $4, $5, $6, $7)`,
    [organizationId, callbackRequestId, a.kind, a.actorUserId, a.actorLabel, a.summary, JSON.stringify(a.details ?? {})],
  );
}
