/** A conversation as GET /conversations answers it. */
export interface Conversation {
  id: string;
  channel: 'email' | 'sms' | 'whatsapp';
  address: string;
  senderId: string;
  senderKind: 'channel' | 'email_account';
  lead: { id: string; email: string | null; phone: string | null; firstName: string | null; lastName: string | null } | null;
  status: ConversationStatus;
  assignee: { id: string; email: string; name: string | null } | null;
  unreadCount: number;
  lastPreview: string;
  subject: string | null;
  lastActivityAt: string;
  createdAt: string;
}

export const CONVERSATION_STATUSES = ['open', 'waiting', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const STATUS_LABELS: Record<ConversationStatus, string> = { open: 'Open', waiting: 'Waiting for them', closed: 'Closed' };
export const CHANNEL_LABELS: Record<string, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp' };

export interface ThreadEntry {
  direction: 'outbound' | 'inbound';
  id: string;
  at: string;
  status: string;
  text: string | null;
  subject: string | null;
  campaignName: string | null;
  isReply: boolean;
  autoReason: string | null;
  problem: string | null;
}

export interface Thread extends Conversation {
  entries: ThreadEntry[];
  /** WhatsApp: when free-form replies stop being allowed (24 hours after the lead's last message); null if never opened. */
  replyWindowClosesAt: string | null;
}

export function leadName(c: Conversation): string {
  const name = [c.lead?.firstName, c.lead?.lastName].filter(Boolean).join(' ');
  return name || c.address;
}
