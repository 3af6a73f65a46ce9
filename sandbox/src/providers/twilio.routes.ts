import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import { basicAuth, header, type RequestContext } from '../http/request-context';
import { sendJson } from '../http/respond';
import { parseForm, type FormFields } from '../http/form';
import { faultAfterAccept, faultsBeforeAccept } from '../core/fault-flow';
import { twilioSid } from '../core/ids';
import { twilioError, twilioFaultResponders, twilioTooManyRequests, twilioUnauthorized } from './twilio.errors';
import { API, TwilioState, method, twilioDate, type TwilioResource } from './twilio.state';
import { registerTwilioNumbers } from './twilio-numbers.routes';
import { parseStream, scheduleMessageLifecycle } from './twilio.callbacks';
import { scheduleCallOrBridge } from './twilio.dial';

const MESSAGE_STATUSES = new Set(['sent', 'delivered', 'undelivered', 'failed']);
const E164 = /^\+[1-9]\d{6,14}$/;
const SHORT_CODE = /^\d{3,8}$/;
const TOLL_FREE = /^\+18(00|33|44|55|66|77|88)\d{7}$/;

function isPhone(value: string): boolean {
  const v = value.startsWith('whatsapp:') ? value.slice(9) : value;
  return E164.test(v);
}

/** Campaign message id travels in the StatusCallback URL (`?cadenceMessageId=`) or a header. */
function campaignMessageId(rc: RequestContext, statusCallback: string | undefined): string | undefined {
  const h = header(rc, 'x-cadence-message-id');
  if (h) return h;
  if (!statusCallback) return undefined;
  try {
    const q = new URL(statusCallback).searchParams;
    return q.get('cadenceMessageId') ?? q.get('cadence_message_id') ?? q.get('messageId') ?? undefined;
  } catch {
    return undefined;
  }
}

