import * as z from 'zod/mini';

/**
 * `message_events.type` values the backend records from provider webhooks and tracking endpoints.
 * `sent`, `delivered` and `failed` move a message's status; `failed_temporary` does not; `stop`,
 * `unsubscribed`, `complained` and a permanent bounce suppress the address, `start` lifts a STOP;
 * `replied` stops a `no_reply` sequence step. Twilio statuses without a meaning of their own are
 * kept as `sms_<status>` / `call_<status>`, and other Mailgun events under their Mailgun name.
 */
export const MESSAGE_EVENT_TYPES = [
  'sent',
  'delivered',
  'failed',
  'failed_temporary',
  'read',
  'opened',
  'clicked',
  'unsubscribed',
  'complained',
  'replied',
  'stop',
  'start',
] as const;
export type KnownMessageEventType = (typeof MESSAGE_EVENT_TYPES)[number];
export type MessageEventType = KnownMessageEventType | `sms_${string}` | `call_${string}` | (string & {});

export const KnownMessageEventTypeSchema = z.enum(MESSAGE_EVENT_TYPES);
export const MessageEventTypeSchema = z.string().check(z.minLength(1), z.maxLength(100));
