import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { Message } from './message.entity';

/** A provider or tracking event; the unique (source, event id) makes a webhook delivered twice land once. */
@Entity('message_events')
@Index('UQ_message_events_source_event', ['source', 'eventId'], { unique: true })
@Index('IDX_message_events_message', ['messageId', 'occurredAt'])
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

  @Column('jsonb', { default: {} })
  payload: Record<string, unknown>;
}
