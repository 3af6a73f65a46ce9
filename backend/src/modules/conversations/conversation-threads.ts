import type { InboundPayload } from '@cadence/contracts';
import { EntityManager } from 'typeorm';
import { moveConversations } from './conversation-status';

/** An inbound event (`replied` / `auto_replied`) to file into its conversation. */
export interface InboundToThread {
  eventRowId: string;
  organizationId: string;
  type: string;
  occurredAt: Date;
  payload: Partial<InboundPayload>;
  /** Our message it answers, when matched. */
  messageId: string | null;
  /** The address and our sender it came to, when not matched to a message. */
  replyFrom: { channel: string; address: string; channelId: string } | null;
}

interface Identity {
  organization_id: string;
  lead_id: string | null;
  channel: string;
  address: string;
  sender_id: string;
  sender_kind: 'channel' | 'email_account';
}

const PREVIEW_CHARS = 200;
const key = (i: Pick<Identity, 'organization_id' | 'channel' | 'address' | 'sender_id'>) =>
  `${i.organization_id}\u0000${i.channel}\u0000${i.address}\u0000${i.sender_id}`;

/**
 * Files inbound events into conversations, set-based: one per (organization, channel, lead address,
 * our sender), created by the first inbound message. A matched event takes its identity from the
 * message it answers; an unmatched one from the address and the channel it came to, with the lead who
 * has that address. An address no lead has still opens a conversation (nothing a person wrote is
 * dropped), without a lead: it cannot be answered until the address belongs to a lead. A human reply
 * counts as unread and reopens the conversation; an auto-reply is shown but neither.
 */
