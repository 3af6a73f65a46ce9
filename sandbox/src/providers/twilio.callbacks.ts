import type { SandboxContext } from '../context';
import type { SandboxMessage } from '../core/store';
import type { WebhookDelivery } from '../core/webhook-dispatcher';
import type { Behaviour } from '../core/behaviour-simulator';
import { twilioSignature } from '../core/signers';
import { twilioSid } from '../core/ids';
import { HELP_WORDS, START_WORDS, STOP_WORDS, twilioDate, type TwilioResource, type TwilioState } from './twilio.state';

/** Posts (or GETs) form params to a customer URL, signed with `X-Twilio-Signature`. */
export function sendTwilioWebhook(
  ctx: SandboxContext,
  accountSid: string,
  url: string,
  method: 'POST' | 'GET',
  params: Record<string, string>,
  event: string,
  messageId?: string,
  keepResponseBody = false,
  onDone?: (d: WebhookDelivery) => void,
): WebhookDelivery {
  const token = ctx.credentials.twilioAuthToken(accountSid);
  const body = new URLSearchParams(params).toString();
  // For GET callbacks Twilio moves the params into the query string and signs that URL.
  const target = method === 'GET' ? url + (url.includes('?') ? '&' : '?') + body : url;
  const signature = method === 'GET' ? twilioSignature(token, target, {}) : twilioSignature(token, url, params);
  const headers: Record<string, string> = { 'x-twilio-signature': signature };
  if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
  return ctx.webhooks.send({
    provider: 'twilio',
    event,
    url: target,
    method,
    headers,
    body: method === 'POST' ? body : '',
    ...(messageId ? { messageId } : {}),
    keepResponseBody,
    ...(onDone ? { onDone } : {}),
  });
}

interface MessageTimelineInput {
  resource: TwilioResource;
  stored: SandboxMessage;
  behaviour: Behaviour;
  accountSid: string;
  statusCallback?: string;
  callbackMethod: 'POST' | 'GET';
  sender: string;
}

/** queued -> sent -> delivered | undelivered | failed, then the recipient's STOP or reply. */
export function scheduleMessageLifecycle(ctx: SandboxContext, state: TwilioState, input: MessageTimelineInput): void {
  const { resource, stored, behaviour, accountSid } = input;
  const final = behaviour.delivery === 'delivered' ? 'delivered' : behaviour.delivery === 'bounced' ? 'undelivered' : 'failed';
  const errorCode = final === 'undelivered' ? '30003' : final === 'failed' ? '30008' : undefined;
  const emit = (status: string) => {
    resource.status = status;
    resource.date_updated = twilioDate();
    if (status === 'sent') resource.date_sent = twilioDate();
    if (errorCode && status === final) {
      resource.error_code = Number(errorCode);
      resource.error_message = errorCode === '30003' ? 'Unreachable destination handset' : 'Unknown error';
    }
    ctx.store.recordEvent(stored, status, errorCode && status === final ? { errorCode } : undefined);
    if (!input.statusCallback) return;
    const params: Record<string, string> = {
      ApiVersion: '2010-04-01',
      AccountSid: accountSid,
      MessageSid: resource.sid,
      SmsSid: resource.sid,
      MessageStatus: status,
      SmsStatus: status,
      From: String(resource.from),
      To: String(resource.to),
    };
    if (resource.messaging_service_sid) params.MessagingServiceSid = String(resource.messaging_service_sid);
    if (errorCode && status === final) params.ErrorCode = errorCode;
    if (status === 'delivered') params.RawDlrDoneDate = new Date().toISOString().replace(/\D/g, '').slice(2, 12);
    sendTwilioWebhook(ctx, accountSid, input.statusCallback, input.callbackMethod, params, `status:${status}`, stored.id);
  };
  if (input.statusCallback) {
    ctx.schedule(() => emit('sent'), ctx.eventDelay(0));
    ctx.schedule(() => emit(final), ctx.eventDelay(1));
  } else {
    // Nobody to call back: the store applies the states when read (GET .../Messages/{sid} too).
    ctx.store.plan(stored, 'sent', ctx.eventDelay(0));
    ctx.store.plan(stored, final, ctx.eventDelay(1), final, errorCode ? { errorCode } : undefined);
  }
  if (final !== 'delivered') return;
  if (behaviour.stop) {
    ctx.schedule(() => {
      ctx.store.recordEvent(stored, 'stop', undefined, 'stopped');
      deliverInbound(ctx, state, { from: String(resource.to), to: input.sender, body: 'STOP', accountSid });
    }, ctx.eventDelay(2));
  } else if (behaviour.replied) {
    ctx.schedule(() => {
      ctx.store.recordEvent(stored, 'replied', undefined, 'replied');
      deliverInbound(ctx, state, { from: String(resource.to), to: input.sender, body: behaviour.replyText, accountSid });
    }, ctx.eventDelay(2));
  }
}

