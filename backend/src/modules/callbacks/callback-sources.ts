import { EntityManager } from 'typeorm';
import { createCallback } from './callback-creation';
import { replyIntent } from './reply-intent';

/**
 * Hand-over from the channels: a reply that asks for a call or says yes, to a campaign whose settings say
 * `onReply: 'callback'`, becomes a callback request linked to its conversation. Called with the stored
 * events recorded for the first time (a replayed webhook changes nothing); the unique source message
 * keeps it to one request per message in any case.
 */
export async function callbacksFromReplies(m: EntityManager, eventRowIds: string[]): Promise<void> {
  if (eventRowIds.length === 0) return;
  const rows: Array<{
    organization_id: string;
    message_id: string;
    lead_id: string;
    lead_phone: string | null;
    channel: string;
    to_address: string;
    conversation_id: string | null;
    text: string | null;
  }> = await m.query(
    `SELECT e.organization_id, e.message_id, ms.lead_id, l.phone AS lead_phone, ms.channel, ms.to_address, e.conversation_id,
            e.payload ->> 'text' AS text
       FROM message_events e
       JOIN messages ms ON ms.id = e.message_id
       JOIN campaigns c ON c.id = ms.campaign_id
       JOIN leads l ON l.id = ms.lead_id
      WHERE e.id = ANY($1::uuid[]) AND e.type = 'replied' AND c.settings ->> 'onReply' = 'callback'
      ORDER BY e.occurred_at`,
    [eventRowIds],
  );
  for (const r of rows) {
    const intent = replyIntent(r.text);
    if (intent !== 'call_me' && intent !== 'positive') continue;
    // A call when the lead has a number; otherwise an answer on the channel they wrote on.
    const byPhone = r.lead_phone ?? (r.channel === 'email' ? null : r.to_address);
    await createCallback(m, {
      organizationId: r.organization_id,
      leadId: r.lead_id,
      channel: byPhone ? 'voice' : r.channel,
      address: byPhone ?? r.to_address,
      reason: `${intent === 'call_me' ? 'Asked for a call' : 'Replied positively'} on ${r.channel}: "${(r.text ?? '').slice(0, 300)}"`,
      source: intent === 'call_me' ? 'reply_call_me' : 'reply_positive',
      sourceMessageId: r.message_id,
      conversationId: r.conversation_id,
      actorUserId: null,
      actorLabel: 'system',
    });
  }
}

/** Twilio call statuses that mean nobody answered. */
export const UNANSWERED_CALL_STATUSES = ['no-answer', 'busy'];

/**
 * A voice message of a campaign with `onNoAnswer: 'callback'` whose call ended no-answer or busy (its
 * final status: the message is failed) becomes a callback request to that number.
 */
export async function callbacksFromUnansweredCalls(m: EntityManager, messageIds: Array<{ id: string; status: string }>): Promise<void> {
  const unanswered = messageIds.filter((c) => UNANSWERED_CALL_STATUSES.includes(c.status));
  if (unanswered.length === 0) return;
  const rows: Array<{ id: string; organization_id: string; lead_id: string; to_address: string; status: string }> = await m.query(
    `SELECT ms.id, ms.organization_id, ms.lead_id, ms.to_address, v.status
       FROM json_to_recordset($1::json) AS v(id uuid, status text)
       JOIN messages ms ON ms.id = v.id
       JOIN campaigns c ON c.id = ms.campaign_id
      WHERE ms.channel = 'voice' AND ms.status = 'failed' AND ms.lead_id IS NOT NULL AND ms.to_address IS NOT NULL
        AND c.settings ->> 'onNoAnswer' = 'callback'`,
    [JSON.stringify(unanswered)],
  );
  for (const r of rows)
    await createCallback(m, {
      organizationId: r.organization_id,
      leadId: r.lead_id,
      channel: 'voice',
      address: r.to_address,
      reason: `Our call was not answered (${r.status})`,
      source: 'voice_no_answer',
      sourceMessageId: r.id,
      actorUserId: null,
      actorLabel: 'system',
    });
}
