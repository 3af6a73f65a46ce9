import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Provider events as received, stored before the provider gets its 200 and applied in batches
 * afterwards: a callback costs one insert, and nothing acknowledged can be lost.
 */
@Entity('webhook_inbox')
@Index('IDX_webhook_inbox_received', ['receivedAt'])
export class WebhookInboxEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('text')
  source: string;

  @Column('text', { name: 'event_id' })
  eventId: string;

  @Column('text')
  type: string;

  @Column('uuid', { name: 'message_id', nullable: true })
  messageId: string | null;

  @Column('text', { name: 'provider_message_id', nullable: true })
  providerMessageId: string | null;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  @Column('jsonb', { default: {} })
  payload: Record<string, unknown>;

  @Column('text', { name: 'error_code', nullable: true })
  errorCode: string | null;

  @Column('text', { name: 'error_message', nullable: true })
  errorMessage: string | null;

  /** What the event means for the address: `{channel, address, reason, source}` to suppress, or to lift (START). */
  @Column('jsonb', { nullable: true })
  suppress: { channel: string; address: string; reason: string; source: string } | null;

  @Column('jsonb', { nullable: true })
  unsuppress: { channel: string; address: string } | null;

  /** Inbound replies: the address, resolved to the latest message sent there when applied. */
  @Column('jsonb', { name: 'reply_from', nullable: true })
  replyFrom: { channel: string; address: string; channelId: string } | null;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
