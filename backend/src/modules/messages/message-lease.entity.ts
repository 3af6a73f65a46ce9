import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';

/**
 * One row a lease: when it expires and which messages it took. The expiry sweeps find expired leases here, not
 * through an index of `messages` (migration 1798400000000): a message's lease then writes no indexed column, and
 * PostgreSQL updates its row in place. `messages.lease_id` and `lease_expires_at` stay the truth for each
 * message (a message handed back or settled no longer names the lease); a row is deleted by the sweep that finds
 * it expired a TTL ago, when nothing of its lease can still be `leased` or `sending`.
 */
@Entity('message_leases')
@Index('IDX_message_leases_expiry', ['expiresAt'])
export class MessageLease {
  /** The lease id n8n holds (`messages.lease_id`). */
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_message_leases' })
  id: string;

  @Column('uuid', { name: 'campaign_id' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_message_leases_campaign' })
  campaign?: Campaign;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  /**
   * When the sweep sent back what the lease left `leased` (null: not yet). Each lease's messages are read once for
   * that and once more a TTL later for what it left `sending`, not at every tick while the row waits for the second.
   */
  @Column('timestamptz', { name: 'requeued_at', nullable: true })
  requeuedAt: Date | null;

  /** Every message the lease took, in one array: one row written a lease, not one a message. */
  @Column('uuid', { name: 'message_ids', array: true })
  messageIds: string[];
}
