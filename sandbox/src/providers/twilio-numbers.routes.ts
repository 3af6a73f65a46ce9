import type { Router } from '../http/router';
import type { RequestContext } from '../http/request-context';
import { sendJson } from '../http/respond';
import { parseForm } from '../http/form';
import { twilioSid } from '../core/ids';
import { twilioError } from './twilio.errors';
import { API, method, twilioDate, type TwilioNumberConfig, type TwilioState } from './twilio.state';

export function registerTwilioNumbers(router: Router, state: TwilioState, authenticate: (rc: RequestContext) => string | undefined): void {
  // IncomingPhoneNumbers: the sandbox "owns" every number, so a backend can set the inbound SMS URL
  // through Twilio's own API (list by PhoneNumber, then update SmsUrl).
  const numberResource = (accountSid: string, cfg: TwilioNumberConfig) => {
    const sid = (cfg.sid ??= twilioSid('PN'));
    return {
      account_sid: cfg.accountSid ?? accountSid,
      api_version: '2010-04-01',
      capabilities: { sms: true, mms: true, voice: true, fax: false },
      date_created: twilioDate(),
      date_updated: twilioDate(),
      friendly_name: cfg.number,
      phone_number: cfg.number,
      sid,
      sms_method: cfg.smsMethod ?? 'POST',
      sms_url: cfg.smsUrl ?? '',
      status: 'in-use',
      uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`,
      voice_method: 'POST',
      voice_url: cfg.voiceUrl ?? '',
    };
  };
  const numberFor = (phone: string): TwilioNumberConfig => {
    let cfg = state.numbers.get(phone);
    if (!cfg) {
      cfg = { number: phone };
      state.numbers.set(phone, cfg);
    }
    return cfg;
  };

  router.add('GET', new RegExp(`^${API}/IncomingPhoneNumbers\\.json$`), (rc) => {
    const accountSid = authenticate(rc);
    if (!accountSid) return;
    const phone = rc.query.get('PhoneNumber');
    const list = phone ? [numberFor(phone)] : [...state.numbers.values()];
    const uri = rc.path + (rc.query.size ? `?${rc.query}` : '');
    sendJson(rc.res, 200, {
      incoming_phone_numbers: list.map((c) => numberResource(accountSid, c)),
      end: list.length - 1,
      first_page_uri: uri,
      next_page_uri: null,
      page: 0,
      page_size: 50,
      previous_page_uri: null,
      start: 0,
      uri,
    });
  });

  const findBySid = (sid: string) => [...state.numbers.values()].find((c) => c.sid === sid);

  router.add('GET', new RegExp(`^${API}/IncomingPhoneNumbers/([^/]+)\\.json$`), (rc) => {
    const accountSid = authenticate(rc);
    if (!accountSid) return;
    const cfg = findBySid(rc.params[1]);
    if (!cfg) return twilioError(rc, 404, 20404, `The requested resource ${rc.path} was not found`);
    sendJson(rc.res, 200, numberResource(accountSid, cfg));
  });

  router.add('POST', new RegExp(`^${API}/IncomingPhoneNumbers/([^/]+)\\.json$`), async (rc) => {
    const accountSid = authenticate(rc);
    if (!accountSid) return;
    const cfg = findBySid(rc.params[1]);
    if (!cfg) return twilioError(rc, 404, 20404, `The requested resource ${rc.path} was not found`);
    const f = await parseForm(rc);
    const smsUrl = f.get('SmsUrl');
    if (smsUrl !== undefined) {
      if (smsUrl === '') delete cfg.smsUrl;
      else cfg.smsUrl = smsUrl;
    }
    if (f.get('SmsMethod')) cfg.smsMethod = method(f.get('SmsMethod'));
    const voiceUrl = f.get('VoiceUrl');
    if (voiceUrl !== undefined) {
      if (voiceUrl === '') delete cfg.voiceUrl;
      else cfg.voiceUrl = voiceUrl;
    }
    cfg.accountSid = accountSid;
    sendJson(rc.res, 200, numberResource(accountSid, cfg));
  });
}
