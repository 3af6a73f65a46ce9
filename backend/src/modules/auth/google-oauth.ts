import { Injectable } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import passport from 'passport';
import { Profile, Strategy as GoogleStrategy } from 'passport-google-oauth20';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { AuthKeys } from './auth-keys';
import { PRE_AUTH_COOKIE } from './cookies';
import { googleConfigured, googleEndpoints } from './google-endpoints';
import { OAuthPurpose, OAuthState } from './oauth-state.entity';
import { OAuthStateStore, StateRequest } from './oauth-state.store';
import { SessionsService } from './sessions.service';

/** What Google answered at the end of a flow. */
export interface GoogleGrant {
  accessToken: string;
  refreshToken?: string;
  /** Scopes actually granted (the user may untick some), space-separated in `params.scope`. */
  scopes: string[];
  expiresInSeconds: number;
  profile: Profile;
}

export type CallbackOutcome =
  | { ok: true; grant: GoogleGrant; state: OAuthState }
  | { ok: false; message: string; code: 'access_denied' | 'state_invalid' | 'google_error' };

export interface StartOptions {
  scope: string[];
  state: StateRequest;
  callbackURL: string;
  loginHint?: string;
  /** Connect Gmail: refresh token + incremental authorization + the consent screen every time. */
  offline?: boolean;
}

/**
 * The OAuth flows, with passport-google-oauth20. One passport Authenticator per application instance
 * (not the global singleton), so several apps in one process (tests) keep their own configuration.
 */
@Injectable()
export class GoogleOAuth {
  private readonly authenticator = new passport.Authenticator();
  private readonly stores: Record<OAuthPurpose, OAuthStateStore>;

  constructor(
    private readonly env: Environment,
    dataSource: DataSource,
    keys: AuthKeys,
    sessions: SessionsService,
  ) {
    this.stores = {
      signin: new OAuthStateStore(
        dataSource,
        keys,
        'signin',
        async (req) => (req.cookies as Record<string, string> | undefined)?.[PRE_AUTH_COOKIE],
      ),
      gmail: new OAuthStateStore(dataSource, keys, 'gmail', async (req) => (await sessions.fromRequest(req))?.id),
    };
    if (!googleConfigured(env)) return;
    const endpoints = googleEndpoints(env);
    for (const purpose of ['signin', 'gmail'] as const) {
      const strategy = new GoogleStrategy(
        {
          clientID: env.GOOGLE_CLIENT_ID!,
          clientSecret: env.GOOGLE_CLIENT_SECRET!,
          authorizationURL: endpoints.authorizationUrl,
          tokenURL: endpoints.tokenUrl,
          userProfileURL: endpoints.userInfoUrl,
          // The store is typed for passport's own stores; ours follows the PKCE (req, verifier, state, meta, cb) contract.
          store: this.stores[purpose] as never,
          // PKCE with S256 on top of the client secret: an intercepted authorization code cannot be redeemed.
          pkce: true,
        },
        (
          accessToken: string,
          refreshToken: string,
          params: { scope?: string; expires_in?: number },
          profile: Profile,
          done: (err: null, user: GoogleGrant) => void,
        ) =>
          done(null, {
            accessToken,
            ...(refreshToken && { refreshToken }),
            scopes: (params.scope ?? '').split(/\s+/).filter(Boolean),
            expiresInSeconds: Number(params.expires_in ?? 3600),
            profile,
          }),
      );
      this.authenticator.use(`google-${purpose}`, strategy);
    }
  }

  get configured(): boolean {
    return googleConfigured(this.env);
  }

  /** Redirects the browser to Google's consent page; resolves once the redirect is written. */
  start(purpose: OAuthPurpose, req: Request, res: Response, options: StartOptions): Promise<void> {
    if (!this.configured)
      throw new AppError(
        'google_not_configured',
        'Google sign-in is not configured on this server (set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)',
      );
    return new Promise((resolve, reject) => {
      res.once('finish', () => resolve());
      const middleware = this.authenticator.authenticate(
        `google-${purpose}`,
        {
          session: false,
          scope: options.scope,
          state: options.state,
          callbackURL: options.callbackURL,
          ...(options.loginHint && { loginHint: options.loginHint }),
          ...(options.offline && { accessType: 'offline', prompt: 'consent', includeGrantedScopes: true }),
          // An object, so passport-oauth2 hands it to our state store instead of sending it as is.
        } as unknown as passport.AuthenticateOptions,
        (err: Error | null) => reject(err ?? new Error('OAuth start failed')),
      ) as RequestHandler;
      middleware(req, res, (err?: unknown) => reject(err instanceof Error ? err : new Error('OAuth start failed')));
    });
  }

  /** Checks the state, exchanges the code and loads the profile. */
  async callback(purpose: OAuthPurpose, req: Request, res: Response, callbackURL: string): Promise<CallbackOutcome> {
    if (!this.configured) return { ok: false, code: 'google_error', message: 'Google sign-in is not configured on this server' };
    const error = typeof req.query.error === 'string' ? req.query.error : undefined;
    if (error) {
      // The state still has to be spent, so a denied request cannot be replayed later.
      await this.stores[purpose].consume(req, typeof req.query.state === 'string' ? req.query.state : undefined).catch(() => undefined);
      return error === 'access_denied'
        ? { ok: false, code: 'access_denied', message: 'Access was not granted: the consent screen was cancelled.' }
        : { ok: false, code: 'google_error', message: `Google answered ${error}.` };
    }
    return new Promise((resolve) => {
      const middleware = this.authenticator.authenticate(
        `google-${purpose}`,
        { session: false, callbackURL } as passport.AuthenticateOptions,
        (err: Error | null, user: GoogleGrant | false, info: { message?: string; state?: OAuthState } | undefined) => {
          if (err) {
            const detail = (err as { code?: string }).code ?? err.message;
            resolve({ ok: false, code: 'google_error', message: `Google refused the authorization (${detail}). Please try again.` });
          } else if (!user || !info?.state) {
            resolve({ ok: false, code: 'state_invalid', message: info?.message ?? 'The authorization could not be verified.' });
          } else {
            resolve({ ok: true, grant: user, state: info.state });
          }
        },
      ) as RequestHandler;
      middleware(req, res, () => resolve({ ok: false, code: 'google_error', message: 'The authorization could not be completed.' }));
    });
  }
}
