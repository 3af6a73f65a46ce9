/** A sender by its id: a channel connection or a Gmail mailbox. */
export type SenderId = { channelId: string } | { emailAccountId: string };

/** The sender column of campaigns and campaign_steps that names this sender, and its id. */
export function senderColumn(sender: SenderId): { column: 'sender_channel_id' | 'sender_email_account_id'; id: string } {
  return 'channelId' in sender
    ? { column: 'sender_channel_id', id: sender.channelId }
    : { column: 'sender_email_account_id', id: sender.emailAccountId };
}

/** The quota ledger's key for this sender (sender-resolver.ts). */
export function senderLedgerKey(sender: SenderId): string {
  return 'channelId' in sender ? `channel:${sender.channelId}` : `email_account:${sender.emailAccountId}`;
}
