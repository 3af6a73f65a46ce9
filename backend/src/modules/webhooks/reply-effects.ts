import { EntityManager } from 'typeorm';
import { callbacksFromReplies } from '../callbacks/callback-sources';
import { completeIfDone } from '../campaigns/campaign-status';
import { fileIntoConversations, type InboundToThread } from '../conversations/conversation-threads';
import { markReplied, stopForReply } from '../messages/message-status';

/**
 * What inbound messages do, for events recorded for the first time only (a replayed webhook finds its
 * event already stored and changes nothing). Every inbound message goes into its conversation. A
 * person's reply (`replied`) also marks the message it answers and stops the lead's remaining steps: in
 * every running campaign of the organization, or only the answered message's campaign when that campaign
 * says `stopOnReply: 'this_campaign'`. An automatic answer (`auto_replied`: out-of-office) stops nothing.
 * `no_reply` conditions see the `replied` event itself (the lease checks it). A reply asking for a call
 * (or saying yes) to a campaign with `onReply: 'callback'` hands the lead to a person: a callback request.
 */
export async function applyReplies(m: EntityManager, events: InboundToThread[]): Promise<void> {
  if (events.length === 0) return;
  const human = events.filter((e) => e.type === 'replied' && e.messageId);
  if (human.length) {
    await markReplied(
      m,
      human.map((e) => ({ id: e.messageId!, at: e.occurredAt })),
    );
    const answered: Array<{ id: string; organization_id: string; lead_id: string; campaign_id: string; stop_on_reply: string | null }> =
      await m.query(
        `SELECT m.id, m.organization_id, m.lead_id, m.campaign_id, c.settings ->> 'stopOnReply' AS stop_on_reply
           FROM messages m JOIN campaigns c ON c.id = m.campaign_id
          WHERE m.id = ANY($1::uuid[]) AND m.lead_id IS NOT NULL`,
        [[...new Set(human.map((e) => e.messageId!))]],
      );
    const stopped = await stopForReply(
      m,
      answered.map((a) => ({
        organizationId: a.organization_id,
        leadId: a.lead_id,
        campaignId: a.campaign_id,
        messageId: a.id,
        allCampaigns: a.stop_on_reply !== 'this_campaign',
      })),
    );
    // A campaign whose last queued steps were stopped has nothing left to send.
    for (const campaignId of stopped) await completeIfDone(m, campaignId);
  }
  await fileIntoConversations(m, events);
  // After filing: the request links the conversation the reply went into.
  await callbacksFromReplies(
    m,
    human.map((e) => e.eventRowId),
  );
}
