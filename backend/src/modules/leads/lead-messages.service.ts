import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, Page } from '../../common/pagination/cursor';
import { LeadsService } from './leads.service';

/** One message sent (or due, or skipped) to a lead, with the campaign it belongs to. */
export interface LeadMessage {
  id: string;
  campaign: { id: string; name: string; conversationId: string | null };
  stepId: string;
  /** 0-based position of the step in its campaign. */
  position: number;
  channel: string;
  to: string | null;
  status: string;
  skipReason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  dueAt: Date | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

interface Row {
  id: string;
  campaign_id: string;
  campaign_name: string;
  conversation_id: string | null;
  step_id: string;
  position: number;
  channel: string;
  to_address: string | null;
  status: string;
  skip_reason: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  due_at: Date | string | null;
  sent_at: Date | string | null;
  delivered_at: Date | string | null;
  created_at: Date | string;
  cursor_ts: string;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

/**
 * A lead's message history across campaigns, newest first. Keyset-paged on (created_at, id) descending
 * (the shared `paginate` walks oldest first, which suits lists, not a history people read from the top).
 */
@Injectable()
export class LeadMessagesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly leads: LeadsService,
  ) {}

  async list(organizationId: string, leadId: string, cursor: string | undefined, limit: number): Promise<Page<LeadMessage>> {
    await this.leads.get(organizationId, leadId);
    const params: unknown[] = [organizationId, leadId, limit + 1];
    let after = '';
    if (cursor) {
      const c = decodeCursor(cursor);
      params.push(c.createdAt, c.id);
      after = 'AND (m.created_at, m.id) < ($4::timestamptz, $5::uuid)';
    }
    // The campaign join repeats the organization so a row can never pair with another tenant's campaign.
    const rows: Row[] = await this.dataSource.query(
      `SELECT m.id, m.campaign_id, c.name AS campaign_name, c.conversation_id, m.step_id, m.position, m.channel, m.to_address, m.status,
              m.skip_reason, m.error_code, m.error_message, m.attempts, m.due_at, m.sent_at, m.delivered_at, m.created_at,
              m.created_at::text AS cursor_ts
         FROM messages m
         JOIN campaigns c ON c.id = m.campaign_id AND c.organization_id = m.organization_id
        WHERE m.organization_id = $1 AND m.lead_id = $2 ${after}
        ORDER BY m.created_at DESC, m.id DESC
        LIMIT $3`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = rows.length > limit ? items[limit - 1] : undefined;
    return {
      items: items.map(present),
      nextCursor: last ? encodeCursor({ createdAt: last.cursor_ts, id: last.id }) : null,
    };
  }
}

function present(r: Row): LeadMessage {
  return {
    id: r.id,
    campaign: { id: r.campaign_id, name: r.campaign_name, conversationId: r.conversation_id },
    stepId: r.step_id,
    position: Number(r.position),
    channel: r.channel,
    to: r.to_address,
    status: r.status,
    skipReason: r.skip_reason,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    attempts: Number(r.attempts),
    dueAt: date(r.due_at),
    sentAt: date(r.sent_at),
    deliveredAt: date(r.delivered_at),
    createdAt: date(r.created_at)!,
  };
}
