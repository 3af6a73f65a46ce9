import type { RequestContext } from '../http/request-context';
import { sendJson } from '../http/respond';
import type { FaultResponders } from '../core/fault-flow';
import { randomToken } from '../core/ids';

/** Graph API error envelope. */
export function whatsappError(
  rc: RequestContext,
  status: number,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
): void {
  sendJson(rc.res, status, { error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: randomToken(12) } }, headers);
}

export function whatsappParamError(rc: RequestContext, message: string): void {
  whatsappError(rc, 400, 100, `(#100) ${message}`, { error_data: { messaging_product: 'whatsapp', details: message } });
}

export function whatsappUnauthorized(rc: RequestContext): void {
  whatsappError(
    rc,
    401,
    190,
    'Invalid OAuth access token - Cannot parse access token',
    {},
    { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"' },
  );
}

export function whatsappRateLimited(rc: RequestContext, retryAfterSeconds: number): void {
  whatsappError(
    rc,
    429,
    130429,
    '(#130429) Rate limit hit',
    { error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' } },
    { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  );
}

export const whatsappFaultResponders: FaultResponders = {
  unauthorized: whatsappUnauthorized,
  rateLimited: whatsappRateLimited,
  serverError: (rc, status) =>
    status === 503
      ? whatsappError(rc, 503, 2, 'Service temporarily unavailable', { is_transient: true })
      : whatsappError(rc, status, 1, 'An unknown error has occurred.', { is_transient: true }),
};
