import * as z from 'zod/mini';

/**
 * `message_events.type` values the backend records from provider webhooks and tracking endpoints.
 * `sent`, `delivered` and `failed` move a message's status; `failed_temporary` does not; `stop`,
 * `unsubscribed`, `complained` and a permanent bounce suppress the address, `start` lifts a STOP;
 * `replied` (a person's answer) stops a `no_reply` sequence step; `auto_replied` (RFC 3834
 * `Auto-Submitted`, out-of-office) is recorded in the conversation and stops nothing. Twilio statuses without a meaning of their own are
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
  'auto_replied',
  'stop',
  'start',
] as const;
export type KnownMessageEventType = (typeof MESSAGE_EVENT_TYPES)[number];
export type MessageEventType = KnownMessageEventType | `sms_${string}` | `call_${string}` | (string & {});

export const KnownMessageEventTypeSchema = z.enum(MESSAGE_EVENT_TYPES);
export const MessageEventTypeSchema = z.string().check(z.minLength(1), z.maxLength(100));

/** How an inbound message was told apart: a person, an automatic answer, or a bounce notice. */
export type InboundKind = 'human' | 'auto_reply' | 'bounce';

/**
 * The payload of a `replied` / `auto_replied` event: what the conversation shows. Every inbound channel
 * (Gmail sync, Mailgun routes, Twilio and WhatsApp webhooks) writes this shape; fields a channel does not
 * have are left out. Texts are cut to bounded lengths by the producer.
 */
export interface InboundPayload {
  /** The sender's address (email, lowercased) or E.164 number. */
  from: string;
  /** The mailbox or number it was sent to. */
  to?: string;
  subject?: string;
  /** Plain text of the new part (at most 20,000 characters). */
  text: string;
  /** RFC 5322 Message-ID, In-Reply-To and References of an email, used to thread answers. */
  rfcMessageId?: string;
  inReplyTo?: string;
  references?: string;
  /** The provider's thread and message ids (Gmail threadId / id). */
  providerThreadId?: string;
  providerMessageId?: string;
  kind: InboundKind;
  /** Why it was classified so (e.g. "Auto-Submitted: auto-replied"). */
  reason?: string;
}
