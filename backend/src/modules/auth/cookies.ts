import type { CookieOptions, Request } from 'express';
import { Environment } from '../../config/environment';

export const SESSION_COOKIE = 'cadence_session';
/** Readable by the page's script: the double-submit CSRF token it echoes in `X-CSRF-Token`. */
export const CSRF_COOKIE = 'cadence_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Binds a sign-in's OAuth state to the browser that started it (login CSRF). */
export const PRE_AUTH_COOKIE = 'cadence_oauth';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Secure everywhere but on a loopback origin served over plain HTTP (local development and tests). */
export function secureCookies(env: Environment, req: Request): boolean {
  const origin = env.PUBLIC_URL ?? `${req.protocol}://${req.get('host') ?? ''}`;
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' || !LOCAL_HOSTS.has(url.hostname);
  } catch {
    return true;
  }
}

/** SameSite=Lax, not Strict: the OAuth callback is a top-level navigation from Google and must carry the session. */
export function cookieOptions(env: Environment, req: Request, maxAgeMs: number, httpOnly = true): CookieOptions {
  return { httpOnly, sameSite: 'lax', secure: secureCookies(env, req), path: '/', maxAge: maxAgeMs };
}

/** PUBLIC_URL, else the origin the request came to (development: the port is only known once listening). */
export function publicOrigin(env: Environment, req: Request): string {
  return (env.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`).replace(/\/+$/, '');
}

/** Only same-site paths: `/settings`, never `//evil.example` or `https://...`. */
export function safeReturnTo(value: unknown, fallback = '/settings'): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length < 500 ? value : fallback;
}
