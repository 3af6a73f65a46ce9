import { CHANNELS, type Channel } from '@cadence/contracts';
import { Check, Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';

export const CONSENT_CHANNELS = CHANNELS;
export type ConsentChannel = Channel;
/** true: opted in; false: opted out; absent: never asked. */
export type Consent = Partial<Record<ConsentChannel, boolean>>;

@Entity('leads')
@Check('CHK_leads_has_address', `"email" IS NOT NULL OR "phone" IS NOT NULL`)
@Index('UQ_leads_org_email', ['organizationId', 'email'], { unique: true, where: `"email" IS NOT NULL` })
@Index('UQ_leads_org_phone', ['organizationId', 'phone'], { unique: true, where: `"phone" IS NOT NULL` })
@Index('IDX_leads_org_created', ['organizationId', 'createdAt', 'id'])
export class Lead extends OrgScopedEntity {
  /** Stored lower-cased and trimmed, so uniqueness is case-insensitive. */
  @Column('text', { nullable: true })
  email: string | null;

  /** E.164. */
  @Column('text', { nullable: true })
  phone: string | null;

  @Column('text', { name: 'first_name', nullable: true })
  firstName: string | null;

  @Column('text', { name: 'last_name', nullable: true })
  lastName: string | null;

  /** IANA zone, e.g. Europe/Paris. */
  @Column('text', { nullable: true })
  timezone: string | null;

  @Column('jsonb', { default: {} })
  attributes: Record<string, unknown>;

  @Column('jsonb', { default: {} })
  consent: Consent;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
