import { Check, Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { ChannelConnection } from '../channels/channel-connection.entity';
import { EmailAccount } from '../email-accounts/email-account.entity';

/**
 * A sender's warm-up ramp: its daily cap starts at `startPerDay` and grows by `growthPercent` a day up to
 * `targetPerDay`. The sender is a channel connection or a Gmail mailbox (exactly one); the ramp goes with it.
 */
@Entity('sender_warmups')
@Check('CHK_sender_warmups_one_sender', `("channel_id" IS NULL) <> ("email_account_id" IS NULL)`)
@Check('CHK_sender_warmups_ramp', `"start_per_day" >= 1 AND "target_per_day" >= "start_per_day" AND "growth_percent" > 0`)
@Index('UQ_sender_warmups_channel', ['channelId'], { unique: true, where: '"channel_id" IS NOT NULL' })
@Index('UQ_sender_warmups_email_account', ['emailAccountId'], { unique: true, where: '"email_account_id" IS NOT NULL' })
export class SenderWarmup extends OrgScopedEntity {
  @Column('uuid', { name: 'channel_id', nullable: true })
  channelId: string | null;

  @ManyToOne(() => ChannelConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id', foreignKeyConstraintName: 'FK_sender_warmups_channel' })
  channel?: ChannelConnection;

  @Column('uuid', { name: 'email_account_id', nullable: true })
  emailAccountId: string | null;

  @ManyToOne(() => EmailAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'email_account_id', foreignKeyConstraintName: 'FK_sender_warmups_email_account' })
  emailAccount?: EmailAccount;

  @Column('integer', { name: 'start_per_day' })
  startPerDay: number;

  /** numeric(6,2) read as a number by the transformer: a percentage, not money. */
  @Column('numeric', {
    name: 'growth_percent',
    precision: 6,
    scale: 2,
    transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? v : Number(v)) },
  })
  growthPercent: number;

  @Column('integer', { name: 'target_per_day' })
  targetPerDay: number;

  /** Day 0 of the ramp. */
  @Column('timestamptz', { name: 'started_at' })
  startedAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
