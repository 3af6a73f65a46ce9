import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { Lead } from '../leads/lead.entity';
import { User } from '../users/user.entity';
import type { ConversationStatus } from './conversation-status';

/**
 * One thread per lead and channel identity: the lead's address on a channel and our sender there (a
 * channel connection or a Gmail mailbox). Opened by the first inbound message; it holds our messages to
 * that address from that sender and the replies (`message_events.conversation_id`), in order.
 */
@Entity('conversations')
@Check('CHK_conversations_status', `"status" IN ('open', 'waiting', 'closed')`)
@Check('CHK_conversations_sender_kind', `"sender_kind" IN ('channel', 'email_account')`)
@Index('UQ_conversations_identity', ['organizationId', 'channel', 'address', 'senderId'], { unique: true })
@Index('IDX_conversations_org_activity', ['organizationId', 'lastActivityAt', 'id'])
export class Conversation extends OrgScopedEntity {
  /** Null when the address belongs to no lead (any more). */
  @Column('uuid', { name: 'lead_id', nullable: true })
  leadId: string | null;

  @ManyToOne(() => Lead, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'lead_id' })
  lead?: Lead;

  /** email, sms, whatsapp. */
  @Column('text')
  channel: string;

  /** The lead's address: a lowercased email or an E.164 number. */
  @Column('text')
  address: string;

  /** Our side: a channel connection id or an email account id (`sender_kind` says which). */
  @Column('uuid', { name: 'sender_id' })
  senderId: string;

  @Column('text', { name: 'sender_kind' })
  senderKind: 'channel' | 'email_account';

  @Column('text', { default: 'open' })
  status: ConversationStatus;

  @Column('uuid', { name: 'assignee_user_id', nullable: true })
  assigneeUserId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_user_id' })
  assignee?: User;

  /** Human replies not read yet. */
  @Column('integer', { name: 'unread_count', default: 0 })
  unreadCount: number;

  @Column('timestamptz', { name: 'last_activity_at' })
  lastActivityAt: Date;

  /** The latest inbound text (cut), for the list. */
  @Column('text', { name: 'last_preview', default: '' })
  lastPreview: string;

  /** The latest inbound subject (email), for a reply's "Re:". */
  @Column('text', { nullable: true })
  subject: string | null;
}
