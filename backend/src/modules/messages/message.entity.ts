import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { CampaignStep } from '../campaigns/campaign-step.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { Lead } from '../leads/lead.entity';
import { Organization } from '../organizations/organization.entity';
import { INDEXED_STATUS_SQL, type IndexedStatus, type MessageStatus } from './message-status';

/**
 * One row per campaign × step × lead (× entry, for a triggered campaign a lead may enter again), created
 * before anything is sent: the message log and the work queue.
 */
@Entity('messages')
@Check('CHK_messages_status', `"status" IN ('queued', 'leased', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'skipped')`)
@Check('CHK_messages_skip_reason', `("status" = 'skipped') = ("skip_reason" IS NOT NULL)`)
// No index holds `status` itself: see `indexedStatus`. The unique index also serves a lead's messages.
@Index('UQ_messages_lead_campaign_step', ['leadId', 'campaignId', 'stepId', 'entry'], { unique: true })
@Index('IDX_messages_due', ['campaignId', 'dueAt'], { where: `"indexed_status" = 'queued'` })
@Index('IDX_messages_provider_id', ['providerMessageId'], { where: `"provider_message_id" IS NOT NULL` })
@Index('IDX_messages_campaign_status', ['campaignId', 'indexedStatus', 'id'])
/**
 * An org-scoped row like every other, but with one key for step, campaign and organization together (migration
 * 1797900000000), checked once a statement (migration 1798200000000): PostgreSQL checks a foreign key with a
 * query a row, and this table takes a row a recipient. The campaign and organization relations are for joins only.
 */
export class Message {
  /** Time-ordered (UUID version 7, migration 1798000000000): a batch's rows are neighbours in every index holding `id`. */
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' })
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @ManyToOne(() => Organization, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('uuid', { name: 'campaign_id' })
  campaignId: string;

  @ManyToOne(() => Campaign, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column('uuid', { name: 'step_id' })
  stepId: string;

  /**
   * The step, of this campaign and organization: deleting either deletes its steps and so their messages. Held by
   * triggers checked once a statement, not by a foreign key checked once a row (migration 1798200000000).
   */
  @ManyToOne(() => CampaignStep, { createForeignKeyConstraints: false })
  @JoinColumn([
    { name: 'step_id', referencedColumnName: 'id' },
    { name: 'campaign_id', referencedColumnName: 'campaignId' },
    { name: 'organization_id', referencedColumnName: 'organizationId' },
  ])
  step?: CampaignStep;

  /** Null once the lead is deleted: the log outlives the lead. */
  @Column('uuid', { name: 'lead_id', nullable: true })
  leadId: string | null;

  /**
   * The lead, held by triggers checked once a statement, not by a foreign key checked once a row: an insert locks
   * its leads as the key did, and deleting a lead sets this to NULL (migration 1798500000000).
   */
  @ManyToOne(() => Lead, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'lead_id' })
  lead?: Lead;

  @Column('integer')
  position: number;

  /** A triggered campaign's enrollment number of the lead (`campaign_enrollments.entry`); 1 otherwise. */
  @Column('integer', { default: 1 })
  entry: number;

  @Column('text')
  channel: string;

  @Column('text', { default: 'queued' })
  status: MessageStatus;

  /**
   * The status as the indexes see it: an open message (`leased`, `sending`) counts as `queued` (migrations
   * 1797800000000, 1798400000000) and `delivered` as `sent` (migration 1798300000000). The lease, the `sending`
   * mark and the provider's `delivered` then change no indexed column, so PostgreSQL updates the row in place
   * instead of writing every index again. Queries that should use an index on status filter on this column
   * (`queued` here means open, `sent` sent or delivered) and on `status` where they need the exact one. Expired
   * leases are found in `message_leases` (message-lease.entity.ts), not through an index of this table.
   */
  @Column({
    type: 'text',
    name: 'indexed_status',
    generatedType: 'STORED',
    asExpression: INDEXED_STATUS_SQL,
    insert: false,
    update: false,
    select: false,
  })
  indexedStatus: IndexedStatus;

  @Column('text', { name: 'skip_reason', nullable: true })
  skipReason: string | null;

  /** The address at enrollment (email or E.164). */
  @Column('text', { name: 'to_address', nullable: true })
  toAddress: string | null;

  /** Null: waiting for the previous step's outcome. */
  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt: Date | null;

  @Column('uuid', { name: 'run_id', nullable: true })
  runId: string | null;

  @Column('uuid', { name: 'lease_id', nullable: true })
  leaseId: string | null;

  @Column('timestamptz', { name: 'lease_expires_at', nullable: true })
  leaseExpiresAt: Date | null;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('text', { name: 'provider_message_id', nullable: true })
  providerMessageId: string | null;

  @Column('text', { name: 'error_code', nullable: true })
  errorCode: string | null;

  @Column('text', { name: 'error_message', nullable: true })
  errorMessage: string | null;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;

  /**
   * The A/B variant (campaign_step_variants) sent, set at enrollment; null for a step without variants, or
   * while the message waits for its A/B test's winner. No foreign key: this is the hot table, and the
   * variants go with their step, which takes its messages along.
   */
  @Column('uuid', { name: 'variant_id', nullable: true })
  variantId: string | null;

  /** When the lead first answered this message (a person, not an auto-reply). */
  @Column('timestamptz', { name: 'replied_at', nullable: true })
  repliedAt: Date | null;

  /** Skipped because the lead replied: the message they answered (possibly of another campaign). */
  @Column('uuid', { name: 'stopped_by_message_id', nullable: true })
  stoppedByMessageId: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
