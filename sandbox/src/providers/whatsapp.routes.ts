import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import { bearerToken, header, jsonBody } from '../http/request-context';
import { sendJson } from '../http/respond';
import { faultAfterAccept, faultsBeforeAccept } from '../core/fault-flow';
import { whatsappError, whatsappFaultResponders, whatsappParamError, whatsappRateLimited, whatsappUnauthorized } from './whatsapp.errors';
import { WHATSAPP_THROUGHPUT, WhatsappState } from './whatsapp.state';
import { scheduleWhatsappLifecycle, wamid } from './whatsapp.webhooks';
import { checkTemplateSend } from './whatsapp.templates';
import { registerWhatsappTemplateRoutes } from './whatsapp-templates.routes';

const MESSAGE_TYPES = new Set([
  'text',
  'template',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'reaction',
]);

interface SendRequest {
  messaging_product?: unknown;
  recipient_type?: unknown;
  to?: unknown;
  type?: unknown;
  text?: { body?: unknown };
  template?: { name?: unknown; language?: { code?: unknown }; components?: unknown };
  biz_opaque_callback_data?: unknown;
  context?: { message_id?: unknown };
  [key: string]: unknown;
}

/** Text the dashboard shows for a template send: name, language and its body parameters. */
function describeTemplate(t: NonNullable<SendRequest['template']>): string {
  const params: string[] = [];
  if (Array.isArray(t.components)) {
    for (const c of t.components as { parameters?: { text?: unknown }[] }[]) {
      for (const p of c.parameters ?? []) if (typeof p.text === 'string') params.push(p.text);
    }
  }
  return `template:${String(t.name)}(${String(t.language?.code ?? '')})${params.length ? ' ' + params.join(' | ') : ''}`;
}

