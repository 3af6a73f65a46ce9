import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor, Page } from '../../common/pagination/cursor';
import { eventForStatus, moveConversations, type ConversationStatus } from './conversation-status';
import { readableReply } from './conversation-reply.service';
import type { UpdateConversationDto } from './conversations.dto';
import type { ConversationResponse, ConversationThreadResponse, ThreadEntryResponse } from './conversations.responses';
import { whatsappWindow } from './whatsapp-window';

export interface ConversationFilter {
  status?: string;
  assigneeId?: string;
  unread?: boolean;
  channel?: string;
  search?: string;
}

type Row = {
  id: string;
  channel: string;
  address: string;
  sender_id: string;
  sender_kind: 'channel' | 'email_account';
  status: ConversationStatus;
  unread_count: number;
  last_preview: string;
  subject: string | null;
  last_activity_at: Date;
  created_at: Date;
  activity_text: string;
  lead_id: string | null;
  lead_email: string | null;
  lead_phone: string | null;
  lead_first_name: string | null;
  lead_last_name: string | null;
  assignee_id: string | null;
  assignee_email: string | null;
  assignee_name: string | null;
};

const SELECT = `
  SELECT cv.id, cv.channel, cv.address, cv.sender_id, cv.sender_kind, cv.status, cv.unread_count, cv.last_preview, cv.subject,
         cv.last_activity_at, cv.created_at, cv.last_activity_at::text AS activity_text,
         l.id AS lead_id, l.email AS lead_email, l.phone AS lead_phone, l.first_name AS lead_first_name, l.last_name AS lead_last_name,
         u.id AS assignee_id, u.email AS assignee_email, u.name AS assignee_name
    FROM conversations cv
    LEFT JOIN leads l ON l.id = cv.lead_id
    LEFT JOIN users u ON u.id = cv.assignee_user_id`;

const THREAD_LIMIT = 500;

