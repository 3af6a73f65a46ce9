/**
 * The RFC 5322 Message-ID a Gmail send gives our message: `<messageId@domain of the From address>`.
 * The Send node writes it; the backend names it in a follow-up's `threading.inReplyTo` /
 * `references` (and recognises it in replies).
 */
export function gmailRfcMessageId(messageId: string, from: string): string {
  const domain = from.split('@')[1]?.replace(/>.*$/, '').trim() || 'cadence.local';
  return `<${messageId}@${domain}>`;
}
