import type { SandboxContext } from '../context';
import type { SandboxMessage } from '../core/store';
import type { Behaviour } from '../core/behaviour-simulator';
import { mailgunSignature } from '../core/signers';
import { hexId, randomToken } from '../core/ids';
import type { MailgunState, MailgunWebhookId } from './mailgun.state';
import { scheduleMailgunReplies } from './mailgun.inbound';

export interface MailgunSendInfo {
  domain: string;
  /** Mailgun's message id without angle brackets, as it appears in events. */
  messageId: string;
  from: string;
  subject: string;
  tags: string[];
  trackOpens: boolean;
  trackClicks: boolean;
  /** First link of the body, reported by `clicked`. */
  link: string;
}

function eventId(): string {
  return randomToken(16).replace(/[-_]/g, 'x').slice(0, 22);
}

/** Mailgun posts `{ signature: { timestamp, token, signature }, "event-data": {...} }` to every URL of the webhook. */
export function postMailgunEvent(
  ctx: SandboxContext,
  state: MailgunState,
  domain: string,
  webhookId: MailgunWebhookId,
  eventData: Record<string, unknown>,
  messageId?: string,
): void {
  const urls = state.urls(domain, webhookId);
  if (urls.length === 0) return;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const token = hexId(50);
  const signature = mailgunSignature(ctx.credentials.mailgunSigningKey(domain), timestamp, token);
  const body = JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': eventData });
  for (const url of urls) {
    ctx.webhooks.send({
      provider: 'mailgun',
      event: String(eventData.event),
      url,
      headers: { 'content-type': 'application/json' },
      body,
      ...(messageId ? { messageId } : {}),
    });
  }
}

/** accepted -> delivered | failed(permanent) -> opened -> clicked -> unsubscribed / complained. */
export function scheduleMailgunLifecycle(
  ctx: SandboxContext,
  state: MailgunState,
  info: MailgunSendInfo,
  stored: SandboxMessage,
  behaviour: Behaviour,
): void {
  const recipient = stored.to;
  // Answers reach the domain's routes whether or not it has event webhooks.
  if (behaviour.delivery === 'delivered') scheduleMailgunReplies(ctx, state, info, stored, behaviour, ctx.eventDelay(1));
  const base = (event: string, logLevel = 'info'): Record<string, unknown> => ({
    id: eventId(),
    timestamp: Date.now() / 1000,
    'log-level': logLevel,
    event,
    recipient,
    'recipient-domain': recipient.split('@')[1] ?? '',
    message: {
      headers: { 'message-id': info.messageId, from: info.from, to: recipient, subject: info.subject },
      attachments: [],
      size: (stored.body?.length ?? 0) + (stored.html?.length ?? 0),
    },
    tags: info.tags,
    'user-variables': stored.variables ?? {},
    campaigns: [],
    flags: { 'is-routed': false, 'is-authenticated': true, 'is-system-test': false, 'is-test-mode': false },
  });
  // Event payloads are only built when someone subscribed: most sandbox traffic has no webhook.
  const emit = (webhookId: MailgunWebhookId, data: () => Record<string, unknown>, status: string) => {
    ctx.store.recordEvent(stored, status);
    if (state.urls(info.domain, webhookId).length > 0) postMailgunEvent(ctx, state, info.domain, webhookId, data(), stored.id);
  };
  if (!state.hasAny(info.domain)) {
    // No webhook for the domain: no timers, the store applies the lifecycle when read.
    if (behaviour.delivery !== 'delivered') {
      ctx.store.plan(stored, 'failed', ctx.eventDelay(0), behaviour.delivery === 'bounced' ? 'bounced' : 'failed');
      return;
    }
    let k = 0;
    ctx.store.plan(stored, 'delivered', ctx.eventDelay(k++));
    if (behaviour.opened && info.trackOpens) ctx.store.plan(stored, 'opened', ctx.eventDelay(k++));
    if (behaviour.clicked && info.trackClicks) ctx.store.plan(stored, 'clicked', ctx.eventDelay(k++));
    if (behaviour.unsubscribed) ctx.store.plan(stored, 'unsubscribed', ctx.eventDelay(k++));
    if (behaviour.complained) ctx.store.plan(stored, 'complained', ctx.eventDelay(k++));
    return;
  }
  const client = {
    'client-info': {
      'client-os': 'Linux',
      'device-type': 'desktop',
      'client-name': 'Chrome',
      'client-type': 'browser',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)',
    },
    geolocation: { country: 'US', region: 'CA', city: 'San Francisco' },
    ip: '203.0.113.7',
  };

  if (state.urls(info.domain, 'accepted').length > 0) {
    postMailgunEvent(
      ctx,
      state,
      info.domain,
      'accepted',
      { ...base('accepted'), method: 'HTTP', envelope: { sender: info.from, targets: recipient, transport: 'smtp' } },
      stored.id,
    );
  }
  if (behaviour.delivery !== 'delivered') {
    const bounced = behaviour.delivery === 'bounced';
    ctx.schedule(
      () =>
        emit(
          'permanent_fail',
          () => ({
            ...base('failed', 'error'),
            severity: 'permanent',
            reason: bounced ? 'bounce' : 'generic',
            'delivery-status': bounced
              ? {
                  code: 550,
                  'bounce-code': '5.1.1',
                  message: '5.1.1 The email account that you tried to reach does not exist.',
                  description: '',
                  'attempt-no': 1,
                  'enhanced-code': '5.1.1',
                }
              : {
                  code: 554,
                  message: '5.7.1 Message rejected as spam by the receiving server.',
                  description: '',
                  'attempt-no': 1,
                  'enhanced-code': '5.7.1',
                },
          }),
          bounced ? 'bounced' : 'failed',
        ),
      ctx.eventDelay(0),
    );
    return;
  }
  ctx.schedule(
    () =>
      emit(
        'delivered',
        () => ({
          ...base('delivered'),
          envelope: { sender: info.from, targets: recipient, transport: 'smtp', 'sending-ip': '198.51.100.10' },
          'delivery-status': {
            code: 250,
            message: 'OK',
            description: '',
            'attempt-no': 1,
            tls: true,
            'certificate-verified': true,
            'mx-host': `mx.${recipient.split('@')[1] ?? 'example.com'}`,
            'session-seconds': 0.42,
          },
        }),
        'delivered',
      ),
    ctx.eventDelay(0),
  );
  let n = 1;
  if (behaviour.opened && info.trackOpens)
    ctx.schedule(() => emit('opened', () => ({ ...base('opened'), ...client }), 'opened'), ctx.eventDelay(n++));
  if (behaviour.clicked && info.trackClicks)
    ctx.schedule(() => emit('clicked', () => ({ ...base('clicked'), ...client, url: info.link }), 'clicked'), ctx.eventDelay(n++));
  if (behaviour.unsubscribed)
    ctx.schedule(() => emit('unsubscribed', () => ({ ...base('unsubscribed'), ...client }), 'unsubscribed'), ctx.eventDelay(n++));
  if (behaviour.complained)
    ctx.schedule(() => emit('complained', () => ({ ...base('complained', 'warn') }), 'complained'), ctx.eventDelay(n++));
}