export async function fileIntoConversations(m: EntityManager, events: InboundToThread[]): Promise<void> {
  if (events.length === 0) return;
  const identities = new Map<string, Identity>();
  const matched = [...new Set(events.map((e) => e.messageId).filter((id): id is string => !!id))];
  if (matched.length) {
    const rows: Array<Identity & { id: string }> = await m.query(
      `SELECT m.id, m.organization_id, m.lead_id, m.channel, m.to_address AS address,
              CASE WHEN s.sender_channel_id IS NOT NULL OR s.sender_email_account_id IS NOT NULL
                   THEN coalesce(s.sender_channel_id, s.sender_email_account_id)
                   ELSE coalesce(c.sender_channel_id, c.sender_email_account_id) END AS sender_id,
              CASE WHEN (CASE WHEN s.sender_channel_id IS NOT NULL OR s.sender_email_account_id IS NOT NULL
                              THEN s.sender_email_account_id ELSE c.sender_email_account_id END) IS NOT NULL
                   THEN 'email_account' ELSE 'channel' END AS sender_kind
         FROM messages m JOIN campaigns c ON c.id = m.campaign_id JOIN campaign_steps s ON s.id = m.step_id
        WHERE m.id = ANY($1::uuid[]) AND m.to_address IS NOT NULL`,
      [matched],
    );
    for (const r of rows) identities.set(r.id, r);
  }
  const unmatched = events.filter((e) => !(e.messageId && identities.has(e.messageId)) && e.replyFrom);
  const byAddress = new Map<string, Identity>();
  if (unmatched.length) {
    const asked = unmatched.map((e) => ({
      org: e.organizationId,
      channel: e.replyFrom!.channel,
      address: e.replyFrom!.channel === 'email' ? e.replyFrom!.address.toLowerCase() : e.replyFrom!.address,
      sender: e.replyFrom!.channelId,
    }));
    const rows: Identity[] = await m.query(
      `SELECT DISTINCT ON (a.org, a.channel, a.address, a.sender)
              a.org AS organization_id, l.id AS lead_id, a.channel, a.address, a.sender AS sender_id,
              CASE WHEN EXISTS (SELECT 1 FROM email_accounts ea WHERE ea.id = a.sender AND ea.organization_id = a.org)
                   THEN 'email_account' ELSE 'channel' END AS sender_kind
         FROM json_to_recordset($1::json) AS a(org uuid, channel text, address text, sender uuid)
         LEFT JOIN leads l ON l.organization_id = a.org
               AND CASE WHEN a.channel = 'email' THEN l.email = a.address ELSE l.phone = a.address END`,
      [JSON.stringify(asked)],
    );
    for (const r of rows) byAddress.set(key(r), r);
  }

  // One upsert row per conversation: the batch's unread human replies, latest activity and preview.
  const perThread = new Map<
    string,
    Identity & { unread: number; at: Date; preview: string | null; subject: string | null; human: boolean }
  >();
  const eventThread = new Map<string, string>();
  for (const e of events) {
    let identity = e.messageId ? identities.get(e.messageId) : undefined;
    if (!identity && e.replyFrom) {
      const address = e.replyFrom.channel === 'email' ? e.replyFrom.address.toLowerCase() : e.replyFrom.address;
      identity = byAddress.get(
        key({ organization_id: e.organizationId, channel: e.replyFrom.channel, address, sender_id: e.replyFrom.channelId }),
      );
    }
    if (!identity) continue;
    const k = key(identity);
    const human = e.type === 'replied';
    const at = new Date(e.occurredAt);
    const t = perThread.get(k) ?? { ...identity, unread: 0, at, preview: null, subject: null, human: false };
    t.unread += human ? 1 : 0;
    t.human ||= human;
    if (at >= t.at || t.preview === null) {
      t.at = at > t.at ? at : t.at;
      t.preview = String(e.payload.text ?? '').slice(0, PREVIEW_CHARS);
      t.subject = e.payload.subject ? String(e.payload.subject).slice(0, 500) : t.subject;
    }
    perThread.set(k, t);
    eventThread.set(e.eventRowId, k);
  }
  if (perThread.size === 0) return;
  const threads: Array<{ id: string; organization_id: string; channel: string; address: string; sender_id: string }> = await m.query(
    `INSERT INTO conversations (organization_id, lead_id, channel, address, sender_id, sender_kind, unread_count, last_activity_at, last_preview, subject)
     SELECT organization_id, lead_id, channel, address, sender_id, sender_kind, unread, at, coalesce(preview, ''), subject
       FROM json_to_recordset($1::json) AS t(organization_id uuid, lead_id uuid, channel text, address text, sender_id uuid, sender_kind text,
                                               unread int, at timestamptz, preview text, subject text)
     ON CONFLICT (organization_id, channel, address, sender_id) DO UPDATE SET
       lead_id = coalesce(EXCLUDED.lead_id, conversations.lead_id),
       unread_count = conversations.unread_count + EXCLUDED.unread_count,
       last_preview = CASE WHEN EXCLUDED.last_activity_at >= conversations.last_activity_at THEN EXCLUDED.last_preview ELSE conversations.last_preview END,
       subject = CASE WHEN EXCLUDED.last_activity_at >= conversations.last_activity_at THEN coalesce(EXCLUDED.subject, conversations.subject) ELSE conversations.subject END,
       last_activity_at = greatest(conversations.last_activity_at, EXCLUDED.last_activity_at)
     RETURNING id, organization_id, channel, address, sender_id`,
    [JSON.stringify([...perThread.values()])],
  );
  const ids = new Map(threads.map((t) => [key(t), t.id]));
  await moveConversations(
    m,
    [...perThread.entries()].filter(([, t]) => t.human).map(([k]) => ids.get(k)!),
    'inbound',
  );
  const links = [...eventThread.entries()].map(([event, k]) => ({ event, conversation: ids.get(k) }));
  await m.query(
    `UPDATE message_events e SET conversation_id = l.conversation FROM json_to_recordset($1::json) AS l(event uuid, conversation uuid) WHERE e.id = l.event`,
    [JSON.stringify(links)],
  );
}
