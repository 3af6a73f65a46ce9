import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EmailAccountTokens } from '../email-accounts/email-account-tokens';
import { EmailAccountsModule } from '../email-accounts/email-accounts.module';
import { EmailAccountActionsController } from './email-account-actions.controller';
import { GmailAccountsService } from './gmail-accounts.service';
import { GmailOAuthController } from './gmail-oauth.controller';
import { GmailTokenService } from './gmail-token.service';

/** Gmail through OAuth: connect flow, mailbox actions, and the engine's `EmailAccountTokens` (global). */
@Global()
@Module({
  imports: [AuthModule, EmailAccountsModule],
  controllers: [GmailOAuthController, EmailAccountActionsController],
  providers: [GmailTokenService, GmailAccountsService, { provide: EmailAccountTokens, useExisting: GmailTokenService }],
  exports: [GmailTokenService, EmailAccountTokens],
})
export class GmailModule {}
