import { ApiProperty } from '@nestjs/swagger';
import { CursorPage } from '../../common/http/page.responses';
import { CONVERSATION_STATUSES, type ConversationStatus } from './conversation-status';

export class ConversationLeadResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
}

export class ConversationAssigneeResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  email: string;
  name: string | null;
}

export class ConversationResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** email, sms or whatsapp. */
  channel: string;

  /** The lead's address in this thread. */
  address: string;

  /** Our mailbox or number: a channel connection or a Gmail account. */
  @ApiProperty({ format: 'uuid' })
  senderId: string;

  @ApiProperty({ enum: ['channel', 'email_account'] })
  senderKind: 'channel' | 'email_account';

  /** Null when no lead has this address: such a conversation can be read but not answered. */
  @ApiProperty({ type: ConversationLeadResponse, nullable: true })
  lead: ConversationLeadResponse | null;

  @ApiProperty({ enum: CONVERSATION_STATUSES })
  status: ConversationStatus;

  @ApiProperty({ type: ConversationAssigneeResponse, nullable: true })
  assignee: ConversationAssigneeResponse | null;

  /** Human replies not marked read. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  unreadCount: number;

  /** The latest inbound text (first 200 characters). */
  lastPreview: string;

  @ApiProperty({ type: 'string', nullable: true })
  subject: string | null;

  lastActivityAt: Date;
  createdAt: Date;
}

export class ConversationPageResponse extends CursorPage {
  /** Most recent activity first. */
  items: ConversationResponse[];
}

export class ConversationSummaryResponse {
  /** Conversations with unread replies (the inbox badge). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  unread: number;
}

/** One item of a thread: our message (`outbound`) or the lead's (`inbound`). */
export class ThreadEntryResponse {
  @ApiProperty({ enum: ['outbound', 'inbound'] })
  direction: 'outbound' | 'inbound';

  /** The message id (outbound) or the event id (inbound). */
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** When it was sent or received (queued replies: when written). */
  at: Date;

  /** Outbound: the message status (queued, sending, sent, delivered, failed...). Inbound: `replied` or `auto_replied`. */
  status: string;

  /** Inbound and inbox replies: the text; campaign messages: null (rendered by n8n, not stored). */
  @ApiProperty({ type: 'string', nullable: true })
  text: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  subject: string | null;

  /** Outbound: the campaign's name (inbox replies: "Reply"). */
  @ApiProperty({ type: 'string', nullable: true })
  campaignName: string | null;

  /** Outbound from the inbox (a reply) rather than from a campaign. */
  isReply: boolean;

  /** Inbound classified as automatic: why (e.g. "Auto-Submitted: auto-replied"). */
  @ApiProperty({ type: 'string', nullable: true })
  autoReason: string | null;

  /** Outbound: why it was not sent, when skipped or failed. */
  @ApiProperty({ type: 'string', nullable: true })
  problem: string | null;
}

export class ConversationThreadResponse extends ConversationResponse {
  /** Oldest first: the latest 500 messages of each direction. */
  entries: ThreadEntryResponse[];
  /**
   * WhatsApp: when the 24-hour customer-service window closes (24 hours after the lead's last message);
   * a free-form reply is accepted only before then. Null on other channels and when the lead never wrote.
   */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  replyWindowClosesAt: string | null;
}

export class ConversationReplyResponse {
  /** The message that carries the reply (its status moves like any campaign message's). */
  @ApiProperty({ format: 'uuid' })
  messageId: string;

  /** The hidden one-message campaign (type `reply`) that sends it through n8n. */
  @ApiProperty({ format: 'uuid' })
  campaignId: string;

  /** `queued`, or `skipped` when the lead may not be contacted (suppressed, no consent...). */
  status: string;

  @ApiProperty({ type: 'string', nullable: true })
  skipReason: string | null;
}
