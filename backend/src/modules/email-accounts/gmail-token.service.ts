import { Injectable, Logger } from '@nestjs/common';
import { OAuth2Client } from 'google-auth-library';
import { DataSource, EntityManager } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box';
import { Environment } from '../../config/environment';
import { isEmbedded } from '../../database/data-source-options';
import { googleEndpoints } from '../auth/google-endpoints';
import { AccessToken, EmailAccountTokens, ReauthRequiredError } from './email-account-tokens';
import { EmailAccount } from './email-account.entity';
import { suspendForMailbox } from '../campaigns/campaign-status';

/** The sealed `email_accounts.tokens` payload. Never logged, never returned by the API. */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Token endpoint errors that no retry will fix: a person has to reconnect the mailbox. */
export const PERMANENT_OAUTH_ERRORS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'admin_policy_enforced']);

/** A refresh that failed for a reason that may pass (network, 5xx, 429) after the client's own retries. */
export class TokenRefreshFailedError extends Error {}

type RefreshOutcome = { kind: 'ok'; token: AccessToken } | { kind: 'reauth'; reason: string } | { kind: 'transient'; reason: string };

export function tokensAad(organizationId: string): string {
  return `email_accounts:${organizationId}`;
}

/**
 * Short-lived Gmail access tokens for the engine (`EmailAccountTokens`): refreshed ahead of expiry with
 * google-auth-library's OAuth2Client against the configured token endpoint, stored sealed again.
 * One refresh per mailbox at a time: in this process by sharing the promise, across instances by a row
 * lock (PostgreSQL) under which the token is re-read, so a refresh another instance just made is reused.
 * Permanent refusals mark the mailbox reauth_required and pause the campaigns sending from it.
 */