export interface InboundSms {
  from: string;
  to: string;
  body: string;
  accountSid?: string;
}

export type InboundResult = { delivery?: WebhookDelivery; optOut?: 'STOP' | 'START' | 'HELP'; messageSid: string };

/**
 * An SMS from a recipient to one of "our" numbers. Applies Twilio's default opt-out
 * keywords (STOP blocks further sends with 21610, START lifts it) and posts the webhook
 * to the number's configured SMS URL.
 */
export function deliverInbound(ctx: SandboxContext, state: TwilioState, sms: InboundSms): InboundResult {
  const word = sms.body.trim().toUpperCase();
  const optOut = STOP_WORDS.has(word) ? 'STOP' : START_WORDS.has(word) ? 'START' : HELP_WORDS.has(word) ? 'HELP' : undefined;
  if (optOut === 'STOP') state.optOuts.add(`${sms.to}|${sms.from}`);
  if (optOut === 'START') state.optOuts.delete(`${sms.to}|${sms.from}`);
  const cfg = state.numbers.get(sms.to);
  const accountSid = sms.accountSid ?? cfg?.accountSid ?? state.numberAccounts.get(sms.to) ?? 'AC' + '0'.repeat(32);
  const sid = twilioSid('SM');
  const result: InboundResult = { messageSid: sid };
  if (optOut) result.optOut = optOut;
  const smsUrl = cfg?.smsUrl ?? state.defaultSmsUrl;
  if (!smsUrl) return result;
  const params: Record<string, string> = {
    ToCountry: 'US',
    ToState: '',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: sms.body,
    FromCountry: 'US',
    To: sms.to,
    ToZip: '',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: accountSid,
    From: sms.from,
    ApiVersion: '2010-04-01',
  };
  if (optOut) params.OptOutType = optOut;
  result.delivery = sendTwilioWebhook(ctx, accountSid, smsUrl, cfg?.smsMethod ?? 'POST', params, 'inbound');
  return result;
}

interface CallTimelineInput {
  resource: TwilioResource;
  stored: SandboxMessage;
  behaviour: Behaviour;
  accountSid: string;
  url?: string;
  urlMethod: 'POST' | 'GET';
  statusCallback?: string;
  callbackMethod: 'POST' | 'GET';
  /** Which progress events the caller subscribed to (Twilio default: completed only). */
  events: Set<string>;
  /** Twilio's `MachineDetection` (`Enable` or `DetectMessageEnd`): answered calls then report `AnsweredBy`. */
  machineDetection?: string;
  /** The call's `<Connect><Stream>`, if its TwiML has one: the agent the sandbox plays. */
  stream?: StreamTarget;
}

export interface StreamTarget {
  url: string;
  parameters: Record<string, string>;
}

/** The first `<Stream url="...">` of a TwiML document and its `<Parameter name value>`s. */
export function parseStream(twiml: string | undefined): StreamTarget | undefined {
  if (!twiml) return undefined;
  const stream = /<Stream\b([^>]*?)(\/>|>([\s\S]*?)<\/Stream>)/.exec(twiml);
  if (!stream) return undefined;
  const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
  const url = attr(stream[1], 'url');
  if (!url) return undefined;
  const parameters: Record<string, string> = {};
  for (const p of (stream[3] ?? '').matchAll(/<Parameter\b([^>]*)\/?>/g)) {
    const name = attr(p[1], 'name');
    if (name) parameters[unescapeXml(name)] = unescapeXml(attr(p[1], 'value') ?? '');
  }
  return { url: unescapeXml(url), parameters };
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');
}

/**
 * initiated -> ringing -> in-progress (TwiML fetched from Url) -> completed, or busy/no-answer/failed.
 * The call is live (counted in the account's live calls) from its creation to its final status. With
 * answering-machine detection the answered and completed callbacks carry `AnsweredBy`; a call whose
 * TwiML streams to an agent posts the agent's conversation outcome to the stream's `outcomeUrl` parameter.
 */
