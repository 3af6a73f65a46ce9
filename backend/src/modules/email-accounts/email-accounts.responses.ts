import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EmailAccountStatus } from './email-account.entity';

/** A connected mailbox (`presentEmailAccount`): never its tokens. */
export class EmailAccountResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** @example "gmail" */
  provider: string;

  email: string;

  /** The OAuth scopes Google granted. */
  scopes: string[];

  @ApiProperty({ enum: ['connected', 'reauth_required', 'disconnected'] })
  status: EmailAccountStatus;

  isPrimary: boolean;

  /** Messages per rolling 24 hours. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  dailyCap: number;

  lastError: string | null;

  /** When the inbox was last read for replies (Gmail history); null until the first read. */
  repliesCheckedAt: Date | null;

  /** Why the last read for replies failed; null once one works again. */
  repliesError: string | null;

  createdAt: Date;

  updatedAt: Date;
}

export class EmailAccountListResponse {
  items: EmailAccountResponse[];
}

/** The outcome of refreshing the token and reading the Gmail profile: 200 whether or not it worked. */
export class MailboxTestResponse {
  ok: boolean;

  @ApiPropertyOptional({ enum: ['reauth_required', 'unreachable', 'provider_error'] })
  code?: 'reauth_required' | 'unreachable' | 'provider_error';

  message: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The Gmail profile: emailAddress, messagesTotal' })
  details?: Record<string, unknown>;
}

export class EmailAccountDisconnectResponse extends EmailAccountResponse {
  /** Whether Google confirmed the revocation (the tokens are deleted either way). */
  revoked: boolean;

  message: string;
}
