import type { EntityManager } from 'typeorm';

/**
 * A WhatsApp conversation's customer-service window: it closes 24 hours after the lead's latest message
 * in it (every message a lead writes reopens it); `closesAt` is null when the lead never wrote, and then
 * only an approved template may be sent. Open or not is judged on the database's clock, as the lease is.
 */
export async function whatsappWindow(
  m: EntityManager,
  organizationId: string,
  conversationId: string,
): Promise<{ closesAt: Date | null; open: boolean }> {
  const [row]: Array<{ closes: Date | null; open: boolean | null }> = await m.query(
    `SELECT w.closes, w.closes > clock_timestamp() AS open
       FROM (SELECT max(occurred_at) + interval '24 hours' AS closes FROM message_events
              WHERE conversation_id = $1 AND organization_id = $2 AND type IN ('replied', 'auto_replied')) w`,
    [conversationId, organizationId],
  );
  return { closesAt: row?.closes ? new Date(row.closes) : null, open: row?.open === true };
}