export function registerWhatsapp(router: Router, ctx: SandboxContext): WhatsappState {
  const state = new WhatsappState();
  ctx.resettables.push(state);

  // The phone number node of the Graph API: what "test connection" reads.
  router.add('GET', /^\/(v\d+\.\d+)\/(\d+)$/, (rc) => {
    const phoneNumberId = rc.params[1];
    if (!ctx.credentials.checkWhatsapp(phoneNumberId, bearerToken(rc))) return whatsappUnauthorized(rc);
    const info = state.numbers.get(phoneNumberId);
    sendJson(rc.res, 200, {
      id: phoneNumberId,
      display_phone_number: '+1 555-010-0000',
      verified_name: 'Sandbox Business',
      quality_rating: 'GREEN',
      // What Meta reports for the number (`fields=throughput,messaging_limit_tier`): its send rate and
      // the portfolio's daily limit of unique recipients.
      throughput: { level: info?.throughputLevel ?? 'STANDARD' },
      messaging_limit_tier: info?.messagingLimitTier ?? 'TIER_1K',
    });
  });

  registerWhatsappTemplateRoutes(router, ctx, state);

  router.add('POST', /^\/(v\d+\.\d+)\/([^/]+)\/messages$/, async (rc) => {
    const phoneNumberId = rc.params[1];
    if (!ctx.credentials.checkWhatsapp(phoneNumberId, bearerToken(rc))) return whatsappUnauthorized(rc);
    let req: SendRequest;
    try {
      req = jsonBody(rc) as SendRequest;
    } catch {
      return whatsappParamError(rc, 'Invalid JSON in the request body');
    }
    if (!req || typeof req !== 'object') return whatsappParamError(rc, 'The request body must be a JSON object');
    if (req.messaging_product !== 'whatsapp') return whatsappParamError(rc, 'The parameter messaging_product is required.');
    if (typeof req.to !== 'string' || req.to === '') return whatsappParamError(rc, 'The parameter to is required.');
    const type = typeof req.type === 'string' ? req.type : 'text';
    if (!MESSAGE_TYPES.has(type))
      return whatsappParamError(rc, `Param type must be one of {${[...MESSAGE_TYPES].join(', ')}} - got "${type}".`);
    const to = req.to;
    const digits = to.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) {
      return whatsappError(rc, 400, 131030, '(#131030) Recipient phone number not in allowed list', {
        error_data: { messaging_product: 'whatsapp', details: 'Recipient phone number is not a valid phone number' },
      });
    }
    let body: string | undefined;
    let template: unknown;
    let category: 'marketing' | 'service' = 'service';
    if (type === 'text') {
      if (typeof req.text?.body !== 'string') return whatsappParamError(rc, "The parameter text['body'] is required.");
      if (req.text.body.length > 4096) return whatsappParamError(rc, "Param text['body'] must be at most 4096 characters long.");
      body = req.text.body;
    } else if (type === 'template') {
      if (typeof req.template?.name !== 'string') return whatsappParamError(rc, "The parameter template['name'] is required.");
      if (typeof req.template.language?.code !== 'string')
        return whatsappParamError(rc, "The parameter template['language']['code'] is required.");
      const wabaId = state.wabaId(phoneNumberId);
      const known = state.templates.find(wabaId, req.template.name, req.template.language.code);
      // A name the account has in other languages only is 'does not exist in the translation' at Meta too.
      if (known || state.templates.refusesUnknown(wabaId) || state.templates.hasName(wabaId, req.template.name)) {
        const problem = checkTemplateSend(known, req.template.name, req.template.language.code, req.template.components);
        if (problem)
          return whatsappError(rc, problem.status, problem.code, problem.message, {
            error_data: { messaging_product: 'whatsapp', details: problem.details },
          });
      }
      template = req.template;
      body = describeTemplate(req.template);
      category = 'marketing';
    } else {
      body = `${type}:${JSON.stringify(req[type] ?? null)}`;
    }

    const after = await faultsBeforeAccept(ctx, rc, 'whatsapp', 'messages', [to], whatsappFaultResponders);
    if (after === false) return;
    if (ctx.settings.rateLimits.enabled) {
      const w = ctx.settings.rateLimits.whatsapp;
      // A number upgraded to high throughput is held to its level, not to the 80/s default.
      const level = state.numbers.get(phoneNumberId)?.throughputLevel;
      const mps = w.numbers[phoneNumberId] ?? (level ? WHATSAPP_THROUGHPUT[level] : w.mps);
      const r = ctx.limiter.take(`whatsapp:${phoneNumberId}`, mps);
      ctx.arrivals.record(`whatsapp:${phoneNumberId}`, !r.ok);
      if (!r.ok) return whatsappRateLimited(rc, r.retryAfterMs / 1000);
    } else ctx.arrivals.record(`whatsapp:${phoneNumberId}`, false);

    const id = wamid();
    const opaque = typeof req.biz_opaque_callback_data === 'string' ? req.biz_opaque_callback_data : undefined;
    const cmid = header(rc, 'x-cadence-message-id') ?? opaque;
    const stored = ctx.store.add({
      provider: 'whatsapp',
      channel: 'whatsapp',
      providerMessageId: id,
      account: phoneNumberId,
      from: state.displayNumber(phoneNumberId),
      to,
      body,
      ...(template !== undefined ? { template } : {}),
      ...(cmid ? { campaignMessageId: cmid } : {}),
      meta: { type, apiVersion: rc.params[0] },
    });
    // Free-form outside the 24-hour window: Meta accepts the request, then fails the message with 131047.
    const outsideWindow = type !== 'template' && !state.windowOpen(phoneNumberId, digits);
    scheduleWhatsappLifecycle(ctx, state, {
      phoneNumberId,
      id,
      to: digits,
      stored,
      behaviour: ctx.behaviour.resolve(to),
      category,
      ...(outsideWindow
        ? {
            failure: {
              code: 131047,
              title: 'Re-engagement message',
              details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
            },
          }
        : {}),
      ...(opaque ? { opaque } : {}),
    });
    if (faultAfterAccept(rc, after)) return;
    const message: Record<string, string> = { id };
    if (type === 'template') message.message_status = 'accepted';
    sendJson(rc.res, 200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: digits }], messages: [message] });
  });

  return state;
}
