import type { RequestContext } from '../http/request-context';
import { sendJson } from '../http/respond';

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
};

/** Google JSON error envelope: `{ error: { code, message, errors: [{ message, domain, reason }], status } }`. */
export function gmailError(
  rc: RequestContext,
  code: number,
  message: string,
  reason: string,
  domain = 'global',
  headers?: Record<string, string>,
  extra: Record<string, string> = {},
): void {
  sendJson(
    rc.res,
    code,
    { error: { code, message, errors: [{ message, domain, reason, ...extra }], status: STATUS_TEXT[code] ?? 'UNKNOWN' } },
    headers,
  );
}

export function gmailUnauthorized(rc: RequestContext): void {
  gmailError(
    rc,
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    'authError',
    'global',
    { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    { location: 'Authorization', locationType: 'header' },
  );
}

export function gmailRateLimited(rc: RequestContext, retryAfterSeconds: number): void {
  const at = new Date(Date.now() + retryAfterSeconds * 1000).toISOString();
  gmailError(rc, 429, `User-rate limit exceeded.  Retry after ${at}`, 'rateLimitExceeded', 'usageLimits', {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
}

export function gmailDailyLimit(rc: RequestContext, resetAt: Date): void {
  gmailError(rc, 403, 'Daily user sending quota exceeded.', 'dailyLimitExceeded', 'usageLimits', {
    'retry-after': String(Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000))),
  });
}

export function gmailInsufficientScope(rc: RequestContext): void {
  gmailError(rc, 403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', 'global', {
    'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"',
  });
}

export function gmailServerError(rc: RequestContext, status: number): void {
  gmailError(
    rc,
    status,
    status === 503 ? 'The service is currently unavailable.' : 'Internal error encountered.',
    status === 503 ? 'backendError' : 'internalError',
  );
}
