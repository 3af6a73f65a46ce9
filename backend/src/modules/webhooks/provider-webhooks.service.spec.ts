import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { beforeEach, describe, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { AppError } from '../../common/errors/app-error';
import { ChannelConnection, ChannelType } from '../channels/channel-connection.entity';
import { ChannelsService } from '../channels/channels.service';
import { IncomingEvent, MessageEventRecorder } from './message-event.recorder';
import { ProviderWebhooksService } from './provider-webhooks.service';
import { WhatsappTemplatesService } from '../whatsapp-templates/whatsapp-templates.service';
import { DataSource } from 'typeorm';

const ORG = '11111111-1111-4111-8111-111111111111';
const MAILGUN_ID = '22222222-2222-4222-8222-222222222222';
const TWILIO_ID = '33333333-3333-4333-8333-333333333333';
const WHATSAPP_ID = '44444444-4444-4444-8444-444444444444';
const URL_CALLED = `https://cadence.example.com/webhooks/twilio/${TWILIO_ID}/status`;

/** The channels the webhooks name, with their secrets; `rotated` is what the database holds after a rotation. */
const stored: Record<string, { type: ChannelType; secrets: Record<string, string> }> = {
  [MAILGUN_ID]: { type: 'mailgun', secrets: { webhookSigningKey: 'mg-key' } },
  [TWILIO_ID]: { type: 'twilio', secrets: { authToken: 'tw-token' } },
  [WHATSAPP_ID]: { type: 'whatsapp', secrets: { appSecret: 'wa-secret', verifyToken: 'wa-verify' } },
};

let tokens = 0;
/** Each callback Mailgun sends has a token of its own (a reused one is a replay, refused). */
function mailgunSignature(key: string, timestamp = String(Math.floor(Date.now() / 1000)), token = `tok-${++tokens}`) {
  return {
    timestamp,
    token,
    signature: createHmac('sha256', key)
      .update(timestamp + token)
      .digest('hex'),
  };
}
function twilioSignature(token: string, url: string, params: Record<string, string>) {
  return createHmac('sha1', token)
    .update(
      url +
        Object.keys(params)
          .sort()
          .map((k) => k + params[k])
          .join(''),
    )
    .digest('base64');
}
function metaSignature(secret: string, raw: Buffer) {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

describe('provider webhooks -> message events (Nest testing module, channels and recorder overridden)', () => {
  let service: ProviderWebhooksService;
  let enqueued: IncomingEvent[];
  let cache: Map<string, { channel: ChannelConnection; secrets: Record<string, string> }>;
  let loads: string[];

  beforeEach(async () => {
    enqueued = [];
    cache = new Map();
    loads = [];
    const channels: Pick<ChannelsService, 'cachedWithSecrets' | 'loadWithSecrets'> = {
      cachedWithSecrets: (id, type) => {
        const hit = cache.get(id);
        return hit && hit.channel.type === type ? hit : undefined;
      },
      loadWithSecrets: async (id, type) => {
        loads.push(id);
        const row = stored[id];
        if (!row || row.type !== type) return undefined;
        const opened = { channel: { id, organizationId: ORG, type } as ChannelConnection, secrets: row.secrets };
        cache.set(id, opened);
        return opened;
      },
    };
    const module = await Test.createTestingModule({
      providers: [
        ProviderWebhooksService,
        ChannelsService,
        MessageEventRecorder,
        WhatsappTemplatesService,
        // Only the call-now and missed-call webhooks write through it; they are tested on PostgreSQL (callback-calls.test.ts).
        { provide: DataSource, useValue: {} },
      ],
    })
      .overrideProvider(WhatsappTemplatesService)
      .useValue({ applyStatusUpdate: async () => [] })
      .overrideProvider(ChannelsService)
      .useValue(channels)
      .overrideProvider(MessageEventRecorder)
      .useValue({ enqueue: async (events: IncomingEvent[]) => void enqueued.push(...events) })
      .compile();
    service = module.get(ProviderWebhooksService);
  });

  async function refusal(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    return error.code;
  }

  describe('Mailgun', () => {
    const event = (data: Record<string, unknown>) => ({ signature: mailgunSignature('mg-key'), 'event-data': data });

    it('maps accepted to sent and delivered to delivered, with our message id and the provider id', async () => {
      await service.mailgun(
        MAILGUN_ID,
        event({
          id: 'ev-1',
          event: 'accepted',
          timestamp: 1767000000,
          recipient: 'a@x.test',
          'user-variables': { 'cadence-message-id': 'm-1' },
          message: { headers: { 'message-id': '<p-1@mg>' } },
        }),
      );
      await service.mailgun(
        MAILGUN_ID,
        event({
          id: 'ev-2',
          event: 'delivered',
          timestamp: 1767000001,
          recipient: 'a@x.test',
          'user-variables': { cadence_message_id: 'm-1' },
        }),
      );
      assert.deepEqual(
        enqueued.map((e) => [
          e.organizationId,
          e.source,
          e.eventId,
          e.type,
          e.messageId,
          e.providerMessageId,
          e.occurredAt.toISOString(),
          e.suppress,
        ]),
        [
          [ORG, 'mailgun', 'ev-1', 'sent', 'm-1', '<p-1@mg>', new Date(1767000000 * 1000).toISOString(), undefined],
          [ORG, 'mailgun', 'ev-2', 'delivered', 'm-1', null, new Date(1767000001 * 1000).toISOString(), undefined],
        ],
      );
    });

    it('a permanent failure is a bounce: failed, with its error, and the address is suppressed', async () => {
      await service.mailgun(
        MAILGUN_ID,
        event({
          id: 'ev-3',
          event: 'failed',
          severity: 'permanent',
          recipient: 'gone@x.test',
          reason: 'bounce',
          'delivery-status': { code: 550, message: 'No such user' },
        }),
      );
      const [e] = enqueued;
      assert.equal(e.type, 'failed');
      assert.deepEqual(e.error, { code: '550', message: 'No such user' });
      assert.deepEqual(e.suppress, { channel: 'email', address: 'gone@x.test', reason: 'bounced', source: 'mailgun_webhook' });
    });

    it('a temporary failure suppresses nothing; complaints and unsubscribes suppress with their reason', async () => {
      await service.mailgun(MAILGUN_ID, event({ id: 'ev-4', event: 'failed', severity: 'temporary', recipient: 'a@x.test' }));
      await service.mailgun(MAILGUN_ID, event({ id: 'ev-5', event: 'complained', recipient: 'a@x.test' }));
      await service.mailgun(MAILGUN_ID, event({ id: 'ev-6', event: 'unsubscribed', recipient: 'b@x.test' }));
      assert.deepEqual(
        enqueued.map((e) => [e.type, e.error, e.suppress?.reason ?? null]),
        [
          ['failed_temporary', undefined, null],
          ['complained', undefined, 'complained'],
          ['unsubscribed', undefined, 'unsubscribed'],
        ],
      );
    });

    it('without an event id the event id is built from timestamp, event and recipient', async () => {
      await service.mailgun(MAILGUN_ID, event({ event: 'opened', timestamp: 1767000002, recipient: 'a@x.test' }));
      assert.equal(enqueued[0].eventId, '1767000002:opened:a@x.test');
    });

    it('refuses a wrong key, a stale timestamp, a missing signature and an unknown endpoint', async () => {
      assert.equal(
        await refusal(service.mailgun(MAILGUN_ID, { signature: mailgunSignature('other-key'), 'event-data': {} })),
        'invalid_signature',
      );
      const stale = mailgunSignature('mg-key', String(Math.floor(Date.now() / 1000) - 3600));
      assert.equal(await refusal(service.mailgun(MAILGUN_ID, { signature: stale, 'event-data': {} })), 'invalid_signature');
      assert.equal(await refusal(service.mailgun(MAILGUN_ID, { 'event-data': {} })), 'invalid_signature');
      assert.equal(await refusal(service.mailgun('not-a-uuid', event({}))), 'channel_not_found');
      assert.equal(
        await refusal(service.mailgun(TWILIO_ID, event({}))),
        'channel_not_found',
        'a channel of another type is not a Mailgun endpoint',
      );
      assert.deepEqual(enqueued, []);
    });

    it('verifies against the cached secret, and reloads the channel when it does not match (a rotated key)', async () => {
      await service.mailgun(MAILGUN_ID, event({ id: 'a', event: 'delivered' }));
      await service.mailgun(MAILGUN_ID, event({ id: 'b', event: 'delivered' }));
      assert.deepEqual(loads, [MAILGUN_ID], 'the second call used the cache');
      stored[MAILGUN_ID].secrets = { webhookSigningKey: 'mg-key-2' };
      try {
        await service.mailgun(MAILGUN_ID, { signature: mailgunSignature('mg-key-2'), 'event-data': { id: 'c', event: 'delivered' } });
        assert.deepEqual(loads, [MAILGUN_ID, MAILGUN_ID]);
        assert.deepEqual(
          enqueued.map((e) => e.eventId),
          ['a', 'b', 'c'],
        );
      } finally {
        stored[MAILGUN_ID].secrets = { webhookSigningKey: 'mg-key' };
      }
    });
  });

  describe('Twilio', () => {
    const status = (params: Record<string, string>, messageId?: string) =>
      service.twilioStatus(TWILIO_ID, URL_CALLED, params, twilioSignature('tw-token', URL_CALLED, params), messageId);

    it('maps SMS statuses: sent, delivered, undelivered/failed with the error; others keep their name', async () => {
      await status({ MessageSid: 'SM1', MessageStatus: 'sent', To: '+15550001111' }, 'm-1');
      await status({ MessageSid: 'SM1', MessageStatus: 'delivered', To: '+15550001111' }, 'm-1');
      await status({
        MessageSid: 'SM2',
        MessageStatus: 'undelivered',
        ErrorCode: '30003',
        ErrorMessage: 'Unreachable',
        To: '+15550001112',
      });
      await status({ SmsSid: 'SM3', SmsStatus: 'queued' });
      assert.deepEqual(
        enqueued.map((e) => [e.eventId, e.type, e.messageId, e.providerMessageId, e.error ?? null]),
        [
          ['SM1:sent', 'sent', 'm-1', 'SM1', null],
          ['SM1:delivered', 'delivered', 'm-1', 'SM1', null],
          ['SM2:undelivered', 'failed', null, 'SM2', { code: '30003', message: 'Unreachable' }],
          ['SM3:queued', 'sms_queued', null, 'SM3', null],
        ],
      );
    });

    it('error 21610 (the recipient sent STOP to the carrier) suppresses the number', async () => {
      await status({ MessageSid: 'SM4', MessageStatus: 'failed', ErrorCode: '21610', To: '+15550001113' });
      assert.deepEqual(enqueued[0].suppress, { channel: 'sms', address: '+15550001113', reason: 'stop', source: 'twilio_status' });
    });

    it('maps call statuses: completed is delivered, busy/no-answer/failed/canceled failed, the rest call_*', async () => {
      for (const s of ['completed', 'busy', 'no-answer', 'ringing'])
        await status({ CallSid: `CA-${s}`, CallStatus: s, CallDuration: '12', AnsweredBy: 'human' });
      assert.deepEqual(
        enqueued.map((e) => e.type),
        ['delivered', 'failed', 'failed', 'call_ringing'],
      );
      assert.equal(enqueued[0].payload.duration, '12');
      assert.equal(enqueued[1].error?.message, 'Twilio reported busy');
    });

    it('inbound STOP suppresses, START lifts, anything else is a reply from a normalized number', async () => {
      const inbound = (params: Record<string, string>) =>
        service.twilioInbound(TWILIO_ID, URL_CALLED, params, twilioSignature('tw-token', URL_CALLED, params));
      await inbound({ MessageSid: 'SMa', From: '+1 (415) 555-0100', Body: ' Stop ' });
      await inbound({ MessageSid: 'SMb', From: '+14155550100', Body: 'START' });
      await inbound({ MessageSid: 'SMc', From: '+14155550100', Body: 'Who is this?' });
      await inbound({ MessageSid: 'SMd', From: 'not a number', Body: 'STOP' });
      assert.deepEqual(
        enqueued.map((e) => [e.eventId, e.type, e.suppress ?? null, e.unsuppress ?? null, e.replyFrom]),
        [
          [
            'inbound:SMa',
            'stop',
            { channel: 'sms', address: '+14155550100', reason: 'stop', source: 'twilio_inbound' },
            null,
            { channel: 'sms', address: '+14155550100', channelId: TWILIO_ID },
          ],
          [
            'inbound:SMb',
            'start',
            null,
            { channel: 'sms', address: '+14155550100' },
            { channel: 'sms', address: '+14155550100', channelId: TWILIO_ID },
          ],
          ['inbound:SMc', 'replied', null, null, { channel: 'sms', address: '+14155550100', channelId: TWILIO_ID }],
        ],
      );
      // The InboundPayload every inbound channel writes (@cadence/contracts).
      assert.deepEqual(enqueued[2].payload, { from: '+14155550100', text: 'Who is this?', providerMessageId: 'SMc', kind: 'human' });
    });

    it('refuses a signature over other parameters or another URL', async () => {
      const params = { MessageSid: 'SM9', MessageStatus: 'delivered' };
      assert.equal(
        await refusal(
          service.twilioStatus(
            TWILIO_ID,
            URL_CALLED,
            params,
            twilioSignature('tw-token', URL_CALLED, { ...params, MessageStatus: 'failed' }),
            undefined,
          ),
        ),
        'invalid_signature',
      );
      assert.equal(
        await refusal(
          service.twilioStatus(TWILIO_ID, `${URL_CALLED}?x=1`, params, twilioSignature('tw-token', URL_CALLED, params), undefined),
        ),
        'invalid_signature',
      );
      assert.equal(await refusal(service.twilioStatus(TWILIO_ID, URL_CALLED, params, undefined, undefined)), 'invalid_signature');
      assert.deepEqual(enqueued, []);
    });
  });

  describe('WhatsApp Cloud API', () => {
    const post = (body: unknown, secret = 'wa-secret') => {
      const raw = Buffer.from(JSON.stringify(body));
      return service.whatsapp(WHATSAPP_ID, raw, metaSignature(secret, raw), JSON.parse(raw.toString()) as Record<string, unknown>);
    };

    it('maps every status and inbound message of every entry in one batch', async () => {
      await post({
        entry: [
          {
            changes: [
              {
                value: {
                  statuses: [
                    {
                      id: 'wamid.1',
                      status: 'delivered',
                      timestamp: '1767000000',
                      recipient_id: '15550001111',
                      biz_opaque_callback_data: 'm-1',
                    },
                    {
                      id: 'wamid.2',
                      status: 'failed',
                      recipient_id: '15550001112',
                      errors: [{ code: 131026, title: 'Message undeliverable' }],
                    },
                  ],
                  messages: [{ id: 'wamid.in1', from: '14155550101', text: { body: 'stop' } }],
                },
              },
            ],
          },
          { changes: [{ value: { messages: [{ id: 'wamid.in2', from: '14155550102', button: { text: 'Interested' } }] } }] },
        ],
      });
      assert.deepEqual(
        enqueued.map((e) => [e.eventId, e.type, e.messageId ?? null, e.providerMessageId ?? null, e.error ?? null]),
        [
          ['wamid.1:delivered', 'delivered', 'm-1', 'wamid.1', null],
          ['wamid.2:failed', 'failed', null, 'wamid.2', { code: '131026', message: 'Message undeliverable' }],
          ['inbound:wamid.in1', 'stop', null, null, null],
          ['inbound:wamid.in2', 'replied', null, null, null],
        ],
      );
      assert.equal(enqueued[0].occurredAt.getTime(), 1767000000 * 1000);
      assert.deepEqual(enqueued[2].suppress, { channel: 'whatsapp', address: '+14155550101', reason: 'stop', source: 'whatsapp_inbound' });
      assert.deepEqual(enqueued[3].payload, { from: '+14155550102', text: 'Interested', providerMessageId: 'wamid.in2', kind: 'human' });
    });

    it('refuses a body signed with another secret, or not signed', async () => {
      assert.equal(await refusal(post({ entry: [] }, 'other')), 'invalid_signature');
      assert.equal(await refusal(service.whatsapp(WHATSAPP_ID, undefined, undefined, {})), 'invalid_signature');
      assert.deepEqual(enqueued, []);
    });

    it('answers the subscription challenge only with the channel verify token', async () => {
      assert.equal(
        await service.whatsappVerify(WHATSAPP_ID, {
          'hub.mode': 'subscribe',
          'hub.verify_token': 'wa-verify',
          'hub.challenge': '1158201444',
        }),
        '1158201444',
      );
      assert.equal(
        await refusal(service.whatsappVerify(WHATSAPP_ID, { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': 'x' })),
        'invalid_signature',
      );
      assert.equal(
        await refusal(service.whatsappVerify(WHATSAPP_ID, { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'wa-verify' })),
        'invalid_signature',
      );
    });
  });
});
