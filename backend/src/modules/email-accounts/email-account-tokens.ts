import { EmailAccount } from './email-account.entity';

export interface AccessToken {
  accessToken: string;
  expiresAt: Date;
}

/**
 * Gives a short-lived Gmail access token for a connected mailbox; refreshes as needed. The OAuth
 * module provides the implementation; the refresh token never leaves it.
 */
export abstract class EmailAccountTokens {
  abstract getAccessToken(account: EmailAccount): Promise<AccessToken>;
}

/** Raised when a mailbox cannot send until a person reconnects it. */
export class ReauthRequiredError extends Error {
  constructor(
    readonly accountId: string,
    reason: string,
  ) {
    super(reason);
  }
}
