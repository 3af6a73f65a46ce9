import { Controller, Get, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/public.decorator';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { publicOrigin } from '../auth/cookies';
import { GMAIL_SCOPES } from '../auth/google-endpoints';
import { GoogleOAuth } from '../auth/google-oauth';
import { SessionsService } from '../auth/sessions.service';
import { EmailAccount } from './email-account.entity';
import { User } from '../users/user.entity';
import { DataSource } from 'typeorm';
import { GmailAccountsService } from './gmail-accounts.service';

/**
 * Connect Gmail from Settings: incremental authorization for gmail.send + gmail.readonly, offline access,
 * consent prompt; the state is signed, single-use and bound to the signed-in session and organization.
 * Browser navigations, so both routes answer with redirects back to /settings, never JSON.
 */
@ApiTags('auth')
@Controller('auth/gmail')
export class GmailOAuthController {
  private readonly logger = new Logger('ConnectGmail');

  constructor(
    private readonly env: Environment,
    private readonly dataSource: DataSource,
    private readonly google: GoogleOAuth,
    private readonly sessions: SessionsService,
    private readonly accounts: GmailAccountsService,
  ) {}

  private callbackUrl(req: Request): string {
    return `${publicOrigin(this.env, req)}/auth/gmail/callback`;
  }

  @Public()
  @Get('connect')
  @ApiOperation({
    operationId: 'auth_connectGmail',
    summary: 'Starts Connect Gmail for the signed-in user (browser navigation; `accountId` reconnects that mailbox)',
  })
  @ApiFoundResponse({
    description: 'To Google; to /signin without a session; to /settings with `gmail_error` when Google is not configured',
  })
  async connect(@Req() req: Request, @Res() res: Response, @Query('accountId') accountId?: string): Promise<void> {
    const session = await this.sessions.fromRequest(req);
    if (!session) return res.redirect(302, '/signin?returnTo=%2Fsettings');
    if (!this.google.configured) return res.redirect(302, '/settings?gmail_error=google_not_configured');
    const reconnect =
      accountId && /^[0-9a-f-]{36}$/.test(accountId)
        ? await this.dataSource.getRepository(EmailAccount).findOneBy({ id: accountId, organizationId: session.organizationId })
        : null;
    const user = await this.dataSource.getRepository(User).findOneBy({ id: session.userId });
    await this.google.start('gmail', req, res, {
      scope: GMAIL_SCOPES,
      offline: true,
      callbackURL: this.callbackUrl(req),
      ...((reconnect?.email ?? user?.email) && { loginHint: reconnect?.email ?? user!.email }),
      state: {
        purpose: 'gmail',
        binding: session.id,
        organizationId: session.organizationId,
        userId: session.userId,
        data: reconnect ? { accountId: reconnect.id } : {},
      },
    });
  }

  @Public()
  @Get('callback')
  @ApiExcludeEndpoint()
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const session = await this.sessions.fromRequest(req);
    if (!session) return res.redirect(302, '/signin?error=session_expired');
    const outcome = await this.google.callback('gmail', req, res, this.callbackUrl(req));
    if (!outcome.ok) return res.redirect(302, `/settings?gmail_error=${outcome.code}`);
    // The binding already proved it is this session; the organization must be the one it started in too.
    if (outcome.state.organizationId !== session.organizationId || outcome.state.userId !== session.userId) {
      return res.redirect(302, '/settings?gmail_error=state_invalid');
    }
    try {
      const { account, usable } = await this.accounts.connect(session.organizationId, outcome.grant);
      const q = new URLSearchParams(usable ? { connected: account.email } : { gmail_error: 'send_scope_missing', email: account.email });
      res.redirect(302, `/settings?${q}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.logger.warn(`Connect Gmail failed: ${error.message}`);
      res.redirect(302, '/settings?gmail_error=google_error');
    }
  }
}