export function registerTwilio(router: Router, ctx: SandboxContext, defaultSmsUrl?: string): TwilioState {
  const state = new TwilioState(defaultSmsUrl);
  ctx.resettables.push(state);

  const authenticate = (rc: RequestContext): string | undefined => {
    const sid = rc.params[0];
    const creds = basicAuth(rc);
    if (!ctx.credentials.checkTwilio(sid, creds?.username, creds?.password)) {
      twilioUnauthorized(rc);
      return undefined;
    }
    return sid;
  };

  const senderMps = (sender: string): number => {
    const t = ctx.settings.rateLimits.twilio;
    const override = t.numbers[sender];
    if (override !== undefined) return override;
    if (SHORT_CODE.test(sender)) return t.shortCodeMps;
    if (TOLL_FREE.test(sender)) return t.tollFreeMps;
    return t.longCodeMps;
  };

  const messageResource = (accountSid: string, f: FormFields, sid: string): TwilioResource => {
    const now = twilioDate();
    const body = f.get('Body') ?? '';
    const media = f.all('MediaUrl');
    return {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: f.get('From') ?? null,
      messaging_service_sid: f.get('MessagingServiceSid') ?? null,
      num_media: String(media.length),
      num_segments: String(Math.max(1, Math.ceil(body.length / 153))),
      price: null,
      price_unit: 'USD',
      sid,
      status: f.get('MessagingServiceSid') && !f.get('From') ? 'accepted' : 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to: f.get('To') ?? '',
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    };
  };

  router.add('POST', new RegExp(`^${API}/Messages\\.json$`), async (rc) => {
    const accountSid = authenticate(rc);
    if (!accountSid) return;
    const f = await parseForm(rc);
    const to = f.get('To');
    const from = f.get('From');
    const service = f.get('MessagingServiceSid');
    const body = f.get('Body');
    if (!to) return twilioError(rc, 400, 21604, "A 'To' phone number is required.");
    if (!from && !service) return twilioError(rc, 400, 21603, "A 'From' phone number is required.");
    if (!body && f.all('MediaUrl').length === 0 && !f.get('ContentSid')) return twilioError(rc, 400, 21602, 'Message body is required.');
    if (!isPhone(to)) return twilioError(rc, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (body && body.length > 1600) return twilioError(rc, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    const sender = from ?? service!;
    if (state.optOuts.has(`${sender}|${to}`)) return twilioError(rc, 400, 21610, 'Attempt to send to unsubscribed recipient');

    const after = await faultsBeforeAccept(ctx, rc, 'twilio', 'messages', [to], twilioFaultResponders);
    if (after === false) return;
    if (ctx.settings.rateLimits.enabled) {
      const r = ctx.limiter.take(`twilio:mps:${sender}`, senderMps(sender));
      ctx.arrivals.record(`twilio:${sender}`, !r.ok);
      if (!r.ok) return twilioTooManyRequests(rc, r.retryAfterMs / 1000);
    } else ctx.arrivals.record(`twilio:${sender}`, false);

    const sid = twilioSid('SM');
    const resource = messageResource(accountSid, f, sid);
    state.remember(state.messages, resource);
    if (from) state.numberAccounts.set(from, accountSid);
    const statusCallback = f.get('StatusCallback');
    const cmid = campaignMessageId(rc, statusCallback);
    const stored = ctx.store.add({
      provider: 'twilio',
      channel: to.startsWith('whatsapp:') ? 'whatsapp' : 'sms',
      providerMessageId: sid,
      account: accountSid,
      from: sender,
      to,
      body: body ?? '',
      ...(cmid ? { campaignMessageId: cmid } : {}),
      ...(f.all('MediaUrl').length ? { meta: { mediaUrls: f.all('MediaUrl') } } : {}),
    });
    scheduleMessageLifecycle(ctx, state, {
      resource,
      stored,
      behaviour: ctx.behaviour.resolve(to),
      accountSid,
      ...(statusCallback && ctx.settings.twilioStatusCallbacks ? { statusCallback } : {}),
      callbackMethod: method(f.get('StatusCallbackMethod')),
      sender,
    });
    if (faultAfterAccept(rc, after)) return;
    sendJson(rc.res, 201, resource);
  });

  // Fetch an account: what "test connection" calls to prove credentials without sending anything.
  router.add('GET', new RegExp(`^${API}\\.json$`), (rc) => {
    const sid = authenticate(rc);
    if (!sid) return;
    sendJson(rc.res, 200, {
      sid,
      friendly_name: 'Sandbox account',
      status: 'active',
      type: 'Full',
      owner_account_sid: sid,
      date_created: twilioDate(new Date(0)),
      uri: `/2010-04-01/Accounts/${sid}.json`,
    });
  });

  router.add('GET', new RegExp(`^${API}/Messages/([^/]+)\\.json$`), (rc) => {
    if (!authenticate(rc)) return;
    const m = state.messages.get(rc.params[1]);
    if (!m || m.account_sid !== rc.params[0]) return twilioError(rc, 404, 20404, `The requested resource ${rc.path} was not found`);
    syncPlannedStatus(m);
    sendJson(rc.res, 200, m);
  });

  // States planned without a timer (no StatusCallback) are read back from the store.
  const syncPlannedStatus = (m: TwilioResource) => {
    for (const stored of ctx.store.byProviderMessageId(m.sid)) {
      for (const e of stored.events) {
        if (!MESSAGE_STATUSES.has(e.type) || e.type === m.status) continue;
        m.status = e.type;
        if (e.type === 'sent') m.date_sent = twilioDate(new Date(e.at));
        const code = e.detail?.errorCode;
        if (code) {
          m.error_code = Number(code);
          m.error_message = code === '30003' ? 'Unreachable destination handset' : 'Unknown error';
        }
      }
    }
  };

  router.add('GET', new RegExp(`^${API}/Messages\\.json$`), (rc) => {
    if (!authenticate(rc)) return;
    const to = rc.query.get('To');
    const from = rc.query.get('From');
    const pageSize = Math.min(1000, Number(rc.query.get('PageSize') ?? 50) || 50);
    const items: TwilioResource[] = [];
    for (const m of state.messages.values()) {
      if (m.account_sid !== rc.params[0]) continue;
      if (to && m.to !== to) continue;
      if (from && m.from !== from) continue;
      syncPlannedStatus(m);
      items.push(m);
    }
    items.reverse();
    const uri = rc.path + (rc.query.size ? `?${rc.query}` : '');
    sendJson(rc.res, 200, {
      messages: items.slice(0, pageSize),
      end: Math.min(pageSize, items.length) - 1,
      first_page_uri: uri,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri,
    });
  });

  router.add('POST', new RegExp(`^${API}/Calls\\.json$`), async (rc) => {
    const accountSid = authenticate(rc);
    if (!accountSid) return;
    const f = await parseForm(rc);
    const to = f.get('To');
    const from = f.get('From');
    const url = f.get('Url');
    const twiml = f.get('Twiml');
    if (!to) return twilioError(rc, 400, 21201, 'No called number is specified');
    if (!from) return twilioError(rc, 400, 21213, 'No caller ID phone number is specified');
    if (!url && !twiml && !f.get('ApplicationSid')) return twilioError(rc, 400, 21205, 'Url parameter is required.');
    if (!isPhone(to) && !to.startsWith('client:') && !to.startsWith('sip:'))
      return twilioError(rc, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (url && !/^https?:\/\//i.test(url)) return twilioError(rc, 400, 21205, `Url is not a valid URL: ${url}`);
    if (twiml && !/<Response[\s>/]/.test(twiml))
      return twilioError(rc, 400, 13610, 'Twiml is not valid TwiML: missing <Response> root element');

    const after = await faultsBeforeAccept(ctx, rc, 'twilio', 'calls', [to], twilioFaultResponders);
    if (after === false) return;
    if (ctx.settings.rateLimits.enabled) {
      const r = ctx.limiter.take(`twilio:cps:${accountSid}`, ctx.settings.rateLimits.twilio.callsPerSecond);
      if (!r.ok) return twilioTooManyRequests(rc, r.retryAfterMs / 1000);
    }

    const sid = twilioSid('CA');
    const now = twilioDate();
    const resource: TwilioResource = {
      account_sid: accountSid,
      annotation: null,
      answered_by: null,
      api_version: '2010-04-01',
      caller_name: null,
      date_created: now,
      date_updated: now,
      direction: 'outbound-api',
      duration: null,
      end_time: null,
      forwarded_from: null,
      from,
      from_formatted: from,
      group_sid: null,
      parent_call_sid: null,
      phone_number_sid: null,
      price: null,
      price_unit: 'USD',
      queue_time: '0',
      sid,
      start_time: null,
      status: 'queued',
      subresource_uris: {},
      to,
      to_formatted: to,
      trunk_sid: null,
      uri: `/2010-04-01/Accounts/${accountSid}/Calls/${sid}.json`,
    };
    state.remember(state.calls, resource);
    const statusCallback = f.get('StatusCallback');
    const cmid = campaignMessageId(rc, statusCallback);
    const stored = ctx.store.add({
      provider: 'twilio',
      channel: 'voice',
      providerMessageId: sid,
      account: accountSid,
      from,
      to,
      body: twiml ?? url ?? '',
      ...(cmid ? { campaignMessageId: cmid } : {}),
      meta: {
        ...(twiml ? { twiml } : { url: url ?? null }),
        ...(f.get('MachineDetection') ? { machineDetection: f.get('MachineDetection') } : {}),
      },
    });
    const events = new Set(
      f
        .all('StatusCallbackEvent')
        .flatMap((e) => e.split(/[\s,]+/))
        .filter(Boolean),
    );
    if (events.size === 0) events.add('completed');
    const machineDetection = f.get('MachineDetection');
    const stream = parseStream(twiml);
    if (stream) stored.meta = { ...stored.meta, stream };
    // TwiML that <Dial>s a second number (a call-now bridge) runs both legs (twilio.dial.ts).
    scheduleCallOrBridge(ctx, state, twiml, {
      resource,
      stored,
      behaviour: ctx.behaviour.resolve(to),
      accountSid,
      ...(url ? { url } : {}),
      urlMethod: method(f.get('Method')),
      ...(statusCallback && ctx.settings.twilioStatusCallbacks ? { statusCallback } : {}),
      callbackMethod: method(f.get('StatusCallbackMethod')),
      events,
      ...(machineDetection ? { machineDetection } : {}),
      ...(stream ? { stream } : {}),
    });
    if (faultAfterAccept(rc, after)) return;
    sendJson(rc.res, 201, resource);
  });

  router.add('GET', new RegExp(`^${API}/Calls/([^/]+)\\.json$`), (rc) => {
    if (!authenticate(rc)) return;
    const c = state.calls.get(rc.params[1]);
    if (!c || c.account_sid !== rc.params[0]) return twilioError(rc, 404, 20404, `The requested resource ${rc.path} was not found`);
    sendJson(rc.res, 200, c);
  });

  registerTwilioNumbers(router, state, authenticate);

  return state;
}
