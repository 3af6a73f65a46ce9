import { Column, Entity, Index } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';

/**
 * An invitation to join an organization. It is accepted only by the person who opens its link and
 * signs in with Google as the invited address: inviting an address never attaches anyone by itself.
 * Only the SHA-256 of the link's token is stored.
 */
@Entity('invitations')
@Index('UQ_invitations_token_hash', ['tokenHash'], { unique: true })
@Index('IDX_invitations_org_email', ['organizationId', 'email'])
export class Invitation extends OrgScopedEntity {
  @Column('text')
  email: string;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('text', { name: 'token_hash' })
  tokenHash: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'accepted_at', nullable: true })
  acceptedAt: Date | null;
}
