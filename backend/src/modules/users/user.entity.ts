import { Column, Entity, Index } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';

/** A person who signs in to the web UI; belongs to exactly one organization. */
@Entity('users')
@Index('UQ_users_email', ['email'], { unique: true })
@Index('UQ_users_google_subject', ['googleSubject'], { unique: true, where: `"google_subject" IS NOT NULL` })
export class User extends OrgScopedEntity {
  /** Lower-cased. */
  @Column('text')
  email: string;

  @Column('text', { nullable: true })
  name: string | null;

  /** Google's stable `sub`; set at the first sign-in (null for an invitation not yet accepted). */
  @Column('text', { name: 'google_subject', nullable: true })
  googleSubject: string | null;

  /** E.164; the phone "call now" rings before it bridges the lead (callbacks). */
  @Column('text', { nullable: true })
  phone: string | null;

  @Column('timestamptz', { name: 'last_sign_in_at', nullable: true })
  lastSignInAt: Date | null;
}
