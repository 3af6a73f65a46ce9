import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';

/**
 * A Cloud Pub/Sub push of a Gmail notification (https://developers.google.com/workspace/gmail/api/guides/push):
 * `message.data` is base64 JSON `{ emailAddress, historyId }`. The subscription's endpoint URL carries a
 * secret token (one of the ways Google documents to authenticate a push endpoint), compared in constant time.
 */
export function readGmailPush(expectedToken: string | undefined, token: string, body: unknown): { emailAddress: string } {
  if (!expectedToken) throw new AppError('not_found', 'Gmail push is not configured on this server');
  const a = Buffer.from(token);
  const b = Buffer.from(expectedToken);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new AppError('invalid_signature', 'The push token does not match');
  const data = (body as { message?: { data?: unknown } } | null)?.message?.data;
  if (typeof data !== 'string' || data.length > 10_000) throw new AppError('invalid_inbound_message', 'message.data must be base64 JSON');
  let decoded: { emailAddress?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { emailAddress?: unknown };
  } catch {
    throw new AppError('invalid_inbound_message', 'message.data must be base64 JSON');
  }
  if (typeof decoded?.emailAddress !== 'string' || !decoded.emailAddress.includes('@'))
    throw new AppError('invalid_inbound_message', 'The notification names no emailAddress');
  return { emailAddress: decoded.emailAddress };
}
