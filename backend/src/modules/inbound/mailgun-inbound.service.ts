import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';
import { ProviderWebhooksService } from '../webhooks/provider-webhooks.service';
import { UsedTokens } from '../webhooks/used-tokens';
import { verifyMailgun } from '../webhooks/webhook-signatures';
import { classifyInbound } from './inbound-classifier';
import { inboundEvents } from './inbound-events';
import { MAX_INBOUND_TEXT, referencedIds, type InboundMail } from './inbound-mime';
import { matchByReferences } from './reply-matcher';

/**
 * Replies that reach a Mailgun domain: a route's forward() posts the parsed message here
 * (https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/), signed like the event
 * webhooks with the channel's webhook signing key. Classified (person / automatic / bounce), matched to our
 * message by In-Reply-To / References, else to the latest email sent to the sender from this domain.
 */
@Injectable()
export class MailgunInboundService {
  /** Mailgun's signature window is 15 minutes: a token seen within it is a replay. */
  private readonly tokens = new UsedTokens(15 * 60_000);

  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: ProviderWebhooksService,
    private readonly events: MessageEventRecorder,
  ) {}

  async receive(channelId: string, fields: Record<string, string>): Promise<{ kind: string; matched: boolean }> {
    const signature = { timestamp: fields.timestamp, token: fields.token, signature: fields.signature };
    const channel = await this.webhooks.verified(
      channelId,
      'mailgun',
      (secrets) => verifyMailgun(secrets.webhookSigningKey, signature),
      'The Mailgun signature does not verify',
    );
    const replayKey = `${channel.id}:${fields.token}`;
    if (this.tokens.seen(replayKey)) throw new AppError('webhook_replayed', 'This Mailgun signature token was already used');
    const mail = readMail(fields);
    const classification = classifyInbound(mail);
    const messageId = await matchByReferences(
      this.dataSource.manager,
      channel.organizationId,
      referencedIds(mail.inReplyTo, mail.references),
      // A batch shares one Message-Id: a bounce is about its failed recipient, an answer about its sender.
      classification.failedRecipients?.[0] ?? mail.from,
    );
    const eventId = `inbound:${mail.rfcMessageId ?? fields.token}`;
    await this.events.enqueue(
      inboundEvents({
        organizationId: channel.organizationId,
        source: 'mailgun',
        eventId,
        mail,
        classification,
        messageId,
        occurredAt: mail.date ?? new Date(Number(fields.timestamp) * 1000),
        replyFrom: { channel: 'email', address: mail.from, channelId: channel.id },
      }),
    );
    this.tokens.remember(replayKey);
    return { kind: classification.kind, matched: messageId !== null };
  }
}

/** The route's form fields as the classifier's mail; the message's own headers come as a JSON list of pairs. */
function readMail(fields: Record<string, string>): InboundMail {
  const headers = new Map<string, string>();
  if (fields['message-headers'] !== undefined) {
    let list: unknown;
    try {
      list = JSON.parse(fields['message-headers']);
    } catch {
      throw new AppError('invalid_inbound_message', 'message-headers is not JSON');
    }
    if (!Array.isArray(list) || !list.every((h) => Array.isArray(h) && h.length === 2 && h.every((x) => typeof x === 'string')))
      throw new AppError('invalid_inbound_message', 'message-headers must be a list of [name, value] pairs');
    for (const [name, value] of list as Array<[string, string]>)
      if (!headers.has(name.toLowerCase())) headers.set(name.toLowerCase(), value);
  }
  const field = (name: string) => fields[name] ?? headers.get(name.toLowerCase());
  const from = addressOf(fields.from ?? fields.sender ?? headers.get('from') ?? '');
  if (!from) throw new AppError('invalid_inbound_message', 'The message has no sender (from / sender)');
  const contentType = headers.get('content-type') ?? '';
  const plain = (fields['body-plain'] ?? '').slice(0, 10 * MAX_INBOUND_TEXT);
  const date = headers.get('date') ? new Date(headers.get('date')!) : undefined;
  const rfcMessageId = field('Message-Id');
  const inReplyTo = field('In-Reply-To');
  const references = field('References');
  const to = addressOf(fields.recipient ?? headers.get('to') ?? '');
  return {
    from,
    ...(to && { to }),
    subject: fields.subject ?? headers.get('subject') ?? '',
    // stripped-text is Mailgun's own cut of the quoted part; the full text stays for the classifier's
    // out-of-office opening, which is the same either way.
    text: fields['stripped-text']?.trim() ? fields['stripped-text'] : plain,
    headers,
    ...(/multipart\/report/i.test(contentType) && { deliveryStatus: plain }),
    ...(rfcMessageId && { rfcMessageId }),
    ...(inReplyTo && { inReplyTo }),
    ...(references && { references }),
    ...(date && !Number.isNaN(date.getTime()) && { date }),
  };
}

function addressOf(value: string): string {
  const inAngles = /<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1];
  const bare = /[^\s<>,;"]+@[^\s<>,;"]+/.exec(value)?.[0];
  return (inAngles ?? bare ?? '').toLowerCase().slice(0, 320);
}
