import type { SandboxContext } from '../context';
import type { SandboxMessage } from '../core/store';
import type { Behaviour } from '../core/behaviour-simulator';
import { twilioSid } from '../core/ids';
import { scheduleCallLifecycle, sendTwilioWebhook } from './twilio.callbacks';
import { method, twilioDate, type TwilioResource, type TwilioState } from './twilio.state';

/** The `<Dial>` of a call's TwiML: whom it connects, from which number, and where it reports. */
export interface DialVerb {
  number: string;
  callerId?: string;
  action?: string;
  method: 'POST' | 'GET';
}

const XML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const unescapeXml = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (e) => XML_ENTITIES[e]);

/** The first `<Dial>` with a number (`<Dial><Number>+1…</Number></Dial>` or `<Dial>+1…</Dial>`), if any. */
export function parseDial(twiml: string | undefined): DialVerb | undefined {
  const dial = /<Dial(\s[^>]*)?>([\s\S]*?)<\/Dial>/.exec(twiml ?? '');
  if (!dial) return undefined;
  const attributes = new Map<string, string>();
  for (const [, name, value] of (dial[1] ?? '').matchAll(/([A-Za-z]+)="([^"]*)"/g)) attributes.set(name, unescapeXml(value));
  const inner = dial[2];
  const number = unescapeXml((/<Number[^>]*>([^<]+)<\/Number>/.exec(inner)?.[1] ?? (inner.includes('<') ? '' : inner)).trim());
  if (!number) return undefined;
  return {
    number,
    ...(attributes.get('callerId') ? { callerId: attributes.get('callerId') } : {}),
    ...(attributes.get('action') ? { action: attributes.get('action') } : {}),
    method: method(attributes.get('method')),
  };
}

type CallInput = Parameters<typeof scheduleCallLifecycle>[2];

/** A call's simulation: a bridge when its TwiML `<Dial>`s a number, otherwise the one-leg lifecycle. */
export function scheduleCallOrBridge(ctx: SandboxContext, state: TwilioState, twiml: string | undefined, input: CallInput): void {
  const dial = parseDial(twiml);
  if (!dial) return scheduleCallLifecycle(ctx, state, input);
  scheduleBridgeLifecycle(ctx, state, {
    resource: input.resource,
    stored: input.stored,
    behaviour: input.behaviour,
    accountSid: input.accountSid,
    dial,
    ...(input.statusCallback ? { statusCallback: input.statusCallback } : {}),
    callbackMethod: input.callbackMethod,
    events: input.events,
  });
}

interface BridgeInput {
  resource: TwilioResource;
  stored: SandboxMessage;
  /** The person who is rung first (the `To` of the call: in "call now", the agent). */
  behaviour: Behaviour;
  accountSid: string;
  dial: DialVerb;
  statusCallback?: string;
  callbackMethod: 'POST' | 'GET';
  events: Set<string>;
}

/** Seconds the parent call spends before the `<Dial>` connects (the spoken "Connecting you…"). */
const SAY_SECONDS = 3;

/**
 * A call whose TwiML `<Dial>`s a second number, executed as Twilio does: the parent call rings its `To`
 * (initiated → ringing → in-progress, or busy / no-answer / failed by that number's behaviour), then a
 * child call (direction `outbound-dial`, `ParentCallSid`) rings the dialled number with its own behaviour;
 * the `<Dial action>` URL gets DialCallStatus, DialCallSid, DialCallDuration and DialBridged, and the
 * parent completes after it (its CallDuration covers the bridge). The child leg is in the store too
 * (`meta.leg: 'dial'`, `meta.parentCallSid`), so a test can see both legs.
 */
