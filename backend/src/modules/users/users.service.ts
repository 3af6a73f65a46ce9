import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { deleteOwned } from '../../database/delete-owned';
import { Environment } from '../../config/environment';
import { signupMode } from '../auth/google-endpoints';
import { OrganizationsService } from '../organizations/organizations.service';
import { Invitation } from './invitation.entity';
import { User } from './user.entity';

export interface GoogleIdentity {
  subject: string;
  email: string;
  emailVerified: boolean;
  name?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INVITATION_TTL_MS = 7 * 24 * 3600_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * People and how they get an organization. A person joins an organization only by accepting an
 * invitation: opening its link and signing in with Google as the invited address. Inviting an address
 * never attaches anyone by itself, and never tells the inviter whether the address belongs elsewhere.
 * Without an invitation, an unknown address gets an organization of its own when SIGNUP_MODE=open (the
 * default outside production) and is refused when SIGNUP_MODE=invite.
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

  /**
   * Invites an address: answers the invitation and the secret token of its link (shown once; only its
   * hash is kept). A new invitation of the same address replaces the pending one. Whether the address
   * already belongs to another organization is not revealed here; a member of this one is refused.
   */
  async invite(organizationId: string, email: string, name?: string): Promise<{ invitation: Invitation; token: string }> {
    const address = normalizeEmail(email);
    // The inviter sees this organization's members anyway: saying so reveals nothing about other organizations.
    if (await this.dataSource.getRepository(User).existsBy({ organizationId, email: address })) {
      throw new AppError('user_conflict', `${address} is already a member of this organization`);
    }
    const token = randomBytes(32).toString('base64url');
    const invitation = await this.dataSource.transaction(async (m) => {
      await m.delete(Invitation, { organizationId, email: address, acceptedAt: IsNull() });
      return m.save(
        m.create(Invitation, {
          organizationId,
          email: address,
          name: name?.trim() || null,
          tokenHash: hashToken(token),
          expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
          acceptedAt: null,
        }),
      );
    });
    return { invitation, token };
  }

  pendingInvitations(organizationId: string): Promise<Invitation[]> {
    return this.dataSource.getRepository(Invitation).find({ where: { organizationId, acceptedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  /** The member's own phone (rung first by "call now"). */
  async setPhone(organizationId: string, id: string, phone: string | null): Promise<User> {
    await this.dataSource.query('UPDATE users SET phone = $3 WHERE id = $1 AND organization_id = $2', [id, organizationId, phone]);
    return this.get(organizationId, id);
  }

  async revokeInvitation(organizationId: string, id: string): Promise<void> {
    const result = await this.dataSource.getRepository(Invitation).findOneBy({ organizationId, id, acceptedAt: IsNull() });
    if (!result) throw new AppError('not_found', `No pending invitation ${id}`);
    await this.dataSource.getRepository(Invitation).delete({ id });
  }

  /** Removes a member: their sessions end with the row (cascade); they can no longer sign in to this organization. */
  async remove(organizationId: string, id: string): Promise<void> {
    if (!(await deleteOwned(this.dataSource.getRepository(User), organizationId, id))) throw new AppError('not_found', `No user ${id}`);
  }

  /** The pending, unexpired invitation a link's token names, or why not. */
  private async invitationFor(token: string, email: string): Promise<Invitation> {
    const invitation = await this.dataSource.getRepository(Invitation).findOneBy({ tokenHash: hashToken(token) });
    if (!invitation || invitation.acceptedAt || invitation.expiresAt.getTime() < Date.now()) {
      throw new AppError('invitation_invalid', 'This invitation link is not valid any more: ask for a new one');
    }
    if (invitation.email !== email) {
      throw new AppError('invitation_invalid', `This invitation is for another address; sign in with Google as ${invitation.email}`);
    }
    return invitation;
  }

  /** A Google sign-in, with the token of an invitation link when the person came through one. */
  async signIn(identity: GoogleIdentity, invitationToken?: string): Promise<User> {
    if (!identity.emailVerified) throw new AppError('forbidden', 'Google says this e-mail address is not verified');
    const email = normalizeEmail(identity.email);
    const repo = this.dataSource.getRepository(User);
    const invitation = invitationToken ? await this.invitationFor(invitationToken, email) : undefined;
    const user = (await repo.findOneBy({ googleSubject: identity.subject })) ?? (await repo.findOneBy({ email }));
    if (user) {
      if (user.googleSubject && user.googleSubject !== identity.subject)
        throw new AppError('forbidden', 'This e-mail address is linked to another Google account');
      // A row nobody has signed in with yet (made before invitations needed accepting) is only claimed
      // through an invitation of its own organization.
      if (!user.googleSubject && invitation?.organizationId !== user.organizationId) {
        throw new AppError('invitation_required', `${email} needs an invitation link to sign in. Ask an administrator for one.`);
      }
      if (invitation && invitation.organizationId !== user.organizationId) {
        throw new AppError('invitation_invalid', `${email} already belongs to an organization; it cannot join another one`);
      }
      await repo.update(
        { id: user.id },
        { googleSubject: identity.subject, name: user.name ?? identity.name ?? null, lastSignInAt: new Date() },
      );
      if (invitation) await this.dataSource.getRepository(Invitation).update({ id: invitation.id }, { acceptedAt: new Date() });
      return (await repo.findOneBy({ id: user.id }))!;
    }
    if (invitation) {
      return this.dataSource.transaction(async (m) => {
        await m.update(Invitation, { id: invitation.id }, { acceptedAt: new Date() });
        return m.save(
          m.create(User, {
            organizationId: invitation.organizationId,
            email,
            name: invitation.name ?? identity.name ?? null,
            googleSubject: identity.subject,
            lastSignInAt: new Date(),
          }),
        );
      });
    }
    if (signupMode(this.env) !== 'open') {
      throw new AppError(
        'signup_closed',
        `${email} has not been invited. Ask an administrator of your organization for an invitation link.`,
      );
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
    phone: u.phone,
    lastSignInAt: u.lastSignInAt,
    createdAt: u.createdAt,
  };
}

export function presentInvitation(i: Invitation, acceptUrl?: string) {
  return {
    id: i.id,
    email: i.email,
    name: i.name,
    expiresAt: i.expiresAt,
    createdAt: i.createdAt,
    ...(acceptUrl && { acceptUrl }),
  };
}
