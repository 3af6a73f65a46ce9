import { Check, Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { ChannelConnection } from '../channels/channel-connection.entity';
import { EmailAccount } from '../email-accounts/email-account.entity';
import type { GuardMetrics } from './guard-verdict';

const ratio = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * A sender's deliverability guard: its thresholds (null: the defaults) and whether it paused the sender.
 * One per channel connection or Gmail mailbox (exactly one), created when first needed.
 */
@Entity('sender_guards')
@Check('CHK_sender_guards_one_sender', `("channel_id" IS NULL) <> ("email_account_id" IS NULL)`)
@Index('UQ_sender_guards_channel', ['channelId'], { unique: true, where: '"channel_id" IS NOT NULL' })
@Index('UQ_sender_guards_email_account', ['emailAccountId'], { unique: true, where: '"email_account_id" IS NOT NULL' })
export class SenderGuard extends OrgScopedEntity {
  @Column('uuid', { name: 'channel_id', nullable: true })
  channelId: string | null;

  @ManyToOne(() => ChannelConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id', foreignKeyConstraintName: 'FK_sender_guards_channel' })
  channel?: ChannelConnection;

  @Column('uuid', { name: 'email_account_id', nullable: true })
  emailAccountId: string | null;

  @ManyToOne(() => EmailAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'email_account_id', foreignKeyConstraintName: 'FK_sender_guards_email_account' })
  emailAccount?: EmailAccount;

  @Column('boolean', { default: true })
  enabled: boolean;

  @Column('numeric', { name: 'bounce_rate', precision: 6, scale: 5, nullable: true, transformer: ratio })
  bounceRate: number | null;

  @Column('numeric', { name: 'complaint_rate', precision: 6, scale: 5, nullable: true, transformer: ratio })
  complaintRate: number | null;

  @Column('numeric', { name: 'rejection_rate', precision: 6, scale: 5, nullable: true, transformer: ratio })
  rejectionRate: number | null;

  @Column('integer', { name: 'min_sample', nullable: true })
  minSample: number | null;

  /** Set when the guard paused the sender; cleared by an operator's resume. */
  @Column('timestamptz', { name: 'paused_at', nullable: true })
  pausedAt: Date | null;

  @Column('text', { name: 'paused_reason', nullable: true })
  pausedReason: string | null;

  /** The figures that crossed the threshold, kept as they were when it paused. */
  @Column('jsonb', { name: 'paused_metrics', nullable: true })
  pausedMetrics: GuardMetrics | null;

  /** The last resume: the rates count from here, so the figures that paused it do not pause it again. */
  @Column('timestamptz', { name: 'resumed_at', nullable: true })
  resumedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