export function scheduleCallLifecycle(ctx: SandboxContext, state: TwilioState, input: CallTimelineInput): void {
  const { resource, stored, behaviour, accountSid } = input;
  let sequence = 0;
  state.callStarted(resource);
  const answeredBy = input.machineDetection
    ? behaviour.answeredBy === 'machine'
      ? input.machineDetection === 'DetectMessageEnd'
        ? 'machine_end_beep'
        : 'machine_start'
      : 'human'
    : null;
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
    if (event === 'completed') state.callEnded(resource, answeredBy);
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
  ctx.schedule(() => progress('initiated', 'initiated'), ctx.eventDelay(0));
  ctx.schedule(() => progress('ringing', 'ringing'), ctx.eventDelay(1));
  ctx.schedule(() => {
    if (behaviour.call !== 'completed') {
      resource.duration = '0';
      progress('completed', behaviour.call, { CallDuration: '0', Duration: '0' });
      return;
    }
    resource.start_time = twilioDate();
    resource.answered_by = answeredBy ?? 'human';
    const amd: Record<string, string> = answeredBy ? { AnsweredBy: answeredBy } : {};
    progress('answered', 'in-progress', amd);
    const byMachine = answeredBy === 'machine_start' || answeredBy === 'machine_end_beep';
    // The call plays what its TwiML says, so it ends only after that TwiML is in hand: ending on a
    // timer raced the fetch, and a slow answer dropped the stream (and the agent's outcome).
    const playAndHangUp = (fetchedStream?: StreamTarget) =>
      ctx.schedule(() => {
        // A machine answering inline TwiML hears it but holds no conversation; fetched TwiML was chosen for who answered.
        const agent = input.stream && !byMachine ? input.stream : fetchedStream;
        const duration = String(behaviour.callDurationSeconds);
        resource.duration = duration;
        resource.end_time = twilioDate();
        if (agent) reportAgentOutcome(ctx, stored, agent, resource.sid, behaviour);
        progress('completed', 'completed', {
          CallDuration: duration,
          Duration: String(Math.ceil(behaviour.callDurationSeconds / 60)),
          ...amd,
        });
      }, ctx.settings.timing.eventSpacingMs);
    if (!input.url) return playAndHangUp();
    // TwiML from a URL is fetched once the call is answered (after detection, with AnsweredBy, as Twilio
    // does): what it answers is what the call plays, a stream to an agent included.
    sendTwilioWebhook(
      ctx,
      accountSid,
      input.url,
      input.urlMethod,
      { ...base('in-progress'), ...amd },
      'voice-url',
      stored.id,
      true,
      (d) => {
        stored.meta = { ...stored.meta, twimlFetched: d.responseBody ?? null, twimlStatus: d.attempts.at(-1)?.status ?? null };
        const fetchedStream = parseStream(d.responseBody ?? undefined);
        if (fetchedStream) stored.meta = { ...stored.meta, stream: fetchedStream };
        playAndHangUp(fetchedStream);
      },
    );
  }, ctx.eventDelay(2));
}

/**
 * The agent on the other end of the stream (an ElevenLabs or OpenAI Realtime agent in production)
 * reports how the conversation went: posted as JSON to the stream's `outcomeUrl` parameter, with every
 * stream parameter echoed back so the receiver knows which campaign, lead and message it was.
 */
function reportAgentOutcome(
  ctx: SandboxContext,
  stored: SandboxMessage,
  stream: StreamTarget,
  callSid: string,
  behaviour: Behaviour,
): void {
  const summary =
    behaviour.agentOutcome === 'interested'
      ? 'The lead wants to hear more.'
      : behaviour.agentOutcome === 'call_back'
        ? 'The lead asked to be called back later.'
        : 'The lead is not interested.';
  ctx.store.recordEvent(stored, 'agent_outcome', { outcome: behaviour.agentOutcome });
  const target = stream.parameters.outcomeUrl;
  if (!target) return;
  ctx.webhooks.send({
    provider: 'twilio',
    event: 'agent:outcome',
    url: target,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ callSid, outcome: behaviour.agentOutcome, summary, parameters: stream.parameters }),
    messageId: stored.id,
  });
}
