import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import { MAILGUN_WEBHOOK_IDS, isWebhookId } from '../providers/mailgun.state';
import { deliverInbound } from '../providers/twilio.callbacks';
import { deliverInboundCall } from '../providers/twilio.inbound-call';
import { deliverWhatsappInbound, verifyWebhook } from '../providers/whatsapp.webhooks';
import { deliverReply } from '../providers/gmail.simulation';
import { ControlError, optBoolean, optNumber, optString, optUrl, reqString, reqUrl } from './validate';
import { body, controlRoutes, notFound } from './control-kit';
import type { ProviderStates } from './control.routes';

/** Provider-side configuration and "a person does something" triggers: webhooks, inbound, replies, grants. */
export function registerProviderControlRoutes(router: Router, ctx: SandboxContext, states: ProviderStates): void {
  const route = controlRoutes(router);

  // Mailgun webhooks (same effect as Mailgun's own /v3/domains/{domain}/webhooks API)
  route('POST', /^\/_sandbox\/mailgun\/webhooks$/, (rc) => {
    const b = body(rc);
    const domain = reqString(b, 'domain');
    const url = reqUrl(b, 'url');
    const events = Array.isArray(b.events) ? (b.events as unknown[]).map(String) : [optString(b, 'event') ?? ''];
    const ids = events.length === 1 && events[0] === '*' ? [...MAILGUN_WEBHOOK_IDS] : events;
    for (const id of ids) {
      if (!isWebhookId(id))
        throw new ControlError(400, 'VALIDATION_FAILED', `unknown Mailgun webhook id: ${id}`, { allowed: MAILGUN_WEBHOOK_IDS });
      states.mailgun.set(domain, id, [url]);
    }
    return { domain, webhooks: Object.fromEntries(states.mailgun.webhooks.get(domain) ?? []) };
  });

  // Twilio numbers and inbound SMS
  route('GET', /^\/_sandbox\/twilio\/numbers$/, () => ({ items: [...states.twilio.numbers.values()] }));
  route('POST', /^\/_sandbox\/twilio\/numbers$/, (rc) => {
    const b = body(rc);
    const number = reqString(b, 'number');
    const smsUrl = optUrl(b, 'smsUrl');
    const voiceUrl = optUrl(b, 'voiceUrl');
    const method = optString(b, 'smsMethod');
    const accountSid = optString(b, 'accountSid');
    const cfg = {
      number,
      ...(smsUrl ? { smsUrl } : {}),
      ...(voiceUrl ? { voiceUrl } : {}),
      ...(method ? { smsMethod: method.toUpperCase() === 'GET' ? ('GET' as const) : ('POST' as const) } : {}),
      ...(accountSid ? { accountSid } : {}),
    };
    states.twilio.numbers.set(number, cfg);
    return cfg;
  });
  route('POST', /^\/_sandbox\/twilio\/inbound$/, (rc) => {
    const b = body(rc);
    const accountSid = optString(b, 'accountSid');
    const result = deliverInbound(ctx, states.twilio, {
      from: reqString(b, 'from'),
      to: reqString(b, 'to'),
      body: optString(b, 'body') ?? '',
      ...(accountSid ? { accountSid } : {}),
    });
    return { messageSid: result.messageSid, optOut: result.optOut ?? null, webhook: result.delivery ? result.delivery.id : null };
  });

  // Twilio calls: live now and the most at once (per account), and every ended call's outcome
  route('GET', /^\/_sandbox\/twilio\/calls$/, (rc) => {
    const account = rc.query.get('accountSid') ?? undefined;
    const outcomes = states.twilio.callOutcomes.filter((o) => !account || o.accountSid === account);
    const byStatus: Record<string, number> = {};
    for (const o of outcomes) {
      const key = o.status === 'completed' && o.answeredBy?.startsWith('machine') ? 'voicemail' : o.status;
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
    return {
      live: states.twilio.liveCalls.get(account ?? '*') ?? 0,
      maxLive: states.twilio.maxLiveCalls.get(account ?? '*') ?? 0,
      ended: outcomes.length,
      byStatus,
      talkSeconds: outcomes
        .filter((o) => o.status === 'completed' && !o.answeredBy?.startsWith('machine'))
        .reduce((a, o) => a + o.duration, 0),
      calls: outcomes,
    };
  });

  // A person calls one of our numbers (posted to its VoiceUrl, signed): nobody answers in the sandbox.
  route('POST', /^\/_sandbox\/twilio\/calls\/inbound$/, (rc) => {
    const b = body(rc);
    const accountSid = optString(b, 'accountSid');
    const result = deliverInboundCall(ctx, states.twilio, {
      from: reqString(b, 'from'),
      to: reqString(b, 'to'),
      ...(accountSid ? { accountSid } : {}),
    });
    return { callSid: result.callSid, webhook: result.delivery ? result.delivery.id : null };
  });

  // WhatsApp webhook subscription (performs Meta's verify handshake) and inbound messages
  route('POST', /^\/_sandbox\/whatsapp\/webhook$/, async (rc) => {
    const b = body(rc);
    const url = reqUrl(b, 'url');
    const verifyToken = reqString(b, 'verifyToken');
    const result = await verifyWebhook(url, verifyToken, ctx.settings.timing.webhookTimeoutMs);
    if (!result.verified)
      throw new ControlError(400, 'WEBHOOK_VERIFICATION_FAILED', 'The callback URL or verify token could not be validated', result);
    const appSecret = optString(b, 'appSecret');
    states.whatsapp.webhooks.set(optString(b, 'phoneNumberId') ?? '*', {
      url,
      verifyToken,
      ...(appSecret ? { appSecret } : {}),
      verifiedAt: new Date().toISOString(),
    });
    return { verified: true, url };
  });
  route('POST', /^\/_sandbox\/whatsapp\/inbound$/, (rc) => {
    const b = body(rc);
    const name = optString(b, 'name');
    const context = optString(b, 'contextMessageId');
    const r = deliverWhatsappInbound(ctx, states.whatsapp, {
      phoneNumberId: reqString(b, 'phoneNumberId'),
      from: reqString(b, 'from'),
      text: reqString(b, 'text'),
      ...(name ? { name } : {}),
      ...(context ? { contextMessageId: context } : {}),
    });
    return { id: r.id, webhook: r.delivery?.id ?? null };
  });

  // Gmail: make a recipient reply now, inspect a mailbox
  route('POST', /^\/_sandbox\/gmail\/reply$/, async (rc) => {
    const b = body(rc);
    const id = reqString(b, 'messageId');
    const stored = ctx.store.get(id) ?? ctx.store.byProviderMessageId(id).find((m) => m.provider === 'gmail');
    if (!stored || stored.provider !== 'gmail') throw notFound('gmail message', id);
    const mailbox = states.gmail.mailbox(stored.account);
    const original = mailbox.messages.get(stored.providerMessageId);
    if (!original) throw notFound('gmail message', id);
    const reply = await deliverReply(
      mailbox,
      original,
      optString(b, 'from') ?? stored.to,
      optString(b, 'text') ?? ctx.behaviour.resolve(stored.to).replyText,
      optBoolean(b, 'bareHeaders') ?? false,
    );
    ctx.store.recordEvent(stored, 'replied');
    return { id: reply.id, threadId: reply.threadId, historyId: String(reply.historyId) };
  });
  // Gmail push: the Pub/Sub push subscription of a topic (what the Cloud console would configure).
  route('PUT', /^\/_sandbox\/gmail\/pubsub$/, (rc) => {
    const b = body(rc);
    const topicName = reqString(b, 'topicName');
    const pushEndpoint = reqString(b, 'pushEndpoint');
    states.gmail.pushEndpoints.set(topicName, pushEndpoint);
    return { topicName, pushEndpoint };
  });
  route('GET', /^\/_sandbox\/gmail\/watches$/, () => ({
    items: [...states.gmail.watches].map(([email, w]) => ({ email, ...w, expiration: String(w.expiration) })),
  }));
  route('GET', /^\/_sandbox\/gmail\/mailboxes\/([^/]+)$/, (rc) => {
    const mailbox = states.gmail.mailboxes.get(rc.params[0].toLowerCase());
    if (!mailbox) throw notFound('mailbox', rc.params[0]);
    return {
      email: mailbox.email,
      historyId: String(mailbox.historyId),
      messages: [...mailbox.messages.values()].map((m) => ({
        id: m.id,
        threadId: m.threadId,
        labelIds: m.labelIds,
        from: m.mail.from,
        to: m.mail.to,
        subject: m.mail.subject,
        historyId: String(m.historyId),
      })),
    };
  });

  // Google OAuth
  route('GET', /^\/_sandbox\/google\/grants$/, () => ({ items: states.oauth.summary() }));
  route('POST', /^\/_sandbox\/google\/revoke$/, (rc) => ({ revokedGrants: states.oauth.revokeUser(reqString(body(rc), 'email')) }));
  route('POST', /^\/_sandbox\/google\/expire$/, (rc) => ({ expiredTokens: states.oauth.expireUser(optString(body(rc), 'email')) }));
  route('PUT', /^\/_sandbox\/google\/settings$/, (rc) => {
    const ttl = optNumber(body(rc), 'accessTokenTtlSeconds', 1);
    if (ttl !== undefined) states.oauth.accessTokenTtlSeconds = Math.floor(ttl);
    return { accessTokenTtlSeconds: states.oauth.accessTokenTtlSeconds };
  });
}
