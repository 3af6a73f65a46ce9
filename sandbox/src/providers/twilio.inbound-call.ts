import type { SandboxContext } from '../context';
import type { WebhookDelivery } from '../core/webhook-dispatcher';
import { twilioSid } from '../core/ids';
import { sendTwilioWebhook } from './twilio.callbacks';
import { twilioDate, type TwilioResource, type TwilioState } from './twilio.state';

export interface InboundCall {
  from: string;
  to: string;
  accountSid?: string;
}

/**
 * A person calls one of "our" numbers: Twilio posts the call (CallStatus ringing, Direction inbound) to the
 * number's VoiceUrl, signed with the owning account's auth token, and plays the TwiML it answers. The call
 * is in the store (`meta.direction: 'inbound'`, the answered TwiML in `meta.twiml`) and ends `completed`
 * once the answer was played (nobody picks up in the sandbox: a greeting, maybe a voicemail, then hang-up).
 */
export function deliverInboundCall(
  ctx: SandboxContext,
  state: TwilioState,
  call: InboundCall,
): { callSid: string; delivery?: WebhookDelivery } {
  const cfg = state.numbers.get(call.to);
  const accountSid = call.accountSid ?? cfg?.accountSid ?? state.numberAccounts.get(call.to) ?? 'AC' + '0'.repeat(32);
  const callSid = twilioSid('CA');
  const resource: TwilioResource = {
    sid: callSid,
    account_sid: accountSid,
    direction: 'inbound',
    from: call.from,
    to: call.to,
    status: 'ringing',
    date_created: twilioDate(),
    date_updated: twilioDate(),
    parent_call_sid: null,
    duration: null,
  };
  state.remember(state.calls, resource);
  const stored = ctx.store.add({
    provider: 'twilio',
    channel: 'voice',
    providerMessageId: callSid,
    account: accountSid,
    from: call.from,
    to: call.to,
    body: '',
    meta: { direction: 'inbound' },
  });
  ctx.store.recordEvent(stored, 'ringing');
  if (!cfg?.voiceUrl) return { callSid };
  const params: Record<string, string> = {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    CallStatus: 'ringing',
    Direction: 'inbound',
    From: call.from,
    To: call.to,
    Called: call.to,
    Caller: call.from,
    FromCountry: 'US',
    ToCountry: 'US',
  };
  const delivery = sendTwilioWebhook(ctx, accountSid, cfg.voiceUrl, 'POST', params, 'voice-inbound', stored.id, true, (d) => {
    const twiml = d.responseBody ?? null;
    stored.meta = { ...stored.meta, twiml, twimlStatus: d.attempts.at(-1)?.status ?? null };
    // The caller hears the answer and the call ends: what a missed call is.
    const seconds = twiml && /<Record/.test(twiml) ? 20 : 6;
    resource.status = 'completed';
    resource.duration = String(seconds);
    ctx.store.recordEvent(stored, 'completed', { CallDuration: String(seconds) });
  });
  return { callSid, delivery };
}
