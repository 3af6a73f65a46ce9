import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OAuthPurpose = 'signin' | 'gmail';

/**
 * One pending OAuth authorization request. The `state` parameter is `<id>.<hmac>`; the row is deleted
 * by the callback that uses it (single use), and it only matches the browser that started the flow
 * (`binding_hash`: the session for Connect Gmail, a pre-sign-in cookie for sign-in).
 */
@Entity('oauth_states')
@Index('IDX_oauth_states_expires', ['expiresAt'])
export class OAuthState {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  purpose: OAuthPurpose;

  @Column('text', { name: 'binding_hash' })
  bindingHash: string;

  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId: string | null;

  @Column('uuid', { name: 'user_id', nullable: true })
  userId: string | null;

  /**
   * PKCE (RFC 7636): the code verifier whose S256 challenge went to Google with this request; sent back with
   * the code, so a stolen authorization code is useless without it. Single use, gone with the row.
   */
  @Column('text', { name: 'code_verifier', nullable: true })
  codeVerifier: string | null;

  /** Where to land afterwards, which mailbox is being reconnected, ... */
  @Column('jsonb', { default: {} })
  data: Record<string, unknown>;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
