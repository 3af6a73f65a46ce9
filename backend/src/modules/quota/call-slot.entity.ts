import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One live call holding a place under a concurrency limit (`campaign:<id>` or `number:<channelId>`):
 * taken at lease, deleted by the call's final status callback, and ignored once `expires_at` passed
 * (the safety expiry for a callback that never came).
 */
@Entity('call_slots')
@Index('IDX_call_slots_message', ['messageId'])
export class CallSlot {
  @PrimaryColumn('text', { name: 'slot_key', primaryKeyConstraintName: 'PK_call_slots' })
  slotKey: string;

  @PrimaryColumn('uuid', { name: 'message_id', primaryKeyConstraintName: 'PK_call_slots' })
  messageId: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;
}
