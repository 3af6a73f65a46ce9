import { createHash } from 'node:crypto';
import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import { basicAuth, bearerToken, type RequestContext } from '../http/request-context';
import { redirect, sendJson, sendText } from '../http/respond';
import { parseForm } from '../http/form';
import { faultAfterAccept, faultsBeforeAccept, type FaultResponders } from '../core/fault-flow';
import { renderConsentPage, renderOAuthErrorPage } from './google-consent.page';
import { BASIC_SCOPES, GoogleOAuthState, idToken, userProfile, type AccessToken } from './google-oauth.state';

const DEFAULT_USER = 'sandbox.user@cadence.test';

function tokenError(rc: RequestContext, status: number, error: string, description: string): void {
  sendJson(rc.res, status, { error, error_description: description });
}

const tokenResponders: FaultResponders = {
  unauthorized: (rc) => tokenError(rc, 401, 'invalid_client', 'Unauthorized'),
  rateLimited: (rc, s) =>
    sendJson(
      rc.res,
      429,
      { error: 'rate_limit_exceeded', error_description: 'Rate Limit Exceeded' },
      { 'retry-after': String(Math.max(1, Math.ceil(s))) },
    ),
  serverError: (rc, status) => tokenError(rc, status, 'internal_failure', 'Backend Error'),
  invalidGrant: (rc) => tokenError(rc, 400, 'invalid_grant', 'Token has been expired or revoked.'),
};

function normaliseScopes(raw: string): string[] {
  return [...new Set(raw.split(/[\s+]+/).filter(Boolean))];
}

function pkceMatches(verifier: string | undefined, challenge: string, method: string | undefined): boolean {
  if (!verifier) return false;
  if ((method ?? 'plain').toUpperCase() === 'S256') return createHash('sha256').update(verifier).digest('base64url') === challenge;
  return verifier === challenge;
}

