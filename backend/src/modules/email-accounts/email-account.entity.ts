import { Check, Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { ENVELOPE_PATTERN } from '../../common/crypto/secret-box';
import { OrgScopedEntity } from '../../database/org-scoped.entity';

export type EmailAccountStatus = 'connected' | 'reauth_required' | 'disconnected';

/** A mailbox connected through OAuth (Gmail). Tokens are sealed; the refresh token never leaves the backend. */
@Entity('email_accounts')
@Check('CHK_email_accounts_status', `"status" IN ('connected', 'reauth_required', 'disconnected')`)
@Check('CHK_email_accounts_tokens_sealed', `"tokens" IS NULL OR "tokens" ~ '${ENVELOPE_PATTERN}'`)
@Index('UQ_email_accounts_org_email', ['organizationId', 'email'], { unique: true })
@Index('UQ_email_accounts_org_primary', ['organizationId'], { unique: true, where: `"is_primary"` })
export class EmailAccount extends OrgScopedEntity {
  @Column('text', { default: 'gmail' })
  provider: string;

  @Column('text')
  email: string;

  @Column('text', { array: true, default: () => `'{}'` })
  scopes: string[];

  @Column('text', { default: 'connected' })
  status: EmailAccountStatus;

  @Column('boolean', { name: 'is_primary', default: false })
  isPrimary: boolean;

  /** Messages per rolling 24 hours: 2,000 for Workspace, 500 for consumer Gmail by default. */
  @Column('integer', { name: 'daily_cap', default: 500 })
  dailyCap: number;

  @Column('text', { nullable: true })
  tokens: string | null;

  @Column('timestamptz', { name: 'access_token_expires_at', nullable: true })
  accessTokenExpiresAt: Date | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  /** Reply detection: the Gmail history id read up to (users.history.list starts after it). */
  @Column('text', { name: 'history_id', nullable: true })
  historyId: string | null;

  @Column('timestamptz', { name: 'inbound_synced_at', nullable: true })
  inboundSyncedAt: Date | null;

  /** Why the last sync failed, shown in Settings; cleared by the next good one. */
  @Column('text', { name: 'inbound_error', nullable: true })
  inboundError: string | null;

  /** users.watch push notifications last until then (Google asks for a renewal at least every 7 days). */
  @Column('timestamptz', { name: 'watch_expires_at', nullable: true })
  watchExpiresAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
