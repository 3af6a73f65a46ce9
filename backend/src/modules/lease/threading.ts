import { gmailRfcMessageId, type LeaseThreading } from '@cadence/contracts';
import { EntityManager } from 'typeorm';

export const NO_THREADING: LeaseThreading = { inReplyTo: null, references: [], threadId: null };

// Earlier emails of the campaign to these leads that went out through the same Gmail account (a
// step's own sender, else the campaign's, as the lease picks it), first step first.
const EARLIER_SQL = `
  SELECT m.id, m.lead_id, m.position, m.provider_message_id
    FROM messages m
    JOIN campaign_steps s ON s.id = m.step_id
    JOIN campaigns c ON c.id = m.campaign_id
   WHERE m.campaign_id = $1 AND m.lead_id = ANY($2::uuid[]) AND m.channel = 'email'
     AND m.status IN ('sent', 'delivered') AND m.provider_message_id IS NOT NULL
     AND CASE WHEN s.sender_channel_id IS NOT NULL OR s.sender_email_account_id IS NOT NULL
              THEN s.sender_email_account_id ELSE c.sender_email_account_id END = $3
   ORDER BY m.lead_id, m.position`;

/**
 * Gmail follow-ups (sequence step 2+ by email) reply in the thread the sequence started:
 * `References` lists the earlier emails' Message-IDs, `In-Reply-To` names the latest, and
 * `threadId` is the Gmail thread, whose id is the id of its first message.
 */
export async function gmailThreading(
  m: EntityManager,
  campaignId: string,
  emailAccountId: string,
  from: string,
  messages: Array<{ id: string; lead_id: string | null; position: number; channel: string }>,
): Promise<Map<string, LeaseThreading>> {
  const out = new Map<string, LeaseThreading>();
  const followUps = messages.filter((c) => c.channel === 'email' && c.position > 0 && c.lead_id);
  if (followUps.length === 0) return out;
  const rows: Array<{ id: string; lead_id: string; position: number; provider_message_id: string }> = await m.query(EARLIER_SQL, [
    campaignId,
    [...new Set(followUps.map((c) => c.lead_id))],
    emailAccountId,
  ]);
  for (const c of followUps) {
    const earlier = rows.filter((r) => r.lead_id === c.lead_id && r.position < c.position);
    if (earlier.length === 0) continue;
    const references = earlier.map((r) => gmailRfcMessageId(r.id, from));
    out.set(c.id, { inReplyTo: references[references.length - 1], references, threadId: earlier[0].provider_message_id });
  }
  return out;
}