export function registerGoogleOAuth(router: Router, ctx: SandboxContext): GoogleOAuthState {
  const state = new GoogleOAuthState();
  ctx.resettables.push(state);

  const htmlError = (rc: RequestContext, status: number, error: string, description: string) =>
    sendText(rc.res, status, renderOAuthErrorPage(status, error, description), 'text/html; charset=utf-8');

  /** Validates an authorization request; answers the error page itself when it is invalid. */
  const checkAuthRequest = (rc: RequestContext, q: URLSearchParams): boolean => {
    const clientId = q.get('client_id');
    const redirectUri = q.get('redirect_uri');
    if (!clientId) return (htmlError(rc, 400, 'invalid_request', 'Missing required parameter: client_id'), false);
    if (!ctx.credentials.checkGoogleClient(clientId))
      return (htmlError(rc, 401, 'invalid_client', 'The OAuth client was not found.'), false);
    if (!redirectUri) return (htmlError(rc, 400, 'invalid_request', 'Missing required parameter: redirect_uri'), false);
    if (!ctx.credentials.googleRedirectAllowed(clientId, redirectUri)) {
      return (
        htmlError(
          rc,
          400,
          'redirect_uri_mismatch',
          `The redirect URI in the request, ${redirectUri}, does not match the ones authorized for the OAuth client.`,
        ),
        false
      );
    }
    if ((q.get('response_type') ?? 'code') !== 'code')
      return (htmlError(rc, 400, 'unsupported_response_type', 'Only response_type=code is supported.'), false);
    if (!q.get('scope')) return (htmlError(rc, 400, 'invalid_request', 'Missing required parameter: scope'), false);
    return true;
  };

  const finish = (rc: RequestContext, q: URLSearchParams, decision: string, email: string, chosen: string[] | undefined) => {
    const target = new URL(q.get('redirect_uri')!);
    const stateParam = q.get('state');
    if (decision !== 'allow') {
      target.searchParams.set('error', 'access_denied');
      if (stateParam !== null) target.searchParams.set('state', stateParam);
      return redirect(rc.res, target.toString());
    }
    const clientId = q.get('client_id')!;
    const requested = normaliseScopes(q.get('scope')!);
    // Basic scopes cannot be withheld; others only when the user left their box ticked.
    const granted = requested.filter((s) => BASIC_SCOPES.has(s) || !chosen || chosen.includes(s));
    const previous = state.grantedScopes(clientId, email);
    const tokenScopes = q.get('include_granted_scopes') === 'true' ? [...new Set([...previous, ...granted])] : granted;
    const offline = q.get('access_type') === 'offline';
    const forceConsent = (q.get('prompt') ?? '').split(' ').includes('consent');
    const code = state.issueCode({
      clientId,
      email,
      scopes: tokenScopes,
      redirectUri: q.get('redirect_uri')!,
      issueRefresh: offline && (forceConsent || !state.hasRefreshToken(clientId, email)),
      ...(q.get('nonce') ? { nonce: q.get('nonce')! } : {}),
      ...(q.get('code_challenge')
        ? { codeChallenge: q.get('code_challenge')!, codeChallengeMethod: q.get('code_challenge_method') ?? 'plain' }
        : {}),
    });
    if (stateParam !== null) target.searchParams.set('state', stateParam);
    target.searchParams.set('code', code);
    target.searchParams.set('scope', tokenScopes.join(' '));
    target.searchParams.set('authuser', '0');
    target.searchParams.set('prompt', 'consent');
    redirect(rc.res, target.toString());
  };

  const authPage = (rc: RequestContext) => {
    const q = rc.query;
    if (!checkAuthRequest(rc, q)) return;
    const email = (q.get('login_hint') || DEFAULT_USER).toLowerCase();
    // Sandbox-only shortcut for headless tests: decide without rendering the page.
    const auto = q.get('sandbox_decision');
    if (auto) {
      const chosen = q.get('sandbox_scopes');
      return finish(rc, q, auto, email, chosen === null ? undefined : normaliseScopes(chosen));
    }
    const requested = normaliseScopes(q.get('scope')!);
    sendText(
      rc.res,
      200,
      renderConsentPage({
        clientId: q.get('client_id')!,
        email,
        requested,
        alreadyGranted: state.grantedScopes(q.get('client_id')!, email),
        requestQuery: q.toString(),
      }),
      'text/html; charset=utf-8',
    );
  };
  router.add('GET', /^\/o\/oauth2\/v2\/auth$/, authPage);
  router.add('GET', /^\/o\/oauth2\/auth$/, authPage);

  router.add('POST', /^\/o\/oauth2\/v2\/auth\/decision$/, async (rc) => {
    const f = await parseForm(rc);
    const q = new URLSearchParams(f.get('request') ?? '');
    if (!checkAuthRequest(rc, q)) return;
    const email = (f.get('email') || q.get('login_hint') || DEFAULT_USER).trim().toLowerCase();
    finish(rc, q, f.get('decision') ?? 'deny', email, f.all('scope'));
  });

  router.add('POST', /^\/(?:token|o\/oauth2\/token|oauth2\/v4\/token)$/, async (rc) => {
    const f = await parseForm(rc);
    const basic = basicAuth(rc);
    const clientId = f.get('client_id') ?? basic?.username;
    const clientSecret = f.get('client_secret') ?? basic?.password;
    if (!clientId) return tokenError(rc, 400, 'invalid_request', 'Could not determine client ID from request.');
    if (!ctx.credentials.checkGoogleClient(clientId, clientSecret ?? '')) return tokenError(rc, 401, 'invalid_client', 'Unauthorized');
    const grantType = f.get('grant_type');
    const issuer = 'https://accounts.google.com';

    if (grantType === 'authorization_code') {
      const code = state.consumeCode(f.get('code') ?? '');
      if (!code || code.clientId !== clientId) return tokenError(rc, 400, 'invalid_grant', 'Malformed auth code.');
      if (code.redirectUri !== f.get('redirect_uri')) return tokenError(rc, 400, 'redirect_uri_mismatch', 'Bad Request');
      if (code.codeChallenge && !pkceMatches(f.get('code_verifier'), code.codeChallenge, code.codeChallengeMethod)) {
        return tokenError(rc, 400, 'invalid_grant', 'Invalid code verifier.');
      }
      const after = await faultsBeforeAccept(ctx, rc, 'google-oauth', 'token', [code.email], tokenResponders);
      if (after === false) return;
      const at = state.issueAccessToken(clientId, code.email, code.scopes);
      const body: Record<string, unknown> = {
        access_token: at.token,
        expires_in: state.accessTokenTtlSeconds,
        scope: code.scopes.join(' '),
        token_type: 'Bearer',
      };
      if (code.issueRefresh) body.refresh_token = state.issueRefreshToken(clientId, code.email, code.scopes).token;
      if (code.scopes.includes('openid'))
        body.id_token = idToken(issuer, clientId, clientSecret ?? '', code.email, code.scopes, code.nonce);
      if (faultAfterAccept(rc, after)) return;
      return sendJson(rc.res, 200, body, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' });
    }

    if (grantType === 'refresh_token') {
      const rt = state.refreshToken(f.get('refresh_token') ?? '');
      if (!rt) return tokenError(rc, 400, 'invalid_grant', 'Token has been expired or revoked.');
      if (rt.clientId !== clientId) return tokenError(rc, 400, 'unauthorized_client', 'Unauthorized');
      const responders: FaultResponders = { ...tokenResponders, revoke: () => state.revokeToken(rt.token) };
      const faulted = await faultsBeforeAccept(ctx, rc, 'google-oauth', 'token', [rt.email], {
        ...responders,
        unauthorized: (r) => tokenError(r, 400, 'invalid_grant', 'Token has been expired or revoked.'),
        invalidGrant: (r) => tokenError(r, 400, 'invalid_grant', 'Token has been expired or revoked.'),
      });
      if (faulted === false) return;
      if (faulted && faulted.type === 'reset-after') state.issueAccessToken(clientId, rt.email, rt.scopes);
      if (faultAfterAccept(rc, faulted)) return;
      const at = state.issueAccessToken(clientId, rt.email, rt.scopes);
      const body: Record<string, unknown> = {
        access_token: at.token,
        expires_in: state.accessTokenTtlSeconds,
        scope: rt.scopes.join(' '),
        token_type: 'Bearer',
      };
      if (rt.scopes.includes('openid')) body.id_token = idToken(issuer, clientId, clientSecret ?? '', rt.email, rt.scopes);
      return sendJson(rc.res, 200, body, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' });
    }

    tokenError(rc, 400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  });

  router.add('POST', /^\/(?:revoke|o\/oauth2\/revoke)$/, async (rc) => {
    const f = await parseForm(rc);
    const token = rc.query.get('token') ?? f.get('token');
    if (!token || !state.revokeToken(token)) return tokenError(rc, 400, 'invalid_token', 'Token expired or revoked');
    sendJson(rc.res, 200, {});
  });

  const authorised = (rc: RequestContext): AccessToken | undefined => {
    const t = state.accessToken(bearerToken(rc) ?? '');
    if (typeof t === 'string') {
      sendJson(
        rc.res,
        401,
        { error: 'invalid_request', error_description: 'Invalid Credentials' },
        { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      );
      return undefined;
    }
    return t;
  };

  router.add('GET', /^\/(?:oauth2\/v3\/userinfo|v1\/userinfo|openidconnect\/v1\/userinfo)$/, (rc) => {
    const t = authorised(rc);
    if (!t) return;
    const p = userProfile(t.email);
    const body: Record<string, unknown> = { sub: p.sub };
    if (t.scopes.some((s) => s === 'profile' || s.endsWith('userinfo.profile')))
      Object.assign(body, { name: p.name, given_name: p.givenName, family_name: p.familyName, picture: p.picture });
    if (t.scopes.some((s) => s === 'email' || s.endsWith('userinfo.email'))) Object.assign(body, { email: t.email, email_verified: true });
    sendJson(rc.res, 200, body);
  });

  router.add('GET', /^\/oauth2\/v2\/userinfo$/, (rc) => {
    const t = authorised(rc);
    if (!t) return;
    const p = userProfile(t.email);
    const body: Record<string, unknown> = { id: p.sub };
    if (t.scopes.some((s) => s === 'email' || s.endsWith('userinfo.email'))) Object.assign(body, { email: t.email, verified_email: true });
    if (t.scopes.some((s) => s === 'profile' || s.endsWith('userinfo.profile')))
      Object.assign(body, { name: p.name, given_name: p.givenName, family_name: p.familyName, picture: p.picture });
    sendJson(rc.res, 200, body);
  });

  const tokenInfo = async (rc: RequestContext) => {
    const f = rc.method === 'POST' ? await parseForm(rc) : undefined;
    const value = rc.query.get('access_token') ?? f?.get('access_token') ?? bearerToken(rc) ?? '';
    const t = state.accessToken(value);
    if (typeof t === 'string') return tokenError(rc, 400, 'invalid_token', 'Invalid Value');
    const p = userProfile(t.email);
    sendJson(rc.res, 200, {
      azp: t.clientId,
      aud: t.clientId,
      sub: p.sub,
      scope: t.scopes.join(' '),
      exp: String(Math.floor(t.expiresAt / 1000)),
      expires_in: String(Math.max(0, Math.floor((t.expiresAt - Date.now()) / 1000))),
      email: t.email,
      email_verified: 'true',
      access_type: state.hasRefreshToken(t.clientId, t.email) ? 'offline' : 'online',
    });
  };
  router.add('GET', /^\/(?:tokeninfo|oauth2\/v3\/tokeninfo)$/, tokenInfo);
  router.add('POST', /^\/(?:tokeninfo|oauth2\/v3\/tokeninfo)$/, tokenInfo);

  return state;
}
