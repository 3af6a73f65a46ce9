import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import { redirect, sendText } from '../http/respond';
import { renderDashboard } from './dashboard.page';
import { ControlError, optBoolean } from './validate';
import { body, controlRoutes, notFound, paging } from './control-kit';
import type { ProviderStates } from './control.routes';

/** What happened: messages, counts, duplicates, webhook deliveries, configuration; and reset. */
export function registerInspectRoutes(router: Router, ctx: SandboxContext, states: ProviderStates): void {
  const route = controlRoutes(router);
  router.add('GET', /^\/$/, (rc) => redirect(rc.res, '/_sandbox'));
  router.add('GET', /^\/_sandbox\/?$/, (rc) => {
    const provider = rc.query.get('provider') ?? undefined;
    sendText(rc.res, 200, renderDashboard(ctx, provider ? { provider } : {}), 'text/html; charset=utf-8');
  });
  route('GET', /^\/_sandbox\/health$/, () => ({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) }));

  route('GET', /^\/_sandbox\/messages$/, (rc) => {
    const q = rc.query;
    const { offset, limit } = paging(rc);
    const filter: Record<string, string> = {};
    for (const k of ['provider', 'to', 'channel', 'campaignMessageId', 'providerMessageId', 'status']) {
      const v = q.get(k);
      if (v) filter[k] = v;
    }
    return ctx.store.list(filter, offset, limit);
  });
  route('GET', /^\/_sandbox\/messages\/([^/]+)$/, (rc) => {
    const m = ctx.store.get(rc.params[0]);
    if (!m) throw notFound('message', rc.params[0]);
    return m;
  });
  route('GET', /^\/_sandbox\/counts$/, () => ({
    messages: ctx.store.countsSummary(),
    webhooks: ctx.webhooks.summary(),
    duplicates: ctx.store.duplicates().length,
    dailyUsage: ctx.limiter.dailyUsage(),
  }));
  // Pacing as the provider saw it: per sending account (`twilio:+1415…`, `whatsapp:<phone number id>`,
  // `mailgun:<domain>`), the most accepted arrivals in any sliding window (default one second).
  route('GET', /^\/_sandbox\/arrivals$/, (rc) => {
    const windowMs = Number(rc.query.get('windowMs') ?? 1000);
    if (!Number.isInteger(windowMs) || windowMs < 1 || windowMs > 3_600_000)
      throw new ControlError(400, 'VALIDATION_FAILED', 'windowMs must be an integer between 1 and 3600000');
    const limitText = rc.query.get('limit');
    const limit = limitText === null ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000))
      throw new ControlError(400, 'VALIDATION_FAILED', 'limit must be an integer between 1 and 1000000');
    const key = rc.query.get('key');
    const keys = key ? [key] : ctx.arrivals.keys();
    return { items: keys.map((k) => ctx.arrivals.stats(k, windowMs, limit)) };
  });
  route('GET', /^\/_sandbox\/duplicates$/, () => {
    const items = ctx.store.duplicates();
    return { items, total: items.length };
  });
  route('GET', /^\/_sandbox\/webhooks$/, (rc) => {
    const { offset, limit } = paging(rc);
    const filter: Record<string, string> = {};
    for (const k of ['provider', 'state', 'event', 'messageId']) {
      const v = rc.query.get(k);
      if (v) filter[k] = v;
    }
    return ctx.webhooks.list(filter, offset, limit);
  });
  route('POST', /^\/_sandbox\/reset$/, (rc) => {
    const all = rc.query.get('all') === 'true' || optBoolean(body(rc), 'all') === true;
    ctx.reset(all);
    return { reset: true, all };
  });
  route('GET', /^\/_sandbox\/config$/, () => ({
    url: ctx.baseUrl,
    seed: ctx.behaviour.seed,
    rateLimits: ctx.settings.rateLimits,
    timing: ctx.settings.timing,
    rates: ctx.behaviour.rates,
    overrides: ctx.behaviour.listOverrides(),
    faults: ctx.faults.list(),
    credentials: ctx.credentials.summary(),
    twilioNumbers: [...states.twilio.numbers.values()],
    mailgunWebhooks: Object.fromEntries([...states.mailgun.webhooks].map(([d, m]) => [d, Object.fromEntries(m)])),
    whatsappWebhooks: Object.fromEntries([...states.whatsapp.webhooks].map(([k, v]) => [k, { url: v.url, verifiedAt: v.verifiedAt }])),
    defaultWebhooks: {
      mailgun: states.mailgun.defaultUrl ?? null,
      twilioSms: states.twilio.defaultSmsUrl ?? null,
      whatsapp: states.whatsapp.defaultWebhook
        ? { url: states.whatsapp.defaultWebhook.url, verifiedAt: states.whatsapp.defaultWebhook.verifiedAt }
        : null,
    },
    googleAccessTokenTtlSeconds: states.oauth.accessTokenTtlSeconds,
  }));
}
