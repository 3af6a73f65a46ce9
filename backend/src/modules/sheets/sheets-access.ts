import { SHEETS_READING_SCOPES } from '@cadence/contracts';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ReauthRequiredError } from '../email-accounts/email-account-tokens';
import { EmailAccount } from '../email-accounts/email-account.entity';
import { EmailAccountsService } from '../email-accounts/email-accounts.service';
import { GmailTokenService } from '../email-accounts/gmail-token.service';
import { SheetsUnauthorizedError } from './sheets-api';

/** Where the web app sends a person to add Sheets access to a mailbox's Google grant. */
export function sheetsGrantUrl(accountId: string): string {
  return `/auth/gmail/connect?${new URLSearchParams({ accountId, grant: 'sheets' })}`;
}

export function canReadSheets(account: Pick<EmailAccount, 'scopes'>): boolean {
  return account.scopes.some((s) => SHEETS_READING_SCOPES.includes(s));
}

/** Access to one organization's connected Google account for reading Sheets: scope, a fresh token, one retry on 401. */
export interface SheetsSession {
  account: EmailAccount;
  /** Runs a read with the account's access token; a 401 refreshes the token once and runs it again. */
  read<T>(fn: (accessToken: string) => Promise<T>): Promise<T>;
}

@Injectable()
export class SheetsAccess {
  constructor(
    private readonly accounts: EmailAccountsService,
    private readonly tokens: GmailTokenService,
  ) {}

  async open(organizationId: string, accountId: string): Promise<SheetsSession> {
    // Another organization's account is not_found, exactly like one that does not exist.
    const account = await this.accounts.get(organizationId, accountId);
    if (account.status !== 'connected')
      throw new AppError('email_account_not_connected', `${account.email} is not connected; reconnect it in Settings first`);
    if (!canReadSheets(account)) throw this.scopeMissing(account);
    const token = async (force: boolean) => {
      try {
        return force ? await this.tokens.refresh(organizationId, account.id, true) : await this.tokens.getAccessToken(account);
      } catch (error) {
        if (error instanceof ReauthRequiredError)
          throw new AppError('email_account_not_connected', `${account.email} needs to be reconnected in Settings: ${error.message}`);
        throw new AppError('sheets_unavailable', `Google's token endpoint could not be reached: ${(error as Error).message}`);
      }
    };
    return {
      account,
      read: async (fn) => {
        try {
          return await fn((await token(false)).accessToken);
        } catch (error) {
          if (!(error instanceof SheetsUnauthorizedError)) throw this.withGrant(error, account);
        }
        try {
          return await fn((await token(true)).accessToken);
        } catch (error) {
          if (error instanceof SheetsUnauthorizedError)
            throw new AppError('email_account_not_connected', `Google refused ${account.email}'s access token; reconnect it in Settings`);
          throw this.withGrant(error, account);
        }
      },
    };
  }

  /** The grant's scopes are what Google says, not what we stored: a scope missing at Google is the same answer. */
  private withGrant(error: unknown, account: EmailAccount): unknown {
    return error instanceof AppError && error.code === 'sheets_scope_missing' ? this.scopeMissing(account) : error;
  }

  private scopeMissing(account: EmailAccount): AppError {
    return new AppError(
      'sheets_scope_missing',
      `${account.email} has not given Cadence read access to its Google spreadsheets: grant it (spreadsheets.readonly) and try again`,
      { accountId: account.id, scope: 'https://www.googleapis.com/auth/spreadsheets.readonly', grantUrl: sheetsGrantUrl(account.id) },
    );
  }
}
