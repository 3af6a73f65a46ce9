import { describe, expect, it } from '@jest/globals';
import { classifyInbound } from './inbound-classifier';
import { inboundEvents, type InboundEmail } from './inbound-events';
import type { InboundMail } from './inbound-mime';

const ORG = '11111111-1111-4111-8111-111111111111';
const MSG = '22222222-2222-4222-8222-222222222222';
const at = new Date('2026-12-01T10:00:00Z');

function mail(over: Partial<InboundMail> = {}): InboundMail {
  return {
    from: 'ann@example.com',
    to: 'sales@acme.test',
    subject: 'Re: Quick question',
    text: 'Yes please.\n\nOn Mon, 1 Dec 2026, Sales <sales@acme.test> wrote:\n> Quick question\n',
    headers: new Map(),
    rfcMessageId: '<r1@example.com>',
    inReplyTo: `<${MSG}@acme.test>`,
    ...over,
  };
}

function input(m: InboundMail, over: Partial<InboundEmail> = {}): InboundEmail {
  return {
    organizationId: ORG,
    source: 'gmail',
    eventId: 'inbound:a:1',
    mail: m,
    classification: classifyInbound(m),
    messageId: MSG,
    occurredAt: at,
    ...over,
  };
}

describe('inboundEvents', () => {
  it('a person: one `replied` on our message with the InboundPayload (new text only, threading ids)', () => {
    const [e, ...rest] = inboundEvents(input(mail(), { providerThreadId: 't1', providerMessageId: 'g1' }));
    expect(rest).toEqual([]);
    expect(e).toEqual({
      organizationId: ORG,
      messageId: MSG,
      source: 'gmail',
      eventId: 'inbound:a:1',
      occurredAt: at,
      type: 'replied',
      payload: {
        from: 'ann@example.com',
        to: 'sales@acme.test',
        subject: 'Re: Quick question',
        text: 'Yes please.',
        rfcMessageId: '<r1@example.com>',
        inReplyTo: `<${MSG}@acme.test>`,
        providerThreadId: 't1',
        providerMessageId: 'g1',
        kind: 'human',
        reason: 'no automatic-reply or bounce marker',
      },
    });
  });

  it('an out-of-office: `auto_replied`, which suppresses nothing', () => {
    const [e] = inboundEvents(input(mail({ headers: new Map([['auto-submitted', 'auto-replied']]) })));
    expect(e.type).toBe('auto_replied');
    expect(e.payload.kind).toBe('auto_reply');
    expect(e.suppress).toBeUndefined();
  });

  it('unmatched: the sender fallback (replyFrom) travels with it; matched, it does not', () => {
    const replyFrom = { channel: 'email', address: 'ann@example.com', channelId: 'c1' };
    expect(inboundEvents(input(mail(), { messageId: null, replyFrom }))[0].replyFrom).toEqual(replyFrom);
    expect(inboundEvents(input(mail(), { replyFrom }))[0].replyFrom).toBeUndefined();
  });

  it('a permanent bounce: `failed` with the diagnostic and a `bounced` suppression of the failed recipient', () => {
    const bounce = mail({
      from: 'mailer-daemon@googlemail.com',
      headers: new Map([['x-failed-recipients', 'Gone@Example.com']]),
      text: '550 5.1.1 The email account that you tried to reach does not exist.',
    });
    const [e] = inboundEvents(input(bounce));
    expect(e.type).toBe('failed');
    expect(e.error).toEqual({ code: 'bounced', message: '550 5.1.1 The email account that you tried to reach does not exist.' });
    expect(e.suppress).toEqual({ channel: 'email', address: 'gone@example.com', reason: 'bounced', source: 'gmail_inbound' });
  });

  it('a delay notice: `failed_temporary`, nothing suppressed', () => {
    const delayed = mail({
      headers: new Map([['content-type', 'multipart/report; report-type=delivery-status']]),
      deliveryStatus: 'Final-Recipient: rfc822; slow@example.com\nAction: delayed\nStatus: 4.4.7\n',
    });
    const [e] = inboundEvents(input(delayed));
    expect(e.type).toBe('failed_temporary');
    expect(e.suppress).toBeUndefined();
  });
});
