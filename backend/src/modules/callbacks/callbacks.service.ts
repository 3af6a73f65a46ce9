import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthContext } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { hashRequest, IdempotencyService } from '../../common/idempotency/idempotency.service';
import { presentCall, type CallRow } from './callback-call-outcomes';
import { createCallback, engagementsOf, logActivity } from './callback-creation';
import {
  CALLBACK_CATEGORIES,
  CALLBACK_SOURCES,
  effectiveRule,
  scoreCallback,
  type CallbackCategory,
  type CallbackRule,
  type CallbackSource,
} from './callback-priority';
import { assertCallbackMove, eventForCallbackStatus, moveCallback, type CallbackEvent, type CallbackStatus } from './callback-status';
import type { CallbackRuleDto, CreateCallbackDto } from './callbacks.dto';
import type {
  CallbackActivityResponse,
  CallbackDetailResponse,
  CallbackResponse,
  CallbackRuleResponse,
  CallbackSummaryResponse,
} from './callbacks.responses';

export interface CallbackFilter {
  /** A status, or `open` (pending, assigned, in progress). */
  status?: CallbackStatus | 'open';
  assigneeId?: string;
  overdue?: boolean;
  category?: CallbackCategory;
  sort: 'priority' | 'due' | 'created';
  limit: number;
}

type Row = {
  id: string;
  channel: string;
  address: string;
  reason: string;
  source: CallbackSource;
  source_message_id: string | null;
  conversation_id: string | null;
  window_start: Date | null;
  window_end: Date | null;
  timezone: string | null;
  notes: string;
  status: CallbackStatus;
  score: number;
  category: CallbackCategory;
  score_reasons: string[];
  scored_at: Date;
  due_at: Date;
  resolution: string | null;
  completed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  overdue: boolean;
  sla_breached: boolean;
  lead_id: string | null;
  lead_email: string | null;
  lead_phone: string | null;
  lead_first_name: string | null;
  lead_last_name: string | null;
  assignee_id: string | null;
  assignee_email: string | null;
  assignee_name: string | null;
};

const OPEN = `cb.status IN ('pending', 'assigned', 'in_progress')`;
const SELECT = `
  SELECT cb.*, (${OPEN} AND cb.due_at < now()) AS overdue,
         ((${OPEN} AND cb.due_at < now()) OR coalesce(cb.completed_at > cb.due_at, false)) AS sla_breached,
         l.email AS lead_email, l.phone AS lead_phone, l.first_name AS lead_first_name, l.last_name AS lead_last_name,
         u.id AS assignee_id, u.email AS assignee_email, u.name AS assignee_name
    FROM callback_requests cb
    LEFT JOIN leads l ON l.id = cb.lead_id
    LEFT JOIN users u ON u.id = cb.assignee_user_id`;
const ORDER = {
  priority: 'cb.score DESC, cb.due_at ASC, cb.id',
  due: 'cb.due_at ASC, cb.score DESC, cb.id',
  created: 'cb.created_at DESC, cb.id',
};
/** Open requests are rescored when read, at most this often (waiting time is counted in whole hours). */
const RESCORE_AFTER_SECONDS = 60;
const RESCORE_BATCH = 2000;

