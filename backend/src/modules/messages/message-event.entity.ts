import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { Message } from './message.entity';

/**
 * A provider or tracking event; the unique (organization, source, event id) makes a webhook delivered twice
 * land once. The organization is part of it: provider event ids are only unique within the provider
 * account, and a callback on one tenant's channel must never turn another tenant's real event (an
 * inbound STOP) into a duplicate.
 */
@Entity('message_events')
@Index('UQ_message_events_org_source_event', ['organizationId', 'source', 'eventId'], { unique: true })
@Index('IDX_message_events_message', ['messageId', 'occurredAt'])
@Index('IDX_message_events_conversation', ['conversationId', 'occurredAt'], { where: `"conversation_id" IS NOT NULL` })
// The deliverability guard's bounces and complaints (guard-metrics.ts).
@Index('IDX_message_events_guard', ['organizationId', 'createdAt'], { where: `"type" IN ('failed', 'complained')` })
export class MessageEvent extends OrgScopedEntity {
  @Column('uuid', { name: 'message_id', nullable: true })
  messageId: string | null;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: Message;

  /** mailgun, twilio, whatsapp, gmail, tracking, ... */
  @Column('text')
  source: string;

  @Column('text', { name: 'event_id' })
  eventId: string;

  /** delivered, failed, opened, clicked, replied, unsubscribed, complained, stop, ... */
  @Column('text')
  type: string;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  /** Inbound replies (`replied`, `auto_replied`): the conversation they belong to. */
  @Column('uuid', { name: 'conversation_id', nullable: true })
  conversationId: string | null;

  @Column('jsonb', { default: {} })
  payload: Record<string, unknown>;
}
