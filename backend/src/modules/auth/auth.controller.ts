import { Controller, Get, HttpCode, Logger, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiFoundResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { Public } from '../../common/auth/public.decorator';
import { AppError } from '../../common/errors/app-error';
import { ApiErrors } from '../../common/http/api-errors';
import { PublicRouteThrottle } from '../../common/security/public-route.throttle';
import { Environment } from '../../config/environment';
import { UsersService } from '../users/users.service';
import { cookieOptions, PRE_AUTH_COOKIE, publicOrigin, safeReturnTo } from './cookies';
import { googleConfigured, signupMode, SIGN_IN_SCOPES } from './google-endpoints';
import { GoogleOAuth } from './google-oauth';
import { AuthStatusResponse } from './auth.responses';
import { SessionsService } from './sessions.service';

const PRE_AUTH_TTL_MS = 10 * 60_000;

/** Sign-in for people: "Sign in with Google" (openid email profile), then a session cookie. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly env: Environment,
    private readonly google: GoogleOAuth,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Get('status')
  @ApiOperation({ summary: 'What the sign-in page needs: is Google configured, may unknown addresses sign up' })
  @ApiOkResponse({ type: AuthStatusResponse })
  status() {
    return { google: googleConfigured(this.env), signupMode: signupMode(this.env) };
  }

  @Public()
  // Each start of a sign-in stores an OAuth state row: anyone could otherwise fill the table.
  @UseGuards(PublicRouteThrottle)
  @Get('google')
  @ApiOperation({ summary: 'Starts "Sign in with Google" (redirects to Google)' })
  @ApiFoundResponse({ description: 'To Google, or back to /signin with an `error` when Google is not configured' })
  @ApiErrors('rate_limited')
  async signIn(
    @Req() req: Request,
    @Res() res: Response,
    @Query('returnTo') returnTo?: string,
    @Query('invitation') invitation?: string,
  ): Promise<void> {
    if (!this.google.configured) return res.redirect(302, '/signin?error=google_not_configured');
    const binding = randomBytes(32).toString('base64url');
    res.cookie(PRE_AUTH_COOKIE, binding, { ...cookieOptions(this.env, req, PRE_AUTH_TTL_MS), path: '/auth' });
    await this.google.start('signin', req, res, {
      scope: SIGN_IN_SCOPES,
      callbackURL: `${publicOrigin(this.env, req)}/auth/google/callback`,
      // An invitation link's token rides in the (server-side) state to the callback, where it is accepted.
      state: {
        purpose: 'signin',
        binding,
        data: { returnTo: safeReturnTo(returnTo), ...(typeof invitation === 'string' && invitation.length <= 100 && { invitation }) },
      },
    });
  }

  @Public()
  @Get('google/callback')
  @ApiExcludeEndpoint()
  async signInCallback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const outcome = await this.google.callback('signin', req, res, `${publicOrigin(this.env, req)}/auth/google/callback`);
    res.clearCookie(PRE_AUTH_COOKIE, { path: '/auth' });
    if (!outcome.ok) return res.redirect(302, `/signin?error=${outcome.code}`);
    const profile = outcome.grant.profile;
    const json = (profile._json ?? {}) as { email_verified?: boolean | string };
    try {
      const user = await this.users.signIn(
        {
          subject: profile.id,
          email: profile.emails?.[0]?.value ?? '',
          emailVerified:
            json.email_verified === undefined
              ? Boolean(profile.emails?.[0]?.verified ?? true)
              : json.email_verified === true || json.email_verified === 'true',
          ...(profile.displayName && { name: profile.displayName }),
        },
        typeof outcome.state.data.invitation === 'string' ? outcome.state.data.invitation : undefined,
      );
      await this.sessions.start(user, req, res);
      res.redirect(302, safeReturnTo(outcome.state.data.returnTo));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.logger.warn(`Sign-in refused: ${error.message}`);
      const shown = ['signup_closed', 'invitation_invalid', 'invitation_required'].includes(error.code) ? error.code : 'signin_refused';
      res.redirect(302, `/signin?error=${shown}`);
    }
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Ends the web session (needs X-CSRF-Token)' })
  @ApiNoContentResponse({ description: 'Signed out (also when there was no session)' })
  @ApiErrors('csrf_failed')
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.end(req, res);
  }
}
