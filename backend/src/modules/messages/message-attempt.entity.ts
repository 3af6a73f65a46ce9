import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { Message } from './message.entity';

/**
 * An earlier, failed try of a message that was retried: what the message row said before it was queued
 * again. The message keeps its id (webhooks, leads and reports name it); its tries are listed here.
 */
@Entity('message_attempts')
@Index('IDX_message_attempts_message', ['messageId', 'attempt'])
export class MessageAttempt extends OrgScopedEntity {
  @Column('uuid', { name: 'message_id' })
  messageId: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: Message;

  /** The message's `attempts` count when this try failed. */
  @Column('integer')
  attempt: number;

  @Column('text', { name: 'provider_message_id', nullable: true })
  providerMessageId: string | null;

  @Column('text', { name: 'error_code', nullable: true })
  errorCode: string | null;

  @Column('text', { name: 'error_message', nullable: true })
  errorMessage: string | null;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Column('timestamptz', { name: 'failed_at' })
  failedAt: Date;
}
