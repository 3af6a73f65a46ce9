import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EmailAccountActionsController } from './email-account-actions.controller';
import { EmailAccountTokens } from './email-account-tokens';
import { EmailAccountsController } from './email-accounts.controller';
import { EmailAccountsService } from './email-accounts.service';
import { GmailAccountsService } from './gmail-accounts.service';
import { GmailOAuthController } from './gmail-oauth.controller';
import { GmailTokenService } from './gmail-token.service';

/** Sending mailboxes: the list, Gmail's OAuth connect flow, mailbox actions and the engine's `EmailAccountTokens` (global). */
@Global()
@Module({
  imports: [AuthModule],
  controllers: [EmailAccountsController, GmailOAuthController, EmailAccountActionsController],
  providers: [
    EmailAccountsService,
    GmailTokenService,
    GmailAccountsService,
    { provide: EmailAccountTokens, useExisting: GmailTokenService },
  ],
  exports: [EmailAccountsService, GmailTokenService, EmailAccountTokens],
})
export class EmailAccountsModule {}
