import { Column, Entity, Index } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';

@Entity('api_keys')
export class ApiKey extends OrgScopedEntity {
  @Column('text')
  name: string;

  /** Public, non-secret part of the key; used to find the row before the constant-time hash check. */
  @Index('UQ_api_keys_prefix', { unique: true })
  @Column('text')
  prefix: string;

  /** SHA-256 of the secret part: keys carry 256 bits of entropy, so a slow KDF adds nothing. */
  @Column('text', { name: 'secret_hash' })
  secretHash: string;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
