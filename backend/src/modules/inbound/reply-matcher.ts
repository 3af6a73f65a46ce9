import { EntityManager } from 'typeorm';

const UUID_IN_MESSAGE_ID = /^<([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@/i;

/**
 * Which of our emails an inbound email answers, by its In-Reply-To / References (`ids`, the replied-to one
 * first, see referencedIds):
 * - Gmail sends carry our own RFC Message-ID `<messageId@sender-domain>` (contracts gmailRfcMessageId), so the
 *   id names our message directly;
 * - Mailgun's Message-Id is what its send answered, stored as the message's provider_message_id. A batch send
 *   shares one Message-Id between recipients, so among those the one sent to `sender` wins.
 * Only this organization's email messages are considered.
 */
export async function matchByReferences(m: EntityManager, organizationId: string, ids: string[], sender: string): Promise<string | null> {
  if (ids.length === 0) return null;
  const uuids = ids.map((id) => UUID_IN_MESSAGE_ID.exec(id)?.[1]?.toLowerCase()).filter((u): u is string => !!u);
  const rows: Array<{ id: string; provider_message_id: string | null; to_address: string | null }> = await m.query(
    `SELECT id, provider_message_id, to_address FROM messages
      WHERE organization_id = $1 AND channel = 'email' AND (id = ANY($2::uuid[]) OR provider_message_id = ANY($3::text[]))
      LIMIT 200`,
    [organizationId, uuids, ids],
  );
  for (const ref of ids) {
    const uuid = UUID_IN_MESSAGE_ID.exec(ref)?.[1]?.toLowerCase();
    const hits = rows.filter((r) => r.id === uuid || r.provider_message_id === ref);
    if (hits.length) return (hits.find((r) => r.to_address?.toLowerCase() === sender) ?? hits[0]).id;
  }
  return null;
}

/**
 * Gmail: the thread of our message. threading.ts threads a sequence's follow-ups into the thread of its first
 * email, whose Gmail thread id is that email's id (our provider_message_id), so the thread id finds the
 * sequence; the answer belongs to the latest email of it that went out.
 */
export async function matchByGmailThread(m: EntityManager, organizationId: string, threadId: string): Promise<string | null> {
  const [row]: Array<{ id: string }> = await m.query(
    `SELECT later.id FROM messages root
       JOIN messages later ON later.campaign_id = root.campaign_id AND later.lead_id = root.lead_id AND later.channel = 'email'
                          AND later.provider_message_id IS NOT NULL
      WHERE root.organization_id = $1 AND root.channel = 'email' AND root.provider_message_id = $2
      ORDER BY later.position DESC LIMIT 1`,
    [organizationId, threadId],
  );
  return row?.id ?? null;
}

/**
 * Gmail, when the headers name nothing of ours (a new email rather than a reply): the latest email this
 * mailbox sent to that address, the step's own sender counting before the campaign's, as the lease picks it.
 */
export async function matchBySender(
  m: EntityManager,
  organizationId: string,
  emailAccountId: string,
  address: string,
): Promise<string | null> {
  const [row]: Array<{ id: string }> = await m.query(
    `SELECT m.id FROM messages m JOIN campaigns c ON c.id = m.campaign_id JOIN campaign_steps s ON s.id = m.step_id
      WHERE m.organization_id = $1 AND m.channel = 'email' AND m.to_address = $2 AND m.status IN ('sent', 'delivered', 'unknown')
        AND CASE WHEN s.sender_channel_id IS NOT NULL OR s.sender_email_account_id IS NOT NULL
                 THEN s.sender_email_account_id ELSE c.sender_email_account_id END = $3
      ORDER BY m.sent_at DESC NULLS LAST LIMIT 1`,
    [organizationId, address, emailAccountId],
  );
  return row?.id ?? null;
}
