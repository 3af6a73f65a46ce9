import type { SandboxContext } from '../context';
import type { SandboxMessage } from '../core/store';
import type { Behaviour } from '../core/behaviour-simulator';
import type { WebhookDelivery } from '../core/webhook-dispatcher';
import { whatsappSignature } from '../core/signers';
import { hexId, randomToken } from '../core/ids';
import type { WhatsappState } from './whatsapp.state';

export function wamid(): string {
  return (
    'wamid.' +
    Buffer.from('HBgL' + hexId(24), 'utf8')
      .toString('base64')
      .replace(/=+$/, '')
  );
}

/** Posts a `whatsapp_business_account` change, signed with X-Hub-Signature-256. */
export function sendWhatsappChange(
  ctx: SandboxContext,
  state: WhatsappState,
  phoneNumberId: string,
  value: Record<string, unknown>,
  event: string,
  messageId?: string,
): WebhookDelivery | undefined {
  const hook = state.webhookFor(phoneNumberId);
  if (!hook) return undefined;
  const payload = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: state.wabaId(phoneNumberId),
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: state.displayNumber(phoneNumberId), phone_number_id: phoneNumberId },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  });
  const secret = hook.appSecret ?? ctx.credentials.whatsappAppSecret(phoneNumberId);
  return ctx.webhooks.send({
    provider: 'whatsapp',
    event,
    url: hook.url,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': whatsappSignature(secret, payload) },
    body: payload,
    ...(messageId ? { messageId } : {}),
  });
}

interface StatusTimelineInput {
  phoneNumberId: string;
  id: string;
  to: string;
  stored: SandboxMessage;
  behaviour: Behaviour;
  category: 'marketing' | 'utility' | 'service';
  opaque?: string;
  /** Accepted, then failed with this error whatever the recipient's behaviour (e.g. 131047 outside the window). */
  failure?: { code: number; title: string; details: string };
}

/** sent -> delivered -> read, or sent -> failed (131026); then the recipient's reply or STOP. */
export function scheduleWhatsappLifecycle(ctx: SandboxContext, state: WhatsappState, input: StatusTimelineInput): void {
  const conversation = {
    id: hexId(32),
    expiration_timestamp: String(Math.floor(Date.now() / 1000) + 86400),
    origin: { type: input.category },
  };
  const status = (name: string) => {
    ctx.store.recordEvent(input.stored, name);
    if (!state.webhookFor(input.phoneNumberId)) return;
    const s: Record<string, unknown> = {
      id: input.id,
      status: name,
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: input.to,
    };
    if (input.opaque) s.biz_opaque_callback_data = input.opaque;
    if (name === 'failed') {
      const failure = input.failure ?? { code: 131026, title: 'Message undeliverable', details: 'Message Undeliverable.' };
      s.errors = [
        {
          code: failure.code,
          title: failure.title,
          message: failure.title,
          error_data: { details: failure.details },
          href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
        },
      ];
    } else if (name !== 'read') {
      s.conversation = conversation;
      s.pricing = { billable: true, pricing_model: 'CBP', category: input.category };
    }
    sendWhatsappChange(ctx, state, input.phoneNumberId, { statuses: [s] }, `status:${name}`, input.stored.id);
  };
  const b = input.failure ? { ...input.behaviour, delivery: 'failed' as const } : input.behaviour;
  if (!state.webhookFor(input.phoneNumberId)) {
    // No subscriber: nothing to post, so no timers; the store applies the lifecycle when read.
    if (b.delivery !== 'delivered') return ctx.store.plan(input.stored, 'failed', ctx.eventDelay(0));
    let k = 0;
    ctx.store.plan(input.stored, 'sent', ctx.eventDelay(k++));
    ctx.store.plan(input.stored, 'delivered', ctx.eventDelay(k++));
    if (b.read || b.replied) ctx.store.plan(input.stored, 'read', ctx.eventDelay(k++));
    if (b.stop || b.replied) ctx.store.plan(input.stored, 'replied', ctx.eventDelay(k++), b.stop ? 'stopped' : 'replied');
    return;
  }
  if (b.delivery !== 'delivered') {
    ctx.schedule(() => status('failed'), ctx.eventDelay(0));
    return;
  }
  ctx.schedule(() => status('sent'), ctx.eventDelay(0));
  ctx.schedule(() => status('delivered'), ctx.eventDelay(1));
  let n = 2;
  if (b.read || b.replied) ctx.schedule(() => status('read'), ctx.eventDelay(n++));
  if (b.stop || b.replied) {
    ctx.schedule(() => {
      ctx.store.recordEvent(input.stored, 'replied', undefined, b.stop ? 'stopped' : 'replied');
      deliverWhatsappInbound(ctx, state, {
        phoneNumberId: input.phoneNumberId,
        from: input.to,
        text: b.stop ? 'STOP' : b.replyText,
        contextMessageId: input.id,
      });
    }, ctx.eventDelay(n));
  }
}

export interface WhatsappInbound {
  phoneNumberId: string;
  from: string;
  text: string;
  name?: string;
  contextMessageId?: string;
}

export function deliverWhatsappInbound(
  ctx: SandboxContext,
  state: WhatsappState,
  msg: WhatsappInbound,
): { id: string; delivery?: WebhookDelivery } {
  const id = wamid();
  const waId = msg.from.replace(/\D/g, '');
  state.noteInbound(msg.phoneNumberId, waId);
  const message: Record<string, unknown> = {
    from: waId,
    id,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'text',
    text: { body: msg.text },
  };
  if (msg.contextMessageId) message.context = { from: state.displayNumber(msg.phoneNumberId), id: msg.contextMessageId };
  const delivery = sendWhatsappChange(
    ctx,
    state,
    msg.phoneNumberId,
    { contacts: [{ profile: { name: msg.name ?? `Contact ${waId.slice(-4)}` }, wa_id: waId }], messages: [message] },
    'inbound',
  );
  return delivery ? { id, delivery } : { id };
}

/** Meta's subscription handshake: GET ?hub.mode=subscribe&hub.verify_token=..&hub.challenge=.. must echo the challenge. */
export async function verifyWebhook(
  url: string,
  verifyToken: string,
  timeoutMs: number,
): Promise<{ verified: boolean; status?: number; body?: string; error?: string }> {
  const challenge = String(Math.floor(Math.random() * 1e9)) + randomToken(4).replace(/[^A-Za-z0-9]/g, '');
  const target = new URL(url);
  target.searchParams.set('hub.mode', 'subscribe');
  target.searchParams.set('hub.challenge', challenge);
  target.searchParams.set('hub.verify_token', verifyToken);
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { verified: res.status === 200 && body.trim() === challenge, status: res.status, body: body.slice(0, 500) };
  } catch (err) {
    return { verified: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Retries the verify handshake every 2 s until the receiver answers, then subscribes it for
 * every phone number without a subscription of its own. Returns a function that stops trying.
 */
export function subscribeWhatsappInBackground(
  ctx: SandboxContext,
  state: WhatsappState,
  hook: { url: string; verifyToken: string; appSecret?: string },
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (): Promise<void> => {
    if (stopped) return;
    const r = await verifyWebhook(hook.url, hook.verifyToken, ctx.settings.timing.webhookTimeoutMs);
    if (stopped) return;
    if (r.verified) {
      state.defaultWebhook = {
        url: hook.url,
        verifyToken: hook.verifyToken,
        ...(hook.appSecret ? { appSecret: hook.appSecret } : {}),
        verifiedAt: new Date().toISOString(),
      };
      return;
    }
    timer = setTimeout(() => void attempt(), 2000);
  };
  void attempt();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
