import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { ChannelConnection } from '../channels/channel-connection.entity';

/**
 * What Meta last reported for a WhatsApp channel's number (read with each template sync): its
 * throughput level and the business portfolio's messaging limit tier. The quota ledger holds the
 * channel to the lower of these and the channel's own settings.
 */
@Entity('whatsapp_number_limits')
@Index('UQ_whatsapp_number_limits_channel', ['channelId'], { unique: true })
export class WhatsappNumberLimits extends OrgScopedEntity {
  @Column('uuid', { name: 'channel_id' })
  channelId: string;

  @ManyToOne(() => ChannelConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id' })
  channel?: ChannelConnection;

  /** Meta's `throughput.level`: STANDARD (80 msg/s) or HIGH (1,000 msg/s). */
  @Column('text', { name: 'throughput_level' })
  throughputLevel: string;

  @Column('integer', { name: 'throughput_per_second' })
  throughputPerSecond: number;

  /** Meta's `messaging_limit_tier`: TIER_250 … TIER_100K, TIER_UNLIMITED. */
  @Column('text', { name: 'messaging_limit_tier' })
  messagingLimitTier: string;

  /** Business-initiated recipients allowed per rolling 24 hours; null when unlimited. */
  @Column('integer', { name: 'daily_limit', nullable: true })
  dailyLimit: number | null;

  @UpdateDateColumn({ name: 'reported_at', type: 'timestamptz' })
  reportedAt: Date;
}