/** The callback queue of one organization: requests, their priority and SLA, who has them, and their history. */
@Injectable()
export class CallbacksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyService,
  ) {}

  async create(
    caller: AuthContext,
    input: CreateCallbackDto,
    idempotencyKey: string | undefined,
  ): Promise<{ statusCode: number; body: CallbackDetailResponse }> {
    const work = async (m: EntityManager) => {
      const id = await this.createIn(m, caller, input);
      return { statusCode: 201, body: await this.detail(caller.organizationId, id, m) };
    };
    if (!idempotencyKey) return this.dataSource.transaction(work);
    return this.idempotency.run(caller.organizationId, 'callback-create', idempotencyKey, hashRequest(input), work);
  }

  private async createIn(m: EntityManager, caller: AuthContext, input: CreateCallbackDto): Promise<string> {
    const organizationId = caller.organizationId;
    const channel = input.channel ?? 'voice';
    let address = input.address;
    if (input.leadId) {
      const [lead]: Array<{ email: string | null; phone: string | null }> = await m.query(
        'SELECT email, phone FROM leads WHERE id = $1 AND organization_id = $2',
        [input.leadId, organizationId],
      );
      if (!lead) throw new AppError('lead_not_found', `No lead ${input.leadId}`);
      address ??= (channel === 'email' ? lead.email : lead.phone) ?? undefined;
    }
    if (!address) throw new AppError('validation_failed', 'address is required when the lead has none for this channel (or no leadId)');
    if ((channel === 'email') !== address.includes('@'))
      throw new AppError(
        'validation_failed',
        `address must be ${channel === 'email' ? 'an email address' : 'an E.164 number'} for ${channel}`,
      );
    if (input.windowStart && input.windowEnd && new Date(input.windowEnd) < new Date(input.windowStart))
      throw new AppError('validation_failed', 'windowEnd must not be before windowStart');
    const actor = await this.actor(m, caller);
    const { id } = await createCallback(m, {
      organizationId,
      leadId: input.leadId ?? null,
      channel,
      address,
      reason: input.reason ?? '',
      source: input.source ?? 'web_form',
      windowStart: input.windowStart ?? null,
      windowEnd: input.windowEnd ?? null,
      timezone: input.timezone ?? null,
      notes: input.notes,
      ...actor,
    });
    return id;
  }

  async list(organizationId: string, filter: CallbackFilter): Promise<CallbackResponse[]> {
    await this.rescore(organizationId);
    const where = ['cb.organization_id = $1'];
    const params: unknown[] = [organizationId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status === 'open') where.push(OPEN);
    else if (filter.status) add('cb.status = ?', filter.status);
    if (filter.assigneeId) add('cb.assignee_user_id = ?', filter.assigneeId);
    if (filter.category) add('cb.category = ?', filter.category);
    if (filter.overdue !== undefined)
      where.push(filter.overdue ? `(${OPEN} AND cb.due_at < now())` : `NOT (${OPEN} AND cb.due_at < now())`);
    params.push(filter.limit);
    const rows: Row[] = await this.dataSource.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY ${ORDER[filter.sort]} LIMIT $${params.length}`,
      params,
    );
    return rows.map(present);
  }

  async detail(organizationId: string, id: string, m: EntityManager = this.dataSource.manager): Promise<CallbackDetailResponse> {
    const [row]: Row[] = await m.query(`${SELECT} WHERE cb.organization_id = $1 AND cb.id = $2`, [organizationId, id]);
    if (!row) throw new AppError('callback_not_found', `No callback request ${id}`);
    const activities: Array<{
      id: string;
      kind: string;
      actor_label: string;
      actor_user_id: string | null;
      summary: string;
      details: Record<string, unknown>;
      created_at: Date;
    }> = await m.query(
      `SELECT id, kind, actor_label, actor_user_id, summary, details, created_at FROM callback_activities
        WHERE organization_id = $1 AND callback_request_id = $2 ORDER BY created_at, id LIMIT 1000`,
      [organizationId, id],
    );
    const calls: CallRow[] = await m.query(
      'SELECT * FROM callback_calls WHERE organization_id = $1 AND callback_request_id = $2 ORDER BY created_at DESC, id LIMIT 20',
      [organizationId, id],
    );
    return {
      ...present(row),
      calls: calls.map(presentCall),
      activities: activities.map((a): CallbackActivityResponse => ({
        id: a.id,
        kind: a.kind,
        actor: a.actor_label,
        actorUserId: a.actor_user_id,
        summary: a.summary,
        details: a.details,
        at: a.created_at,
      })),
    };
  }

  async get(organizationId: string, id: string): Promise<CallbackDetailResponse> {
    await this.rescore(organizationId, id);
    return this.detail(organizationId, id);
  }

  async setStatus(caller: AuthContext, id: string, to: CallbackStatus, resolution?: string): Promise<CallbackDetailResponse> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, caller.organizationId, id);
      if (row.status === to) return this.detail(caller.organizationId, id, m);
      const event = eventForCallbackStatus(row.status, to);
      if (event === 'assign' && !row.assignee_user_id)
        throw new AppError(
          'callback_invalid_transition',
          'Assign the request to a member (POST /callbacks/{id}/assign) to make it assigned',
        );
      await this.move(m, caller, id, row.status, event, resolution);
      if (event === 'unassign' || event === 'reopen')
        await m.query('UPDATE callback_requests SET assignee_user_id = NULL WHERE id = $1', [id]);
      return this.detail(caller.organizationId, id, m);
    });
  }

  async assign(caller: AuthContext, id: string, assigneeId: string | undefined): Promise<CallbackDetailResponse> {
    return this.dataSource.transaction(async (m) => {
      const organizationId = caller.organizationId;
      const row = await this.lock(m, organizationId, id);
      assertCallbackMove(row.status, 'assign');
      let member: { id: string; email: string } | undefined;
      let how = 'manually';
      if (assigneeId) {
        [member] = await m.query('SELECT id, email FROM users WHERE id = $1 AND organization_id = $2', [assigneeId, organizationId]);
        if (!member) throw new AppError('assignee_not_found', 'The assignee is not a member of this organization');
      } else {
        // Round-robin: one chooser at a time per organization, so two requests do not go to the same member.
        await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`callback-round-robin:${organizationId}`]);
        [member] = await m.query(
          `SELECT u.id, u.email FROM users u
             LEFT JOIN LATERAL (SELECT max(a.created_at) AS last FROM callback_activities a
                                 WHERE a.organization_id = u.organization_id AND a.kind = 'assigned'
                                   AND a.details ->> 'roundRobin' = 'true' AND a.details ->> 'assigneeId' = u.id::text) rr ON true
            WHERE u.organization_id = $1
            ORDER BY rr.last ASC NULLS FIRST, u.created_at, u.id LIMIT 1`,
          [organizationId],
        );
        if (!member) throw new AppError('no_agent_available', 'The organization has no member to assign the request to');
        how = 'by round-robin';
      }
      const actor = await this.actor(m, caller);
      await m.query('UPDATE callback_requests SET assignee_user_id = $2, updated_at = clock_timestamp() WHERE id = $1', [id, member.id]);
      if (row.status !== 'assigned') await moveCallback(m, id, 'assign');
      await logActivity(m, organizationId, id, {
        kind: 'assigned',
        ...actor,
        summary: `Assigned to ${member.email} ${how}`,
        details: { assigneeId: member.id, roundRobin: !assigneeId, from: row.status },
      });
      return this.detail(organizationId, id, m);
    });
  }

  async complete(caller: AuthContext, id: string, resolution: string): Promise<CallbackDetailResponse> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, caller.organizationId, id);
      await this.move(m, caller, id, row.status, 'complete', resolution);
      return this.detail(caller.organizationId, id, m);
    });
  }

  async summary(organizationId: string): Promise<CallbackSummaryResponse> {
    await this.rescore(organizationId);
    const rows: Array<{ status: string; category: CallbackCategory; n: number; overdue: number; breached: number; unassigned: number }> =
      await this.dataSource.query(
        `SELECT cb.status, cb.category, count(*)::int AS n,
                count(*) FILTER (WHERE ${OPEN} AND cb.due_at < now())::int AS overdue,
                count(*) FILTER (WHERE (${OPEN} AND cb.due_at < now()) OR cb.completed_at > cb.due_at)::int AS breached,
                count(*) FILTER (WHERE ${OPEN} AND cb.assignee_user_id IS NULL)::int AS unassigned
           FROM callback_requests cb WHERE cb.organization_id = $1 GROUP BY cb.status, cb.category`,
        [organizationId],
      );
    const open = new Set(['pending', 'assigned', 'in_progress']);
    const byStatus: Record<string, number> = {};
    const openByCategory = Object.fromEntries(CALLBACK_CATEGORIES.map((c) => [c, 0])) as Record<CallbackCategory, number>;
    let overdue = 0;
    let slaBreaches = 0;
    let unassigned = 0;
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      if (open.has(r.status)) openByCategory[r.category] += r.n;
      overdue += r.overdue;
      slaBreaches += r.breached;
      unassigned += r.unassigned;
    }
    return { byStatus, openByCategory, overdue, slaBreaches, unassigned };
  }

  async rule(organizationId: string): Promise<CallbackRuleResponse> {
    const [org]: Array<{ callback_rule: Partial<CallbackRule> | null }> = await this.dataSource.query(
      'SELECT callback_rule FROM organizations WHERE id = $1',
      [organizationId],
    );
    return effectiveRule(org?.callback_rule);
  }

  /** Stores the override; open requests are rescored with it at the next read. */
  async setRule(organizationId: string, input: CallbackRuleDto): Promise<CallbackRuleResponse> {
    const points = (what: string, record: Record<string, unknown> | undefined, keys?: readonly string[], min = -100, max = 100) => {
      for (const [k, v] of Object.entries(record ?? {})) {
        if (keys && !keys.includes(k)) throw new AppError('validation_failed', `${what}.${k} is not one of ${keys.join(', ')}`);
        if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
          throw new AppError('validation_failed', `${what}.${k} must be an integer from ${min} to ${max}`);
      }
      if (Object.keys(record ?? {}).length > 50) throw new AppError('validation_failed', `${what} may have at most 50 entries`);
    };
    points('sourcePoints', input.sourcePoints, CALLBACK_SOURCES);
    points('stagePoints', input.stagePoints);
    points('slaMinutes', input.slaMinutes, CALLBACK_CATEGORIES, 1, 60 * 24 * 30);
    if ((input.valueTiers?.length ?? 0) > 20) throw new AppError('validation_failed', 'valueTiers may have at most 20 tiers');
    const t = input.thresholds;
    if (t && !(t.urgent > t.high && t.high > t.normal))
      throw new AppError('validation_failed', 'thresholds must be urgent > high > normal');
    const stagePoints = input.stagePoints && Object.fromEntries(Object.entries(input.stagePoints).map(([k, v]) => [k.toLowerCase(), v]));
    const override = JSON.parse(JSON.stringify({ ...input, stagePoints })) as Partial<CallbackRule>;
    await this.dataSource.query(`UPDATE organizations SET callback_rule = $2 WHERE id = $1`, [organizationId, JSON.stringify(override)]);
    // Every open request is scored again with the new rule at the next read.
    await this.dataSource.query(`UPDATE callback_requests cb SET scored_at = '-infinity' WHERE organization_id = $1 AND ${OPEN}`, [
      organizationId,
    ]);
    return effectiveRule(override);
  }

  /**
   * Scores open requests again (waiting time grows; the lead may have changed): the score, category,
   * reasons and due time. A change of category is written to the activity log.
   */
  async rescore(organizationId: string, id?: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      // One rescoring per organization at a time: a concurrent read (the queue and its summary) waits for it
      // and then sees the new scores, instead of skipping rows another reader is rescoring.
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`callback-rescore:${organizationId}`]);
      const rows: Array<{
        id: string;
        source: CallbackSource;
        created_at: Date;
        lead_id: string | null;
        attributes: Record<string, unknown> | null;
        score: number;
        category: CallbackCategory;
        due_at: Date;
        now: Date;
      }> = await m.query(
        `SELECT cb.id, cb.source, cb.created_at, cb.lead_id, l.attributes, cb.score, cb.category, cb.due_at, now() AS now
           FROM callback_requests cb LEFT JOIN leads l ON l.id = cb.lead_id
          WHERE cb.organization_id = $1 AND ${OPEN} AND cb.scored_at < now() - make_interval(secs => ${RESCORE_AFTER_SECONDS})
            AND ($2::uuid IS NULL OR cb.id = $2)
          ORDER BY cb.scored_at, cb.id LIMIT ${RESCORE_BATCH}
          FOR UPDATE OF cb`,
        [organizationId, id ?? null],
      );
      if (rows.length === 0) return;
      const rule = await this.rule(organizationId);
      const engagements = await engagementsOf(m, organizationId, [...new Set(rows.flatMap((r) => (r.lead_id ? [r.lead_id] : [])))]);
      const updates = rows.map((r) => ({
        r,
        s: scoreCallback(
          {
            source: r.source,
            createdAt: r.created_at,
            now: r.now,
            leadAttributes: r.attributes,
            engagements: engagements.get(r.lead_id ?? '') ?? 0,
          },
          rule,
        ),
      }));
      await m.query(
        `UPDATE callback_requests cb SET score = v.score, category = v.category, score_reasons = v.reasons, due_at = v.due_at, scored_at = now()
           FROM json_to_recordset($1::json) AS v(id uuid, score int, category text, reasons jsonb, due_at timestamptz)
          WHERE cb.id = v.id`,
        [
          JSON.stringify(
            updates.map(({ r, s }) => ({ id: r.id, score: s.score, category: s.category, reasons: s.reasons, due_at: s.dueAt })),
          ),
        ],
      );
      for (const { r, s } of updates.filter(({ r, s }) => r.category !== s.category))
        await logActivity(m, organizationId, r.id, {
          kind: 'rescored',
          actorUserId: null,
          actorLabel: 'system',
          summary: `Priority ${r.category} -> ${s.category} (score ${r.score} -> ${s.score}), due ${s.dueAt.toISOString()}`,
          details: { score: s.score, category: s.category, reasons: s.reasons },
        });
    });
  }

  private async lock(m: EntityManager, organizationId: string, id: string) {
    const [row]: Array<{ status: CallbackStatus; assignee_user_id: string | null }> = await m.query(
      'SELECT status, assignee_user_id FROM callback_requests WHERE organization_id = $1 AND id = $2 FOR UPDATE',
      [organizationId, id],
    );
    if (!row) throw new AppError('callback_not_found', `No callback request ${id}`);
    return row;
  }

  private async move(m: EntityManager, caller: AuthContext, id: string, from: CallbackStatus, event: CallbackEvent, resolution?: string) {
    assertCallbackMove(from, event);
    await moveCallback(m, id, event, resolution);
    const [after]: Array<{ status: CallbackStatus }> = await m.query('SELECT status FROM callback_requests WHERE id = $1', [id]);
    await logActivity(m, caller.organizationId, id, {
      kind: event === 'complete' ? 'completed' : 'status',
      ...(await this.actor(m, caller)),
      summary: `${from} -> ${after.status}${resolution ? `: ${resolution.slice(0, 500)}` : ''}`,
      details: { from, to: after.status, event, ...(resolution && { resolution }) },
    });
  }

  /** Who is acting, for the activity log. */
  async actor(m: EntityManager, caller: AuthContext): Promise<{ actorUserId: string | null; actorLabel: string }> {
    if (caller.userId) {
      const [user]: Array<{ email: string }> = await m.query('SELECT email FROM users WHERE id = $1', [caller.userId]);
      return { actorUserId: caller.userId, actorLabel: user?.email ?? 'member' };
    }
    return { actorUserId: null, actorLabel: caller.apiKeyId ? 'api key' : 'system' };
  }
}

function present(r: Row): CallbackResponse {
  return {
    id: r.id,
    lead: r.lead_id
      ? { id: r.lead_id, email: r.lead_email, phone: r.lead_phone, firstName: r.lead_first_name, lastName: r.lead_last_name }
      : null,
    channel: r.channel,
    address: r.address,
    reason: r.reason,
    source: r.source,
    sourceMessageId: r.source_message_id,
    conversationId: r.conversation_id,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    timezone: r.timezone,
    notes: r.notes,
    status: r.status,
    assignee: r.assignee_id ? { id: r.assignee_id, email: r.assignee_email!, name: r.assignee_name } : null,
    score: r.score,
    category: r.category,
    scoreReasons: r.score_reasons,
    scoredAt: r.scored_at,
    dueAt: r.due_at,
    overdue: r.overdue,
    slaBreached: r.sla_breached,
    resolution: r.resolution,
    completedAt: r.completed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
