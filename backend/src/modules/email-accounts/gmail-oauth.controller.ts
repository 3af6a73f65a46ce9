import { Controller, Get, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/public.decorator';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { publicOrigin } from '../auth/cookies';
import { GMAIL_SCOPES, SHEETS_GRANT_SCOPES } from '../auth/google-endpoints';
import { CallbackOutcome, GoogleOAuth } from '../auth/google-oauth';
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
    summary:
      "Starts Connect Gmail for the signed-in user (browser navigation; `accountId` reconnects that mailbox; with `grant=sheets`, asks that mailbox's Google account for spreadsheets.readonly only, added to what it granted before)",
  })
  @ApiFoundResponse({
    description: 'To Google; to /signin without a session; to /settings with `gmail_error` when Google is not configured',
  })
  async connect(
    @Req() req: Request,
    @Res() res: Response,
    @Query('accountId') accountId?: string,
    @Query('grant') grant?: string,
  ): Promise<void> {
    const session = await this.sessions.fromRequest(req);
    const sheets = grant === 'sheets';
    if (!session) return res.redirect(302, `/signin?returnTo=${encodeURIComponent(sheets ? '/leads/import?source=sheets' : '/settings')}`);
    if (!this.google.configured) return res.redirect(302, '/settings?gmail_error=google_not_configured');
    const reconnect =
      accountId && /^[0-9a-f-]{36}$/.test(accountId)
        ? await this.dataSource.getRepository(EmailAccount).findOneBy({ id: accountId, organizationId: session.organizationId })
        : null;
    // Sheets access is added to one connected mailbox's grant: without it there is nothing to add to.
    if (sheets && !reconnect) return res.redirect(302, '/leads/import?source=sheets&sheets_error=account_not_found');
    const user = await this.dataSource.getRepository(User).findOneBy({ id: session.userId });
    await this.google.start('gmail', req, res, {
      // Incremental authorization: only the new scope is asked for; Google's answer covers every scope granted so far.
      scope: sheets ? SHEETS_GRANT_SCOPES : GMAIL_SCOPES,
      offline: true,
      callbackURL: this.callbackUrl(req),
      ...((reconnect?.email ?? user?.email) && { loginHint: reconnect?.email ?? user!.email }),
      state: {
        purpose: 'gmail',
        binding: session.id,
        organizationId: session.organizationId,
        userId: session.userId,
        data: reconnect ? { accountId: reconnect.id, ...(sheets && { grant: 'sheets' }) } : {},
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
    if (outcome.state.data.grant === 'sheets') return this.sheetsGranted(res, session.organizationId, outcome);
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

  /** The end of "grant access" for Sheets: back to the import, which reads the account's scopes again. */
  private async sheetsGranted(res: Response, organizationId: string, outcome: Extract<CallbackOutcome, { ok: true }>): Promise<void> {
    const accountId = String(outcome.state.data.accountId);
    const back = (q: Record<string, string>) =>
      res.redirect(302, `/leads/import?${new URLSearchParams({ source: 'sheets', accountId, ...q })}`);
    const account = await this.dataSource.getRepository(EmailAccount).findOneBy({ id: accountId, organizationId });
    const email = (outcome.grant.profile.emails?.[0]?.value ?? '').trim().toLowerCase();
    // Google lets the person pick any of their accounts on the consent screen: the grant must be the mailbox's own.
    if (!account || email !== account.email) return back({ sheets_error: 'account_mismatch' });
    try {
      await this.accounts.connect(organizationId, outcome.grant);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.logger.warn(`Granting Sheets access failed: ${error.message}`);
      return back({ sheets_error: 'google_error' });
    }
    back({});
  }
}
