import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { User } from '../users/user.entity';

/**
 * A signed-in browser. The cookie carries `<id>.<secret>`; only the secret's SHA-256 is stored, so a
 * database read does not yield usable cookies. Stored in PostgreSQL: survives restarts, shared by instances.
 */
@Entity('user_sessions')
@Index('IDX_user_sessions_user', ['userId'])
@Index('IDX_user_sessions_expires', ['expiresAt'])
export class UserSession extends OrgScopedEntity {
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text', { name: 'secret_hash' })
  secretHash: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt: Date;
}
