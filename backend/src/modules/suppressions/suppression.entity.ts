import { CHANNELS, type Channel } from '@cadence/contracts';
import { Check, Column, Entity, Index } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';

export const SUPPRESSION_CHANNELS = CHANNELS;
export type SuppressionChannel = Channel;
export const SUPPRESSION_REASONS = ['unsubscribed', 'bounced', 'complained', 'stop', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

@Entity('suppressions')
@Check('CHK_suppressions_channel', `"channel" IN ('email', 'sms', 'whatsapp', 'voice')`)
@Check('CHK_suppressions_reason', `"reason" IN ('unsubscribed', 'bounced', 'complained', 'stop', 'manual')`)
@Index('UQ_suppressions_org_channel_address', ['organizationId', 'channel', 'address'], { unique: true })
@Index('IDX_suppressions_org_created', ['organizationId', 'createdAt', 'id'])
export class Suppression extends OrgScopedEntity {
  @Column('text')
  channel: SuppressionChannel;

  /** Normalized like leads: lower-case email, or E.164 phone. */
  @Column('text')
  address: string;

  @Column('text')
  reason: SuppressionReason;

  /** Where it came from: "api", "csv_import", "mailgun_webhook", "twilio_inbound", ... */
  @Column('text', { default: 'api' })
  source: string;
}
