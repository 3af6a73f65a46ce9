import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { signupMode } from '../auth/google-endpoints';
import { OrganizationsService } from '../organizations/organizations.service';
import { User } from './user.entity';

export interface GoogleIdentity {
  subject: string;
  email: string;
  emailVerified: boolean;
  name?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * People and how they get an organization: an invited address joins the inviting organization at its
 * first Google sign-in; an unknown address gets an organization of its own when SIGNUP_MODE=open
 * (the default outside production) and is refused when SIGNUP_MODE=invite.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly organizations: OrganizationsService,
  ) {}

  list(organizationId: string): Promise<User[]> {
    return this.dataSource.getRepository(User).find({ where: { organizationId }, order: { createdAt: 'ASC' } });
  }

  async get(organizationId: string, id: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ organizationId, id });
    if (!user) throw new AppError('not_found', `No user ${id}`);
    return user;
  }

  /** Adds a person to an organization ahead of their first sign-in (API key holder or CLI). */
  async invite(organizationId: string, email: string, name?: string): Promise<User> {
    const address = normalizeEmail(email);
    const repo = this.dataSource.getRepository(User);
    const existing = await repo.findOneBy({ email: address });
    if (existing) {
      if (existing.organizationId === organizationId) return existing;
      throw new AppError('user_conflict', `${address} already belongs to another organization`);
    }
    return repo.save(repo.create({ organizationId, email: address, name: name?.trim() || null, googleSubject: null, lastSignInAt: null }));
  }

  async signIn(identity: GoogleIdentity): Promise<User> {
    if (!identity.emailVerified) throw new AppError('forbidden', 'Google says this e-mail address is not verified');
    const email = normalizeEmail(identity.email);
    const repo = this.dataSource.getRepository(User);
    const user = (await repo.findOneBy({ googleSubject: identity.subject })) ?? (await repo.findOneBy({ email }));
    if (user) {
      if (user.googleSubject && user.googleSubject !== identity.subject)
        throw new AppError('forbidden', 'This e-mail address is linked to another Google account');
      await repo.update(
        { id: user.id },
        { googleSubject: identity.subject, name: user.name ?? identity.name ?? null, lastSignInAt: new Date() },
      );
      return (await repo.findOneBy({ id: user.id }))!;
    }
    if (signupMode(this.env) !== 'open') {
      throw new AppError('signup_closed', `${email} has not been invited. Ask an administrator of your organization to invite you.`);
    }
    const { organization } = await this.organizations.create(`${identity.name?.trim() || email.split('@')[0]}'s organization`);
    return repo.save(
      repo.create({
        organizationId: organization.id,
        email,
        name: identity.name ?? null,
        googleSubject: identity.subject,
        lastSignInAt: new Date(),
      }),
    );
  }
}

export function normalizeEmail(value: unknown): string {
  const email = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!EMAIL.test(email) || email.length > 320) throw new AppError('validation_failed', 'email must be an e-mail address');
  return email;
}

export function presentUser(u: User) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    signedUp: u.googleSubject !== null,
    lastSignInAt: u.lastSignInAt,
    createdAt: u.createdAt,
  };
}
