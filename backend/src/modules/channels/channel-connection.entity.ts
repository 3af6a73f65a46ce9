import { Check, Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { ENVELOPE_PATTERN } from '../../common/crypto/secret-box';
import { OrgScopedEntity } from '../../database/org-scoped.entity';

export const CHANNEL_TYPES = ['mailgun', 'twilio', 'whatsapp'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export type ChannelStatus = 'untested' | 'connected' | 'error';

@Entity('channel_connections')
@Check('CHK_channel_connections_type', `"type" IN ('mailgun', 'twilio', 'whatsapp')`)
@Check('CHK_channel_connections_status', `"status" IN ('untested', 'connected', 'error')`)
// The database itself refuses anything but an encryption envelope, so no code path can store plaintext.
@Check('CHK_channel_connections_secrets_sealed', `"secrets" ~ '${ENVELOPE_PATTERN}'`)
@Index('IDX_channel_connections_org_created', ['organizationId', 'createdAt', 'id'])
export class ChannelConnection extends OrgScopedEntity {
  @Column('text')
  type: ChannelType;

  @Column('text')
  name: string;

  /** Non-secret settings (domain, from, account SID, base URL, rate...). */
  @Column('jsonb')
  config: Record<string, unknown>;

  /** AES-256-GCM envelope of the JSON secrets, bound to the organization. */
  @Column('text')
  secrets: string;

  @Column('text', { default: 'untested' })
  status: ChannelStatus;

  @Column('timestamptz', { name: 'last_tested_at', nullable: true })
  lastTestedAt: Date | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
