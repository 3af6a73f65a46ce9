import type { EntityManager } from 'typeorm';

/** Meta's customer-service window: free-form messages are allowed for 24 hours after the user's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

/**
 * When a WhatsApp conversation's customer-service window closes: 24 hours after the lead's latest message
 * in it (every message a lead writes reopens it). Null when the lead never wrote: then only an approved
 * template may be sent. The caller compares with the database's clock, as the lease does.
 */
export async function whatsappWindowClosesAt(m: EntityManager, organizationId: string, conversationId: string): Promise<Date | null> {
  const [row]: Array<{ closes: Date | null }> = await m.query(
    `SELECT max(occurred_at) + interval '24 hours' AS closes FROM message_events
      WHERE conversation_id = $1 AND organization_id = $2 AND type IN ('replied', 'auto_replied')`,
    [conversationId, organizationId],
  );
  return row?.closes ? new Date(row.closes) : null;
}

/** Whether the window is open at the database's now. */
export async function whatsappWindowOpen(m: EntityManager, closesAt: Date | null): Promise<boolean> {
  if (!closesAt) return false;
  const [{ open }]: Array<{ open: boolean }> = await m.query('SELECT $1::timestamptz > clock_timestamp() AS open', [closesAt]);
  return open;
}
