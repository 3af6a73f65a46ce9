import type { InboundPayload } from '@cadence/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { recordDialOutcome } from '../callbacks/callback-call-outcomes';
import { missedCall } from '../callbacks/missed-calls';
import { ChannelConnection, ChannelType } from '../channels/channel-connection.entity';
import { ChannelsService } from '../channels/channels.service';
import { normalizePhone } from '../leads/lead-normalizer';
import { UsedTokens } from './used-tokens';
import { verifyMailgun, verifyMeta, verifyTwilio } from './webhook-signatures';
import { WhatsappTemplatesService } from '../whatsapp-templates/whatsapp-templates.service';
import { IncomingEvent, MessageEventRecorder } from './message-event.recorder';

/** InboundPayload.text's bound. */
const INBOUND_TEXT_CHARS = 20_000;
const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'revoke']);
const START_WORDS = new Set(['start', 'unstop', 'yes']);
/** Twilio's "recipient unsubscribed" error: the carrier already knows they said STOP. */
const TWILIO_OPTED_OUT = '21610';

/** The fields read from Mailgun's webhook body (https://documentation.mailgun.com/docs/mailgun/user-manual/events/webhooks). */
interface MailgunBody {
  signature?: { timestamp?: unknown; token?: unknown; signature?: unknown };
  'event-data'?: MailgunEventData;
}
interface MailgunEventData {
  id?: string;
  event?: string;
  severity?: string;
  recipient?: string;
  timestamp?: number | string;
  reason?: string;
  url?: string;
  'user-variables'?: { 'cadence-message-id'?: string; cadence_message_id?: string };
  message?: { headers?: { 'message-id'?: string } };
  'delivery-status'?: { code?: number | string; message?: string; description?: string };
}
/** The fields read from a WhatsApp Cloud API webhook body (entry[].changes[].value). */
interface WhatsappBody {
  entry?: Array<{ changes?: Array<{ field?: string; value?: WhatsappValue }> }>;
}
/** `message_template_status_update` changes: Meta approved, paused, rejected or disabled a template. */
interface TemplateStatusValue {
  event?: unknown;
  message_template_name?: unknown;
  message_template_language?: unknown;
}
interface WhatsappValue {
  statuses?: Array<{
    id: string;
    status: string;
    timestamp?: string;
    recipient_id?: string;
    biz_opaque_callback_data?: string;
    errors?: Array<{ code?: number; title?: string; message?: string }>;
  }>;
  messages?: Array<{ id: string; from?: string; text?: { body?: string }; button?: { text?: string } }>;
  metadata?: { display_phone_number?: string };
}

/** Verifies each provider's signature with the channel's own secret, then turns its events into ours. */
@Injectable()
export class ProviderWebhooksService {
  /** Mailgun's signature window is 15 minutes: a token seen within it is a replay. */
  private readonly mailgunTokens = new UsedTokens(15 * 60_000);