@Injectable()
export class GmailTokenService extends EmailAccountTokens {
  private readonly logger = new Logger('GmailTokens');
  private readonly inflight = new Map<string, Promise<AccessToken>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly box: SecretBox,
  ) {
    super();
  }

  seal(organizationId: string, tokens: StoredTokens): string {
    return this.box.sealJson(tokens, tokensAad(organizationId));
  }

  open(account: Pick<EmailAccount, 'organizationId' | 'tokens'>): StoredTokens {
    return this.box.openJson<StoredTokens>(account.tokens!, tokensAad(account.organizationId));
  }

  oauthClient(): OAuth2Client {
    const endpoints = googleEndpoints(this.env);
    return new OAuth2Client({
      clientId: this.env.GOOGLE_CLIENT_ID,
      clientSecret: this.env.GOOGLE_CLIENT_SECRET,
      endpoints: { oauth2TokenUrl: endpoints.tokenUrl, oauth2RevokeUrl: endpoints.revokeUrl },
    });
  }

  async getAccessToken(account: EmailAccount): Promise<AccessToken> {
    if (account.status !== 'connected' || !account.tokens)
      throw new ReauthRequiredError(account.id, account.lastError ?? 'The mailbox is not connected');
    const tokens = this.open(account);
    if (this.fresh(tokens)) return { accessToken: tokens.accessToken, expiresAt: new Date(tokens.expiresAt) };
    return this.refresh(account.organizationId, account.id);
  }

  /** Refreshes now (`force`) or when the stored token is about to expire; concurrent callers share one refresh. */
  refresh(organizationId: string, accountId: string, force = false): Promise<AccessToken> {
    let pending = this.inflight.get(accountId);
    if (!pending) {
      pending = this.refreshOnce(organizationId, accountId, force).finally(() => this.inflight.delete(accountId));
      this.inflight.set(accountId, pending);
    }
    return pending;
  }

  private fresh(tokens: StoredTokens): boolean {
    return Boolean(tokens.accessToken) && tokens.expiresAt - Date.now() > this.env.GMAIL_REFRESH_SKEW_SECONDS * 1000;
  }

  private async refreshOnce(organizationId: string, accountId: string, force: boolean): Promise<AccessToken> {
    const outcome = await this.underLock(organizationId, accountId, (m, row) => this.refreshRow(m, row, force));
    if (outcome.kind === 'ok') return outcome.token;
    if (outcome.kind === 'reauth') throw new ReauthRequiredError(accountId, outcome.reason);
    throw new TokenRefreshFailedError(outcome.reason);
  }

  /** Embedded PGlite runs one instance (instance lock) on one connection: the in-process promise is the lock there. */
  private async underLock(
    organizationId: string,
    accountId: string,
    work: (m: EntityManager, row: EmailAccount | null) => Promise<RefreshOutcome>,
  ): Promise<RefreshOutcome> {
    if (isEmbedded({ DATABASE_URL: this.env.DATABASE_URL, DATA_DIR: this.env.DATA_DIR })) {
      const row = await this.dataSource.getRepository(EmailAccount).findOneBy({ id: accountId, organizationId });
      return work(this.dataSource.manager, row);
    }
    return this.dataSource.transaction(async (m) => {
      const row = await m
        .getRepository(EmailAccount)
        .findOne({ where: { id: accountId, organizationId }, lock: { mode: 'pessimistic_write' } });
      return work(m, row);
    });
  }

  private async refreshRow(m: EntityManager, row: EmailAccount | null, force: boolean): Promise<RefreshOutcome> {
    if (!row) return { kind: 'reauth', reason: 'The mailbox was removed' };
    if (row.status !== 'connected' || !row.tokens) return { kind: 'reauth', reason: row.lastError ?? 'The mailbox is not connected' };
    const stored = this.open(row);
    if (!force && this.fresh(stored))
      return { kind: 'ok', token: { accessToken: stored.accessToken, expiresAt: new Date(stored.expiresAt) } };
    if (!stored.refreshToken) {
      const reason = 'Google gave no refresh token for this mailbox: reconnect it in Settings';
      await markReauthRequired(m, row, reason);
      return { kind: 'reauth', reason };
    }
    const client = this.oauthClient();
    client.setCredentials({ refresh_token: stored.refreshToken });
    try {
      // OAuth2Client retries network errors, 429 and 5xx with exponential backoff before giving up.
      const { token } = await client.getAccessToken();
      const credentials = client.credentials;
      if (!token) throw new Error('the token endpoint answered no access token');
      const next: StoredTokens = {
        accessToken: token,
        refreshToken: credentials.refresh_token ?? stored.refreshToken,
        expiresAt: credentials.expiry_date ?? Date.now() + 3_600_000,
      };
      await m.update(
        EmailAccount,
        { id: row.id, organizationId: row.organizationId },
        { tokens: this.seal(row.organizationId, next), accessTokenExpiresAt: new Date(next.expiresAt), lastError: null },
      );
      return { kind: 'ok', token: { accessToken: next.accessToken, expiresAt: new Date(next.expiresAt) } };
    } catch (error) {
      const { code, description } = oauthError(error);
      if (code && PERMANENT_OAUTH_ERRORS.has(code)) {
        const reason = `Google refused to refresh the access token (${code}${description ? `: ${description}` : ''}). Reconnect the mailbox in Settings.`;
        await markReauthRequired(m, row, reason);
        this.logger.warn(`Mailbox ${row.id} needs re-authorization: ${code}`);
        return { kind: 'reauth', reason };
      }
      const reason = `Refreshing the Gmail access token failed (${code ?? (error as Error).message}); it will be retried.`;
      await m.update(EmailAccount, { id: row.id, organizationId: row.organizationId }, { lastError: reason });
      this.logger.warn(`Mailbox ${row.id}: ${reason}`);
      return { kind: 'transient', reason };
    }
  }
}

/** The OAuth error code of a failed token call (`invalid_grant`, ...), without tokens or bodies beyond it. */
export function oauthError(error: unknown): { code?: string; description?: string } {
  const data = (error as { response?: { data?: unknown } })?.response?.data;
  if (data && typeof data === 'object') {
    const d = data as { error?: unknown; error_description?: unknown };
    if (typeof d.error === 'string')
      return { code: d.error, ...(typeof d.error_description === 'string' && { description: d.error_description.slice(0, 200) }) };
  }
  if (typeof data === 'string') {
    try {
      return oauthError({ response: { data: JSON.parse(data) as unknown } });
    } catch {
      // not JSON
    }
  }
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? { code } : {};
}

/** The mailbox can no longer send: say why, and pause every campaign sending from it with that reason. */
export async function markReauthRequired(
  m: EntityManager,
  account: Pick<EmailAccount, 'id' | 'organizationId' | 'email'>,
  reason: string,
): Promise<number> {
  await m.query(
    `UPDATE email_accounts SET status = 'reauth_required', last_error = $3, updated_at = now() WHERE id = $1 AND organization_id = $2`,
    [account.id, account.organizationId, reason],
  );
  return suspendForMailbox(
    m,
    account.organizationId,
    account.id,
    `The mailbox ${account.email} needs to be reconnected in Settings: ${reason}`,
  );
}