export function scheduleBridgeLifecycle(ctx: SandboxContext, state: TwilioState, input: BridgeInput): void {
  const { resource, stored, behaviour, accountSid, dial } = input;
  let sequence = 0;
  const base = (status: string): Record<string, string> => ({
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    CallSid: resource.sid,
    CallStatus: status,
    Direction: 'outbound-api',
    From: String(resource.from),
    To: String(resource.to),
    Called: String(resource.to),
    Caller: String(resource.from),
  });
  const progress = (event: string, status: string, extra: Record<string, string> = {}) => {
    resource.status = status;
    resource.date_updated = twilioDate();
    ctx.store.recordEvent(stored, status, Object.keys(extra).length ? extra : undefined);
    if (!input.statusCallback || !input.events.has(event)) return;
    const params = {
      ...base(status),
      CallbackSource: 'call-progress-events',
      Timestamp: twilioDate(),
      SequenceNumber: String(sequence++),
      ...extra,
    };
    sendTwilioWebhook(ctx, accountSid, input.statusCallback, input.callbackMethod, params, `call:${status}`, stored.id);
  };
  const finish = (seconds: number) => {
    resource.duration = String(seconds);
    resource.end_time = twilioDate();
    progress('completed', 'completed', { CallDuration: String(seconds), Duration: String(Math.ceil(seconds / 60)) });
  };

  ctx.schedule(() => progress('initiated', 'initiated'), ctx.eventDelay(0));
  ctx.schedule(() => progress('ringing', 'ringing'), ctx.eventDelay(1));
  ctx.schedule(() => {
    if (behaviour.call !== 'completed') {
      // The first person never picked up: nobody is dialled.
      resource.duration = '0';
      progress('completed', behaviour.call, { CallDuration: '0', Duration: '0' });
      return;
    }
    resource.start_time = twilioDate();
    resource.answered_by = 'human';
    progress('answered', 'in-progress');
    const child = dialChild(ctx, state, input);
    ctx.schedule(() => {
      const leadSeconds = child.behaviour.call === 'completed' ? child.behaviour.callDurationSeconds : 0;
      const dialStatus = child.behaviour.call;
      child.resource.status = dialStatus;
      child.resource.duration = String(leadSeconds);
      child.resource.end_time = twilioDate();
      ctx.store.recordEvent(child.stored, dialStatus, { CallDuration: String(leadSeconds) });
      const total = SAY_SECONDS + leadSeconds;
      if (!dial.action) return finish(total);
      const params = {
        ...base('in-progress'),
        DialCallStatus: dialStatus,
        DialCallSid: child.resource.sid,
        DialCallDuration: String(leadSeconds),
        DialBridged: String(dialStatus === 'completed'),
      };
      // Twilio waits for the action's TwiML (here the end of the call) before the parent completes.
      sendTwilioWebhook(ctx, accountSid, dial.action, dial.method, params, 'dial-action', stored.id, true, (d) => {
        stored.meta = { ...stored.meta, dialAction: { status: d.attempts.at(-1)?.status ?? null, response: d.responseBody ?? null } };
        finish(total);
      });
    }, ctx.settings.timing.eventSpacingMs * 2);
  }, ctx.eventDelay(2));
}

/** The child leg `<Dial>` places once the parent is answered: ringing now, its outcome by the dialled number's behaviour. */
function dialChild(ctx: SandboxContext, state: TwilioState, input: BridgeInput) {
  const { resource, accountSid, dial } = input;
  const sid = twilioSid('CA');
  const from = dial.callerId ?? String(resource.from);
  const child: TwilioResource = {
    ...resource,
    sid,
    parent_call_sid: resource.sid,
    direction: 'outbound-dial',
    from,
    from_formatted: from,
    to: dial.number,
    to_formatted: dial.number,
    status: 'ringing',
    start_time: twilioDate(),
    duration: null,
    end_time: null,
    answered_by: null,
    uri: `/2010-04-01/Accounts/${accountSid}/Calls/${sid}.json`,
  };
  state.remember(state.calls, child);
  const stored = ctx.store.add({
    provider: 'twilio',
    channel: 'voice',
    providerMessageId: sid,
    account: accountSid,
    from,
    to: dial.number,
    body: '',
    ...(input.stored.campaignMessageId ? { campaignMessageId: input.stored.campaignMessageId } : {}),
    meta: { leg: 'dial', parentCallSid: resource.sid },
  });
  ctx.store.recordEvent(stored, 'ringing');
  input.stored.meta = { ...input.stored.meta, leg: 'parent', dialedCallSid: sid };
  return { resource: child, stored, behaviour: ctx.behaviour.resolve(dial.number) };
}
