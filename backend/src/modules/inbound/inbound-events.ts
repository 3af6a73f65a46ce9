import type { InboundPayload } from '@cadence/contracts';
import type { IncomingEvent } from '../webhooks/message-event.recorder';
import type { Classification } from './inbound-classifier';
import { replyText, type InboundMail } from './inbound-mime';

export interface InboundEmail {
  organizationId: string;
  /** `gmail` or `mailgun`: with eventId, what makes a re-read or re-delivered message a no-op. */
  source: string;
  eventId: string;
  mail: InboundMail;
  classification: Classification;
  /** Our message it answers, when In-Reply-To / References / the Gmail thread named one. */
  messageId: string | null;
  occurredAt: Date;
  providerThreadId?: string;
  providerMessageId?: string;
  /** Otherwise: the latest email sent to this sender from this mailbox / domain. */
  replyFrom?: IncomingEvent['replyFrom'];
}

/**
 * One inbound email as recorder events: a person's answer is `replied`, an automatic one `auto_replied`
 * (both with the InboundPayload the conversation shows); a bounce is what Mailgun's `failed` webhook
 * makes of one: the message fails with the diagnostic and the address is suppressed (`bounced`), or, for
 * a delay notice, a `failed_temporary` that moves nothing.
 */
export function inboundEvents(input: InboundEmail): IncomingEvent[] {
  const { mail, classification: c } = input;
  const base = {
    organizationId: input.organizationId,
    messageId: input.messageId,
    source: input.source,
    eventId: input.eventId,
    occurredAt: input.occurredAt,
  };
  if (c.kind === 'bounce') {
    const recipients = c.failedRecipients ?? [];
    return [
      {
        ...base,
        type: c.permanent ? 'failed' : 'failed_temporary',
        payload: { kind: 'bounce', reason: c.reason, recipients, diagnostic: c.diagnostic, from: mail.from, subject: mail.subject },
        error: { code: 'bounced', message: c.diagnostic ?? 'The recipient’s mail server returned the message as undeliverable' },
        // A DSN names whom it is about; the first recipient suppresses (a DSN per message names one).
        ...(c.permanent &&
          recipients[0] && {
            suppress: { channel: 'email', address: recipients[0], reason: 'bounced', source: `${input.source}_inbound` },
          }),
      },
    ];
  }
  const payload: InboundPayload = {
    from: mail.from,
    ...(mail.to && { to: mail.to }),
    subject: mail.subject.slice(0, 998),
    text: replyText(mail.text),
    ...(mail.rfcMessageId && { rfcMessageId: mail.rfcMessageId.slice(0, 998) }),
    ...(mail.inReplyTo && { inReplyTo: mail.inReplyTo.slice(0, 998) }),
    ...(mail.references && { references: mail.references.slice(0, 4000) }),
    ...(input.providerThreadId && { providerThreadId: input.providerThreadId }),
    ...(input.providerMessageId && { providerMessageId: input.providerMessageId }),
    kind: c.kind,
    reason: c.reason,
  };
  return [
    {
      ...base,
      type: c.kind === 'human' ? 'replied' : 'auto_replied',
      payload: payload as unknown as Record<string, unknown>,
      ...(!input.messageId && input.replyFrom && { replyFrom: input.replyFrom }),
    },
  ];
}
