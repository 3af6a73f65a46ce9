import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { GMAIL_SEND_SCOPE, googleEndpoints } from '../auth/google-endpoints';
import { GoogleGrant } from '../auth/google-oauth';
import { ReauthRequiredError } from './email-account-tokens';
import { EmailAccount } from './email-account.entity';
import { EmailAccountsService } from './email-accounts.service';
import { GmailTokenService, StoredTokens } from './gmail-token.service';

const CONSUMER_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

export interface ConnectResult {
  account: EmailAccount;
  usable: boolean;
}

export interface MailboxTestResult {
  ok: boolean;
  code?: 'reauth_required' | 'unreachable' | 'provider_error';
  message: string;
  details?: Record<string, unknown>;
}

/** Connect, make primary, test and disconnect Gmail mailboxes. */
@Injectable()
export class GmailAccountsService {
  private readonly logger = new Logger('GmailAccounts');

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly accounts: EmailAccountsService,
    private readonly tokens: GmailTokenService,
  ) {}

  /** The end of Connect Gmail: one row per (organization, address), tokens sealed, unusable when gmail.send was withheld. */
  async connect(organizationId: string, grant: GoogleGrant): Promise<ConnectResult> {
    const email = (grant.profile.emails?.[0]?.value ?? '').trim().toLowerCase();
    if (!email) throw new AppError('validation_failed', 'Google did not share the mailbox address (the email scope is required)');
    const repo = this.dataSource.getRepository(EmailAccount);
    return this.dataSource.transaction(async (m) => {
      const existing = await m
        .getRepository(EmailAccount)
        .findOne({ where: { organizationId, email }, lock: { mode: 'pessimistic_write' } });
      const previous = existing?.tokens ? safeOpen(this.tokens, existing) : undefined;
      const refreshToken = grant.refreshToken ?? previous?.refreshToken ?? null;
      const canSend = grant.scopes.includes(GMAIL_SEND_SCOPE);
      const lastError = !canSend
        ? 'Permission to send email was not granted: "Send email on your behalf" was unticked on Google\'s consent screen. Reconnect and keep it ticked.'
        : !refreshToken
          ? 'Google did not return a refresh token. Reconnect the mailbox.'
          : null;
      const stored: StoredTokens = { accessToken: grant.accessToken, refreshToken, expiresAt: Date.now() + grant.expiresInSeconds * 1000 };
      const hasPrimary = (await m.getRepository(EmailAccount).countBy({ organizationId, isPrimary: true })) > 0;
      const values = {
        provider: 'gmail',
        scopes: grant.scopes,
        status: lastError ? ('reauth_required' as const) : ('connected' as const),
        tokens: this.tokens.seal(organizationId, stored),
        accessTokenExpiresAt: new Date(stored.expiresAt),
        lastError,
      };
      let id: string;
      if (existing) {
        await m.update(
          EmailAccount,
          { id: existing.id, organizationId },
          { ...values, ...(!hasPrimary && !lastError && { isPrimary: true }) },
        );
        id = existing.id;
      } else {
        const dailyCap = CONSUMER_DOMAINS.has(email.split('@')[1] ?? '')
          ? this.env.GMAIL_CONSUMER_DAILY_CAP
          : this.env.GMAIL_WORKSPACE_DAILY_CAP;
        id = (await m.save(repo.create({ organizationId, email, ...values, isPrimary: !hasPrimary && !lastError, dailyCap }))).id;
      }
      const account = await m.getRepository(EmailAccount).findOneByOrFail({ id, organizationId });
      return { account, usable: !lastError };
    });
  }

  async makePrimary(organizationId: string, id: string): Promise<EmailAccount> {
    const account = await this.accounts.get(organizationId, id);
    if (account.status !== 'connected')
      throw new AppError('email_account_not_connected', `${account.email} is not connected; reconnect it first`);
    await this.dataSource.transaction(async (m) => {
      await m.update(EmailAccount, { organizationId, isPrimary: true }, { isPrimary: false });
      await m.update(EmailAccount, { organizationId, id }, { isPrimary: true });
    });
    return this.accounts.get(organizationId, id);
  }

  async setDailyCap(organizationId: string, id: string, dailyCap: number | undefined): Promise<EmailAccount> {
    const account = await this.accounts.get(organizationId, id);
    if (dailyCap === undefined) return account;
    await this.dataSource.getRepository(EmailAccount).update({ organizationId, id }, { dailyCap });
    return this.accounts.get(organizationId, id);
  }

  /** Revokes the grant at Google, deletes the tokens; the row stays (campaigns name it) as disconnected. */
  async disconnect(organizationId: string, id: string): Promise<{ account: EmailAccount; revoked: boolean; message: string }> {
    const account = await this.accounts.get(organizationId, id);
    let revoked = false;
    let message = 'Disconnected.';
    const stored = account.tokens ? safeOpen(this.tokens, account) : undefined;
    const token = stored?.refreshToken ?? stored?.accessToken;
    if (token) {
      try {
        await this.tokens.oauthClient().revokeToken(token);
        revoked = true;
        message = 'Disconnected, and access revoked at Google.';
      } catch (error) {
        // Already revoked or expired grants answer 400 invalid_token: nothing left to revoke.
        const status = (error as { response?: { status?: number } }).response?.status;
        revoked = status === 400;
        message = revoked
          ? 'Disconnected (Google had already revoked access).'
          : 'Disconnected here, but Google could not be reached to revoke access; remove it at myaccount.google.com/permissions.';
        this.logger.warn(`Revoking mailbox ${id} at Google answered ${status ?? (error as Error).message}`);
      }
    }
    await this.dataSource.transaction(async (m) => {
      await m.update(
        EmailAccount,
        { organizationId, id },
        { status: 'disconnected', tokens: null, accessTokenExpiresAt: null, isPrimary: false, lastError: null },
      );
      if (account.isPrimary) {
        const next = await m
          .getRepository(EmailAccount)
          .findOne({ where: { organizationId, status: 'connected' }, order: { createdAt: 'ASC' } });
        if (next) await m.update(EmailAccount, { organizationId, id: next.id }, { isPrimary: true });
      }
    });
    return { account: await this.accounts.get(organizationId, id), revoked, message };
  }

  /** Test connection: a fresh access token (a real refresh), then Gmail's getProfile with it. */
  async test(organizationId: string, id: string): Promise<MailboxTestResult> {
    const account = await this.accounts.get(organizationId, id);
    if (account.status !== 'connected')
      return { ok: false, code: 'reauth_required', message: account.lastError ?? `${account.email} is not connected` };
    let accessToken: string;
    try {
      accessToken = (await this.tokens.refresh(organizationId, id, true)).accessToken;
    } catch (error) {
      if (error instanceof ReauthRequiredError) return { ok: false, code: 'reauth_required', message: error.message };
      return { ok: false, code: 'unreachable', message: (error as Error).message };
    }
    try {
      const res = await fetch(`${googleEndpoints(this.env).gmailApiBaseUrl}/gmail/v1/users/me/profile`, {
        headers: { authorization: `Bearer ${accessToken}` },
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json().catch(() => ({}))) as { emailAddress?: string; messagesTotal?: number; error?: { message?: string } };
      if (!res.ok) return { ok: false, code: 'provider_error', message: `Gmail answered ${res.status}: ${body.error?.message ?? 'error'}` };
      return {
        ok: true,
        message: `Connected as ${body.emailAddress ?? account.email}`,
        details: { emailAddress: body.emailAddress, messagesTotal: body.messagesTotal },
      };
    } catch (error) {
      return { ok: false, code: 'unreachable', message: `Gmail could not be reached: ${(error as Error).message}` };
    }
  }
}

function safeOpen(tokens: GmailTokenService, account: EmailAccount): StoredTokens | undefined {
  try {
    return tokens.open(account);
  } catch {
    return undefined;
  }
}
