import { createHash, createHmac } from 'node:crypto';
import type { Resettable } from '../context';
import { randomToken } from '../core/ids';

export const BASIC_SCOPES = new Set([
  'openid',
  'email',
  'profile',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
]);

export interface AuthCode {
  clientId: string;
  email: string;
  scopes: string[];
  redirectUri: string;
  issueRefresh: boolean;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

export interface AccessToken {
  token: string;
  clientId: string;
  email: string;
  scopes: string[];
  expiresAt: number;
  grantKey: string;
}

export interface RefreshToken {
  token: string;
  clientId: string;
  email: string;
  scopes: string[];
  grantKey: string;
}

interface Grant {
  clientId: string;
  email: string;
  scopes: Set<string>;
  refreshTokens: Set<string>;
  accessTokens: Set<string>;
}

/** Everything Google's authorization server remembers: grants per (client, user) and their tokens. */
export class GoogleOAuthState implements Resettable {
  accessTokenTtlSeconds = 3599;
  private grants = new Map<string, Grant>();
  private codes = new Map<string, AuthCode>();
  private accessTokens = new Map<string, AccessToken>();
  private refreshTokens = new Map<string, RefreshToken>();

  grantKey(clientId: string, email: string): string {
    return `${clientId}\u0000${email.toLowerCase()}`;
  }

  grantedScopes(clientId: string, email: string): string[] {
    return [...(this.grants.get(this.grantKey(clientId, email))?.scopes ?? [])];
  }

  hasRefreshToken(clientId: string, email: string): boolean {
    return (this.grants.get(this.grantKey(clientId, email))?.refreshTokens.size ?? 0) > 0;
  }

  private grant(clientId: string, email: string): Grant {
    const key = this.grantKey(clientId, email);
    let g = this.grants.get(key);
    if (!g) {
      g = { clientId, email: email.toLowerCase(), scopes: new Set(), refreshTokens: new Set(), accessTokens: new Set() };
      this.grants.set(key, g);
    }
    return g;
  }

  issueCode(code: Omit<AuthCode, 'expiresAt'>): string {
    const value = '4/0A' + randomToken(36);
    this.codes.set(value, { ...code, expiresAt: Date.now() + 10 * 60_000 });
    const g = this.grant(code.clientId, code.email);
    for (const s of code.scopes) g.scopes.add(s);
    return value;
  }

  /** Codes are single-use: the first exchange consumes them, right or wrong. */
  consumeCode(value: string): AuthCode | undefined {
    const c = this.codes.get(value);
    this.codes.delete(value);
    if (!c || c.expiresAt < Date.now()) return undefined;
    return c;
  }

  issueAccessToken(clientId: string, email: string, scopes: string[]): AccessToken {
    const key = this.grantKey(clientId, email);
    const t: AccessToken = {
      token: 'ya29.' + randomToken(48),
      clientId,
      email: email.toLowerCase(),
      scopes,
      expiresAt: Date.now() + this.accessTokenTtlSeconds * 1000,
      grantKey: key,
    };
    this.accessTokens.set(t.token, t);
    this.grant(clientId, email).accessTokens.add(t.token);
    return t;
  }

  issueRefreshToken(clientId: string, email: string, scopes: string[]): RefreshToken {
    const key = this.grantKey(clientId, email);
    const t: RefreshToken = { token: '1//0' + randomToken(60), clientId, email: email.toLowerCase(), scopes, grantKey: key };
    this.refreshTokens.set(t.token, t);
    this.grant(clientId, email).refreshTokens.add(t.token);
    return t;
  }

  refreshToken(value: string): RefreshToken | undefined {
    return this.refreshTokens.get(value);
  }

  /** 'expired' and 'invalid' are told apart only for the dashboard; both answer 401. */
  accessToken(value: string): AccessToken | 'expired' | 'invalid' {
    const t = this.accessTokens.get(value);
    if (!t) return 'invalid';
    if (t.expiresAt <= Date.now()) return 'expired';
    return t;
  }

  /** Revoking any token of a grant revokes the whole grant, as Google does. */
  revokeToken(value: string): boolean {
    const t = this.accessTokens.get(value) ?? this.refreshTokens.get(value);
    if (!t) return false;
    this.revokeGrant(t.grantKey);
    return true;
  }

  revokeUser(email: string): number {
    let n = 0;
    for (const [key, g] of this.grants) {
      if (g.email === email.toLowerCase()) {
        this.revokeGrant(key);
        n += 1;
      }
    }
    return n;
  }

  expireUser(email: string | undefined): number {
    let n = 0;
    for (const t of this.accessTokens.values()) {
      if (!email || t.email === email.toLowerCase()) {
        t.expiresAt = Date.now() - 1;
        n += 1;
      }
    }
    return n;
  }

  private revokeGrant(key: string): void {
    const g = this.grants.get(key);
    if (!g) return;
    for (const t of g.accessTokens) this.accessTokens.delete(t);
    for (const t of g.refreshTokens) this.refreshTokens.delete(t);
    this.grants.delete(key);
  }

  summary(): { clientId: string; email: string; scopes: string[]; refreshTokens: number; accessTokens: number }[] {
    return [...this.grants.values()].map((g) => ({
      clientId: g.clientId,
      email: g.email,
      scopes: [...g.scopes],
      refreshTokens: g.refreshTokens.size,
      accessTokens: g.accessTokens.size,
    }));
  }

  resetTraffic(): void {}

  resetConfig(): void {
    this.grants.clear();
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.accessTokenTtlSeconds = 3599;
  }
}

export function userProfile(email: string): { sub: string; name: string; givenName: string; familyName: string; picture: string } {
  const local = email.split('@')[0] ?? email;
  const parts = local
    .split(/[._+-]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1));
  const givenName = parts[0] ?? 'Sandbox';
  const familyName = parts.slice(1).join(' ') || 'User';
  const digest = createHash('sha256').update(email.toLowerCase()).digest();
  const sub = '1' + (digest.readBigUInt64BE(0) % 10n ** 20n).toString().padStart(20, '0');
  return {
    sub,
    name: `${givenName} ${familyName}`,
    givenName,
    familyName,
    picture: `https://lh3.googleusercontent.com/a/sandbox-${sub.slice(-8)}`,
  };
}

/** OpenID id_token signed HS256 with the client secret (OIDC allows it for confidential clients). */
export function idToken(issuer: string, clientId: string, clientSecret: string, email: string, scopes: string[], nonce?: string): string {
  const p = userProfile(email);
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { iss: issuer, azp: clientId, aud: clientId, sub: p.sub, iat: now, exp: now + 3600 };
  if (scopes.includes('email') || scopes.some((s) => s.endsWith('userinfo.email'))) {
    claims.email = email;
    claims.email_verified = true;
  }
  if (scopes.includes('profile') || scopes.some((s) => s.endsWith('userinfo.profile'))) {
    claims.name = p.name;
    claims.given_name = p.givenName;
    claims.family_name = p.familyName;
    claims.picture = p.picture;
  }
  if (nonce) claims.nonce = nonce;
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${enc({ alg: 'HS256', typ: 'JWT', kid: 'sandbox-hs256' })}.${enc(claims)}`;
  return `${unsigned}.${createHmac('sha256', clientSecret).update(unsigned).digest('base64url')}`;
}