  constructor(
    private readonly channels: ChannelsService,
    private readonly events: MessageEventRecorder,
    private readonly templates: WhatsappTemplatesService,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * A cached secret first; on a mismatch the stored row decides, so a rotated secret is honoured at once.
   * Also used by the inbound email routes (modules/inbound), which are signed with the same keys.
   */
  async verified(
    id: string,
    type: ChannelType,
    verify: (secrets: Record<string, string>) => boolean,
    refusal: string,
  ): Promise<ChannelConnection> {
    const cached = this.channels.cachedWithSecrets(id, type);
    if (cached && verify(cached.secrets)) return cached.channel;
    const fresh = await this.load(id, type);
    if (!verify(fresh.secrets)) throw new AppError('invalid_signature', refusal);
    return fresh.channel;
  }

  private async load(id: string, type: ChannelType): Promise<{ channel: ChannelConnection; secrets: Record<string, string> }> {
    const found = /^[0-9a-f-]{36}$/i.test(id) ? await this.channels.loadWithSecrets(id, type) : undefined;
    if (!found) throw new AppError('channel_not_found', 'No such webhook endpoint');
    return found;
  }

  async mailgun(channelId: string, body: MailgunBody): Promise<void> {
    const channel = await this.verified(
      channelId,
      'mailgun',
      (secrets) => verifyMailgun(secrets.webhookSigningKey, body?.signature),
      'The Mailgun signature does not verify',
    );
    const token = `${channel.id}:${String(body.signature?.token)}`;
    if (this.mailgunTokens.seen(token)) throw new AppError('webhook_replayed', 'This Mailgun signature token was already used');
    const data: MailgunEventData = body['event-data'] ?? {};
    const severity = data.severity;
    const kind = String(data.event ?? '');
    const type = kind === 'accepted' ? 'sent' : kind === 'failed' ? (severity === 'permanent' ? 'failed' : 'failed_temporary') : kind;
    const recipient = typeof data.recipient === 'string' ? data.recipient : undefined;
    const reason =
      type === 'failed' ? 'bounced' : kind === 'complained' ? 'complained' : kind === 'unsubscribed' ? 'unsubscribed' : undefined;
    await this.events.enqueue([
      {
        organizationId: channel.organizationId,
        messageId: data['user-variables']?.['cadence-message-id'] ?? data['user-variables']?.cadence_message_id ?? null,
        providerMessageId: data.message?.headers?.['message-id'] ?? null,
        source: 'mailgun',
        eventId: String(data.id ?? `${data.timestamp}:${kind}:${data.recipient}`),
        type,
        occurredAt: data.timestamp ? new Date(Number(data.timestamp) * 1000) : new Date(),
        payload: { event: kind, severity, reason: data.reason, recipient: data.recipient, url: data.url },
        ...(type === 'failed' && {
          error: {
            code: String(data['delivery-status']?.code ?? data.reason ?? 'bounced'),
            message: String(data['delivery-status']?.message ?? data['delivery-status']?.description ?? 'Permanent failure'),
          },
        }),
        ...(recipient && reason && { suppress: { channel: 'email', address: recipient, reason, source: 'mailgun_webhook' } }),
      },
    ]);
    this.mailgunTokens.remember(token);
  }

  async twilioStatus(
    channelId: string,
    url: string,
    params: Record<string, string>,
    signature: string | undefined,
    messageId: string | undefined,
  ): Promise<void> {
    const channel = await this.verified(
      channelId,
      'twilio',
      (secrets) => verifyTwilio(secrets.authToken, url, params, signature),
      'The X-Twilio-Signature does not verify',
    );
    const isCall = Boolean(params.CallSid);
    const sid = params.CallSid ?? params.MessageSid ?? params.SmsSid ?? '';
    const status = (params.CallStatus ?? params.MessageStatus ?? params.SmsStatus ?? '').toLowerCase();
    const type = isCall
      ? status === 'completed'
        ? 'delivered'
        : ['busy', 'no-answer', 'failed', 'canceled'].includes(status)
          ? 'failed'
          : `call_${status}`
      : status === 'sent'
        ? 'sent'
        : status === 'delivered'
          ? 'delivered'
          : ['undelivered', 'failed'].includes(status)
            ? 'failed'
            : `sms_${status}`;
    await this.events.enqueue([
      {
        organizationId: channel.organizationId,
        messageId: messageId ?? null,
        providerMessageId: sid,
        source: 'twilio',
        eventId: `${sid}:${status}`,
        type,
        occurredAt: new Date(),
        payload: {
          status,
          errorCode: params.ErrorCode,
          to: params.To,
          ...(isCall && { duration: params.CallDuration, answeredBy: params.AnsweredBy }),
        },
        ...(type === 'failed' && {
          error: { code: params.ErrorCode ?? status, message: params.ErrorMessage ?? `Twilio reported ${status}` },
        }),
        ...(params.ErrorCode === TWILIO_OPTED_OUT &&
          params.To && { suppress: { channel: 'sms', address: params.To, reason: 'stop', source: 'twilio_status' } }),
      },
    ]);
  }

  /** Twilio's `<Dial action>` request of a call-now bridge (callbacks/callback-call-outcomes.ts). */
  async twilioDial(
    channelId: string,
    url: string,
    params: Record<string, string>,
    signature: string | undefined,
    callId: string,
  ): Promise<void> {
    const channel = await this.verified(
      channelId,
      'twilio',
      (secrets) => verifyTwilio(secrets.authToken, url, params, signature),
      'The X-Twilio-Signature does not verify',
    );
    await this.dataSource.transaction((m) => recordDialOutcome(m, channel.organizationId, channel.id, callId, params));
  }

  /** An inbound call (callbacks/missed-calls.ts): answers the TwiML the caller hears. */
  async twilioVoice(channelId: string, url: string, params: Record<string, string>, signature: string | undefined): Promise<string> {
    const channel = await this.verified(
      channelId,
      'twilio',
      (secrets) => verifyTwilio(secrets.authToken, url, params, signature),
      'The X-Twilio-Signature does not verify',
    );
    return this.dataSource.transaction((m) => missedCall(m, channel, params));
  }

  async twilioInbound(channelId: string, url: string, params: Record<string, string>, signature: string | undefined): Promise<void> {
    const channel = await this.verified(
      channelId,
      'twilio',
      (secrets) => verifyTwilio(secrets.authToken, url, params, signature),
      'The X-Twilio-Signature does not verify',
    );
    const event = this.inbound(
      channel,
      'sms',
      params.From ?? '',
      params.Body ?? '',
      'twilio',
      params.MessageSid ?? `${params.From}:${Date.now()}`,
      params.To,
    );
    if (event) await this.events.enqueue([event]);
  }

  whatsappVerify(channelId: string, query: Record<string, string>): Promise<string> {
    return this.load(channelId, 'whatsapp').then(({ secrets }) => {
      if (query['hub.mode'] !== 'subscribe' || !secrets.verifyToken || query['hub.verify_token'] !== secrets.verifyToken) {
        throw new AppError('invalid_signature', 'The verify token does not match');
      }
      return String(query['hub.challenge'] ?? '');
    });
  }

  async whatsapp(channelId: string, raw: Buffer | undefined, signature: string | undefined, body: WhatsappBody): Promise<void> {
    const channel = await this.verified(
      channelId,
      'whatsapp',
      (secrets) => verifyMeta(secrets.appSecret, raw, signature),
      'The X-Hub-Signature-256 does not verify',
    );
    const events: IncomingEvent[] = [];
    for (const entry of body.entry ?? []) {
      for (const change of entry.changes ?? []) {
        if (change.field === 'message_template_status_update') {
          const v = (change.value ?? {}) as TemplateStatusValue;
          if (typeof v.event === 'string' && typeof v.message_template_name === 'string' && typeof v.message_template_language === 'string')
            await this.templates.applyStatusUpdate(channel, v.message_template_name, v.message_template_language, v.event);
          continue;
        }
        const value: WhatsappValue = change.value ?? {};
        for (const s of value.statuses ?? []) {
          const type = s.status === 'failed' ? 'failed' : s.status;
          const error = s.errors?.[0];
          events.push({
            organizationId: channel.organizationId,
            messageId: s.biz_opaque_callback_data ?? null,
            providerMessageId: s.id,
            source: 'whatsapp',
            eventId: `${s.id}:${s.status}`,
            type,
            occurredAt: s.timestamp ? new Date(Number(s.timestamp) * 1000) : new Date(),
            payload: { status: s.status, recipient: s.recipient_id, error },
            ...(type === 'failed' && {
              error: {
                code: String(error?.code ?? 'failed'),
                message: String(error?.title ?? error?.message ?? 'WhatsApp reported a failure'),
              },
            }),
          });
        }
        for (const msg of value.messages ?? []) {
          const event = this.inbound(
            channel,
            'whatsapp',
            `+${String(msg.from ?? '').replace(/^\+/, '')}`,
            msg.text?.body ?? msg.button?.text ?? '',
            'whatsapp',
            String(msg.id),
            value.metadata?.display_phone_number,
          );
          if (event) events.push(event);
        }
      }
    }
    await this.events.enqueue(events);
  }

  /** STOP suppresses the channel, START lifts it, anything else is a reply to the latest message sent there. */
  private inbound(
    channel: ChannelConnection,
    kind: 'sms' | 'whatsapp',
    rawFrom: string,
    text: string,
    source: string,
    eventId: string,
    to: string | undefined,
  ): IncomingEvent | undefined {
    const from = normalizePhone(rawFrom);
    if (!from || from instanceof Error) return undefined;
    const word = text.trim().toLowerCase();
    const type = STOP_WORDS.has(word) ? 'stop' : START_WORDS.has(word) ? 'start' : 'replied';
    return {
      organizationId: channel.organizationId,
      source,
      eventId: `inbound:${eventId}`,
      type,
      occurredAt: new Date(),
      payload: {
        from,
        ...(to && { to: String(to).slice(0, 100) }),
        text: text.slice(0, INBOUND_TEXT_CHARS),
        providerMessageId: eventId,
        kind: 'human',
      } satisfies InboundPayload as unknown as Record<string, unknown>,
      replyFrom: { channel: kind, address: from, channelId: channel.id },
      ...(type === 'stop' && { suppress: { channel: kind, address: from, reason: 'stop', source: `${source}_inbound` } }),
      ...(type === 'start' && { unsuppress: { channel: kind, address: from } }),
    };
  }
}
