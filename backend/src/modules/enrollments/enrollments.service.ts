import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { CampaignsService } from '../campaigns/campaigns.service';
import { newestFirstPage, olderThanCursor } from '../../common/pagination/cursor';
import { leadSummary, LeadColumns } from '../events/events.service';
import { OPEN_MESSAGE_STATUSES } from '../messages/message-status';

export const ENROLLMENT_STATUSES = ['active', 'completed', 'exited'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

const OPEN = OPEN_MESSAGE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * An enrollment's state, read from its messages: exited by a leaving event, active while a message of
 * its entry is open, completed otherwise. Its end: the exit, or the last of its messages to settle.
 */
const STATE_SQL = `
  CASE WHEN e.exited_at IS NOT NULL THEN 'exited'
       WHEN EXISTS (SELECT 1 FROM messages q WHERE q.campaign_id = e.campaign_id AND q.lead_id = e.lead_id AND q.entry = e.entry
                       AND q.status IN (${OPEN})) THEN 'active'
       ELSE 'completed' END`;

interface EnrollmentRow extends LeadColumns {
  id: string;
  campaign_id: string;
  entry: number;
  event_id: string | null;
  event_name: string | null;
  exit_event_id: string | null;
  exit_event_name: string | null;
  status: EnrollmentStatus;
  created_at: Date;
  ended_at: Date | null;
  cursor_ts: string;
}

/** The triggered campaigns' enrollments as the campaign page shows them. */
@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsService,
  ) {}

  async list(organizationId: string, campaignId: string, status: string | undefined, cursor: string | undefined, limit: number) {
    await this.campaigns.get(organizationId, campaignId);
    if (status !== undefined && !(ENROLLMENT_STATUSES as readonly string[]).includes(status))
      throw new AppError('validation_failed', `status must be one of ${ENROLLMENT_STATUSES.join(', ')}`);
    const params: unknown[] = [organizationId, campaignId, limit + 1];
    const where = ['e.organization_id = $1', 'e.campaign_id = $2'];
    if (cursor) where.push(olderThanCursor('e', cursor, params));
    if (status) {
      params.push(status);
      where.push(`(${STATE_SQL}) = $${params.length}`);
    }
    const rows: EnrollmentRow[] = await this.dataSource.query(
      `SELECT e.id, e.campaign_id, e.entry, e.event_id, ev.name AS event_name, e.exit_event_id, xv.name AS exit_event_name,
              e.created_at, e.created_at::text AS cursor_ts, st.status,
              CASE st.status WHEN 'exited' THEN e.exited_at
                             WHEN 'completed' THEN (SELECT max(q.updated_at) FROM messages q
                                                     WHERE q.campaign_id = e.campaign_id AND q.lead_id = e.lead_id AND q.entry = e.entry) END AS ended_at,
              e.lead_id, l.email, l.phone, l.first_name, l.last_name
         FROM campaign_enrollments e
         CROSS JOIN LATERAL (SELECT ${STATE_SQL} AS status) st
         LEFT JOIN lead_events ev ON ev.id = e.event_id
         LEFT JOIN lead_events xv ON xv.id = e.exit_event_id
         LEFT JOIN leads l ON l.id = e.lead_id
        WHERE ${where.join(' AND ')}
        ORDER BY e.created_at DESC, e.id DESC
        LIMIT $3`,
      params,
    );
    return newestFirstPage(rows, limit, (r) => ({
      id: r.id,
      campaignId: r.campaign_id,
      entry: r.entry,
      lead: leadSummary(r),
      eventId: r.event_id,
      eventName: r.event_name,
      status: r.status,
      enrolledAt: r.created_at,
      endedAt: r.ended_at,
      exitEventId: r.exit_event_id,
      exitEventName: r.exit_event_name,
    }));
  }

  async summary(organizationId: string, campaignId: string): Promise<Record<EnrollmentStatus | 'total', number>> {
    await this.campaigns.get(organizationId, campaignId);
    const rows: Array<{ status: EnrollmentStatus; n: number }> = await this.dataSource.query(
      `SELECT ${STATE_SQL} AS status, count(*)::int AS n FROM campaign_enrollments e
        WHERE e.organization_id = $1 AND e.campaign_id = $2 GROUP BY 1`,
      [organizationId, campaignId],
    );
    const count = (s: EnrollmentStatus) => rows.find((r) => r.status === s)?.n ?? 0;
    return { active: count('active'), completed: count('completed'), exited: count('exited'), total: rows.reduce((t, r) => t + r.n, 0) };
  }
}