/** The inbox: conversations of one organization, most recent activity first; a thread; who handles it. */
@Injectable()
export class ConversationsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    organizationId: string,
    filter: ConversationFilter,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<ConversationResponse>> {
    const where = ['cv.organization_id = $1'];
    const params: unknown[] = [organizationId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('cv.status = ?', filter.status);
    if (filter.assigneeId) add('cv.assignee_user_id = ?', filter.assigneeId);
    if (filter.unread !== undefined) where.push(filter.unread ? 'cv.unread_count > 0' : 'cv.unread_count = 0');
    if (filter.channel) add('cv.channel = ?', filter.channel);
    if (filter.search) {
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
      params.push(like);
      const n = `$${params.length}`;
      where.push(
        `(lower(cv.address) LIKE ${n} OR lower(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')) LIKE ${n} OR lower(cv.last_preview) LIKE ${n})`,
      );
    }
    if (cursor) {
      // Newest activity first: the cursor carries the last row's (last_activity_at, id).
      const c = decodeCursor(cursor);
      params.push(c.createdAt, c.id);
      where.push(`(cv.last_activity_at, cv.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: Row[] = await this.dataSource.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY cv.last_activity_at DESC, cv.id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = rows.length > limit ? items[limit - 1] : undefined;
    return { items: items.map(present), nextCursor: last ? encodeCursor({ createdAt: last.activity_text, id: last.id }) : null };
  }

  async unread(organizationId: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      'SELECT count(*)::int AS n FROM conversations WHERE organization_id = $1 AND unread_count > 0',
      [organizationId],
    );
    return row.n;
  }

  async get(organizationId: string, id: string, m: EntityManager = this.dataSource.manager): Promise<ConversationResponse> {
    const [row]: Row[] = await m.query(`${SELECT} WHERE cv.organization_id = $1 AND cv.id = $2`, [organizationId, id]);
    if (!row) throw new AppError('conversation_not_found', `No conversation ${id}`);
    return present(row);
  }

  /** The thread: our messages to this address from this sender (sent ones, and inbox replies in any state) and the replies, oldest first. */
  async thread(organizationId: string, id: string): Promise<ConversationThreadResponse> {
    const conversation = await this.get(organizationId, id);
    const inbound: Array<{ id: string; type: string; occurred_at: Date; payload: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT id, type, occurred_at, payload FROM message_events WHERE conversation_id = $1 AND organization_id = $2
        ORDER BY occurred_at DESC, id DESC LIMIT ${THREAD_LIMIT}`,
      [id, organizationId],
    );
    const outbound: Array<{
      id: string;
      status: string;
      at: Date;
      campaign_name: string;
      campaign_type: string;
      subject: string | null;
      text: string | null;
      body: string | null;
      skip_reason: string | null;
      error_message: string | null;
    }> = conversation.lead
      ? await this.dataSource.query(
          `SELECT m.id, m.status, coalesce(m.sent_at, m.created_at) AS at, c.name AS campaign_name, c.type AS campaign_type,
                  t.subject, t.text, t.body, m.skip_reason, m.error_message
             FROM messages m
             JOIN campaigns c ON c.id = m.campaign_id
             JOIN campaign_steps s ON s.id = m.step_id
             JOIN templates t ON t.id = s.template_id
            WHERE m.organization_id = $1 AND m.lead_id = $2 AND m.channel = $3 AND m.to_address = $4
              AND CASE WHEN s.sender_channel_id IS NOT NULL OR s.sender_email_account_id IS NOT NULL
                       THEN coalesce(s.sender_channel_id, s.sender_email_account_id)
                       ELSE coalesce(c.sender_channel_id, c.sender_email_account_id) END = $5
              AND (c.type = 'reply' OR m.status NOT IN ('queued', 'skipped'))
            ORDER BY at DESC LIMIT ${THREAD_LIMIT}`,
          [organizationId, conversation.lead.id, conversation.channel, conversation.address, conversation.senderId],
        )
      : [];
    const entries: ThreadEntryResponse[] = [
      ...outbound.map((o) => {
        const reply = o.campaign_type === 'reply';
        return {
          direction: 'outbound' as const,
          id: o.id,
          at: o.at,
          status: o.status,
          text: reply ? readableReply(o.text ?? o.body ?? '') : null,
          subject: reply && o.subject ? readableReply(o.subject) : null,
          campaignName: reply ? 'Reply' : o.campaign_name,
          isReply: reply,
          autoReason: null,
          problem: o.status === 'skipped' ? o.skip_reason : o.status === 'failed' ? o.error_message : null,
        };
      }),
      ...inbound.map((e) => ({
        direction: 'inbound' as const,
        id: e.id,
        at: e.occurred_at,
        status: e.type,
        text: typeof e.payload.text === 'string' ? e.payload.text : '',
        subject: typeof e.payload.subject === 'string' ? e.payload.subject : null,
        campaignName: null,
        isReply: false,
        autoReason: e.type === 'auto_replied' ? (typeof e.payload.reason === 'string' ? e.payload.reason : 'automatic reply') : null,
        problem: null,
      })),
    ].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime() || a.id.localeCompare(b.id));
    const closesAt =
      conversation.channel === 'whatsapp'
        ? (await whatsappWindow(this.dataSource.manager, organizationId, conversation.id)).closesAt
        : null;
    return { ...conversation, entries, replyWindowClosesAt: closesAt ? closesAt.toISOString() : null };
  }

  async update(organizationId: string, id: string, input: UpdateConversationDto): Promise<ConversationResponse> {
    return this.dataSource.transaction(async (m) => {
      const [row]: Array<{ status: ConversationStatus }> = await m.query(
        'SELECT status FROM conversations WHERE organization_id = $1 AND id = $2 FOR UPDATE',
        [organizationId, id],
      );
      if (!row) throw new AppError('conversation_not_found', `No conversation ${id}`);
      if (input.assigneeId !== undefined) {
        if (input.assigneeId !== null) {
          const [member] = await m.query<unknown[]>('SELECT 1 FROM users WHERE id = $1 AND organization_id = $2', [
            input.assigneeId,
            organizationId,
          ]);
          if (!member) throw new AppError('assignee_not_found', 'The assignee is not a member of this organization');
        }
        await m.query('UPDATE conversations SET assignee_user_id = $2 WHERE id = $1', [id, input.assigneeId]);
      }
      if (input.status) {
        const event = eventForStatus(row.status, input.status);
        if (event) await moveConversations(m, [id], event);
      }
      return this.get(organizationId, id, m);
    });
  }

  async markRead(organizationId: string, id: string): Promise<ConversationResponse> {
    const rows: unknown[] = await this.dataSource.query(
      'UPDATE conversations SET unread_count = 0 WHERE organization_id = $1 AND id = $2 RETURNING id',
      [organizationId, id],
    );
    if (rows.length === 0) throw new AppError('conversation_not_found', `No conversation ${id}`);
    return this.get(organizationId, id);
  }
}

function present(r: Row): ConversationResponse {
  return {
    id: r.id,
    channel: r.channel,
    address: r.address,
    senderId: r.sender_id,
    senderKind: r.sender_kind,
    lead: r.lead_id
      ? { id: r.lead_id, email: r.lead_email, phone: r.lead_phone, firstName: r.lead_first_name, lastName: r.lead_last_name }
      : null,
    status: r.status,
    assignee: r.assignee_id ? { id: r.assignee_id, email: r.assignee_email!, name: r.assignee_name } : null,
    unreadCount: r.unread_count,
    lastPreview: r.last_preview,
    subject: r.subject,
    lastActivityAt: r.last_activity_at,
    createdAt: r.created_at,
  };
}
