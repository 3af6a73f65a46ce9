import type { RequestContext } from '../http/request-context';
import { sendJson } from '../http/respond';
import type { FaultResponders } from '../core/fault-flow';

/** Twilio's REST error body: `{ code, message, more_info, status }`. */
export function twilioError(rc: RequestContext, status: number, code: number, message: string, headers?: Record<string, string>): void {
  sendJson(rc.res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
}

export function twilioUnauthorized(rc: RequestContext): void {
  twilioError(rc, 401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });
}

export function twilioTooManyRequests(rc: RequestContext, retryAfterSeconds: number): void {
  twilioError(rc, 429, 20429, 'Too Many Requests', { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
}

export const twilioFaultResponders: FaultResponders = {
  unauthorized: twilioUnauthorized,
  rateLimited: twilioTooManyRequests,
  serverError: (rc, status) =>
    twilioError(rc, status, status === 503 ? 20503 : 20500, status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
};
