import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import { basicAuth, type RequestContext } from '../http/request-context';
import { sendJson, sendText } from '../http/respond';
import { parseForm, type FormFields } from '../http/form';
import { faultAfterAccept, faultsBeforeAccept, type FaultResponders } from '../core/fault-flow';
import { hexId } from '../core/ids';
import { parseMail, splitAddresses } from '../core/mime';
import { MailgunState, MAILGUN_WEBHOOK_IDS, isWebhookId } from './mailgun.state';
import { scheduleMailgunLifecycle, type MailgunSendInfo } from './mailgun.events';
import { validExpression, type MailgunRoute } from './mailgun.inbound';

function mgError(rc: RequestContext, status: number, message: string, headers?: Record<string, string>): void {
  sendJson(rc.res, status, { message }, headers);
}

const responders: FaultResponders = {
  // Mailgun answers bad credentials with a bare "Forbidden" body.
  unauthorized: (rc) => sendText(rc.res, 401, 'Forbidden', 'text/plain; charset=utf-8', { 'www-authenticate': 'Basic realm="MG API"' }),
  rateLimited: (rc, s) => mgError(rc, 429, 'Too many requests', { 'retry-after': String(Math.max(1, Math.ceil(s))) }),
  serverError: (rc, status) => mgError(rc, status, status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
};

function isCadenceKey(key: string): boolean {
  return key.replace(/[-_]/g, '').toLowerCase() === 'cadencemessageid';
}

function substitute(template: string, vars: Record<string, unknown> | undefined, email: string): string {
  if (!template.includes('%recipient')) return template;
  return template.replace(/%recipient(?:\.([A-Za-z0-9_.-]+)|_email)%/g, (whole, key: string | undefined) => {
    if (key === undefined) return email;
    const v = vars?.[key];
    return v === undefined || v === null ? whole : String(v);
  });
}

interface Draft {
  from: string;
  recipients: { address: string; display: string }[];
  subject: string;
  text?: string;
  html?: string;
  template?: string;
  headers: Record<string, string>;
  vars: Record<string, string>;
  tags: string[];
  recipientVariables?: Record<string, Record<string, unknown>>;
  trackOpens: boolean;
  trackClicks: boolean;
}

function yes(v: string | undefined, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  return !['no', 'false', 'off', '0'].includes(v.toLowerCase());
}

function draftFromForm(f: FormFields): Draft | string {
  const from = f.get('from');
  if (!from) return 'from parameter is missing';
  const to = f.all('to').flatMap(splitAddresses);
  if (to.length === 0) return 'to parameter is missing';
  const cc = f.all('cc').flatMap(splitAddresses);
  const bcc = f.all('bcc').flatMap(splitAddresses);
  const text = f.get('text');
  const html = f.get('html');
  const template = f.get('template');
  if (text === undefined && html === undefined && template === undefined && !f.get('amp-html')) {
    return "Need at least one of 'text', 'html' or 'template' parameters specified";
  }
  let recipientVariables: Draft['recipientVariables'];
  const rv = f.get('recipient-variables');
  if (rv !== undefined) {
    try {
      const parsed: unknown = JSON.parse(rv);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'recipient-variables parameter is not a valid JSON';
      recipientVariables = parsed as Record<string, Record<string, unknown>>;
    } catch {
      return 'recipient-variables parameter is not a valid JSON';
    }
  }
  const headers: Record<string, string> = {};
  const vars: Record<string, string> = {};
  for (const [k, values] of f.values) {
    if (k.startsWith('h:')) headers[k.slice(2)] = values[0]!;
    else if (k.startsWith('v:')) vars[k.slice(2)] = values[0]!;
  }
  const tracking = f.get('o:tracking');
  const draft: Draft = {
    from,
    recipients: [...to, ...cc, ...bcc],
    subject: f.get('subject') ?? '',
    headers,
    vars,
    tags: f.all('o:tag'),
    trackOpens: yes(f.get('o:tracking-opens'), yes(tracking, true)),
    trackClicks: yes(f.get('o:tracking-clicks'), yes(tracking, true)),
  };
  if (text !== undefined) draft.text = text;
  if (html !== undefined) draft.html = html;
  if (template !== undefined) draft.template = template;
  if (recipientVariables) draft.recipientVariables = recipientVariables;
  return draft;
}

export function registerMailgun(router: Router, ctx: SandboxContext, defaultUrl?: string): MailgunState {
  const state = new MailgunState(defaultUrl);
  ctx.resettables.push(state);

  const authenticate = (rc: RequestContext, domain: string): boolean => {
    const creds = basicAuth(rc);
    if (ctx.credentials.checkMailgun(domain, creds?.username, creds?.password)) return true;
    responders.unauthorized(rc);
    return false;
  };

  const accept = async (rc: RequestContext, domain: string, draft: Draft) => {
    const limits = ctx.settings.rateLimits;
    // The batch cap is validation, not throttling: it stays on with SANDBOX_RATE_LIMITS=off.
    const max = limits.mailgun.maxBatchRecipients;
    if (draft.recipients.length > max) {
      return mgError(
        rc,
        400,
        `Too many recipients: the maximum number of recipients per message is ${max}, got ${draft.recipients.length}`,
      );
    }
    const addresses = draft.recipients.map((r) => r.address);
    const after = await faultsBeforeAccept(ctx, rc, 'mailgun', 'messages', addresses, responders);
    if (after === false) return;
    if (limits.enabled) {
      const rps = limits.mailgun.domains[domain] ?? limits.mailgun.requestsPerSecond;
      const r = ctx.limiter.take(`mailgun:${domain}`, rps);
      ctx.arrivals.record(`mailgun:${domain}`, !r.ok);
      if (!r.ok) return responders.rateLimited(rc, r.retryAfterMs / 1000);
    } else ctx.arrivals.record(`mailgun:${domain}`, false);

    const now = new Date();
    const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
    const messageId = `${stamp}.${hexId(16).toUpperCase()}@${domain}`;
    const fromAddress = splitAddresses(draft.from)[0]?.address ?? draft.from;
    const link = /https?:\/\/[^\s"'<>]+/.exec(draft.html ?? draft.text ?? '')?.[0] ?? `https://${domain}/`;
    for (const r of draft.recipients) {
      const rv = draft.recipientVariables?.[r.address];
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(draft.headers)) headers[k] = substitute(v, rv, r.address);
      const variables: Record<string, string> = {};
      let cmid: string | undefined;
      for (const [k, v] of Object.entries(draft.vars)) {
        variables[k] = substitute(v, rv, r.address);
        if (isCadenceKey(k)) cmid = variables[k];
      }
      for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === 'x-cadence-message-id') cmid = v;
      if (!cmid && rv) for (const [k, v] of Object.entries(rv)) if (isCadenceKey(k)) cmid = String(v);
      const subject = substitute(draft.subject, rv, r.address);
      const stored = ctx.store.add(
        {
          provider: 'mailgun',
          channel: 'email',
          providerMessageId: `<${messageId}>`,
          account: domain,
          from: draft.from,
          to: r.address,
          subject,
          ...(draft.text !== undefined ? { body: substitute(draft.text, rv, r.address) } : {}),
          ...(draft.html !== undefined ? { html: substitute(draft.html, rv, r.address) } : {}),
          ...(draft.template !== undefined ? { template: draft.template } : {}),
          ...(cmid ? { campaignMessageId: cmid } : {}),
          headers,
          variables,
          tags: draft.tags,
          ...(rv ? { meta: { recipientVariables: rv } } : {}),
        },
        now,
      );
      const info: MailgunSendInfo = {
        domain,
        messageId,
        from: fromAddress,
        subject,
        tags: draft.tags,
        trackOpens: draft.trackOpens,
        trackClicks: draft.trackClicks,
        link,
      };
      scheduleMailgunLifecycle(ctx, state, info, stored, ctx.behaviour.resolve(r.address));
    }
    if (faultAfterAccept(rc, after)) return;
    sendJson(rc.res, 200, { id: `<${messageId}>`, message: 'Queued. Thank you.' });
  };

  router.add('POST', /^\/v3\/([^/]+)\/messages$/, async (rc) => {
    const domain = rc.params[0];
    if (!authenticate(rc, domain)) return;
    const draft = draftFromForm(await parseForm(rc));
    if (typeof draft === 'string') return mgError(rc, 400, draft);
    await accept(rc, domain, draft);
  });

  router.add('POST', /^\/v3\/([^/]+)\/messages\.mime$/, async (rc) => {
    const domain = rc.params[0];
    if (!authenticate(rc, domain)) return;
    const f = await parseForm(rc);
    const to = f.all('to').flatMap(splitAddresses);
    if (to.length === 0) return mgError(rc, 400, 'to parameter is missing');
    const file = f.files.find((x) => x.field === 'message');
    const raw = file?.data ?? (f.get('message') !== undefined ? Buffer.from(f.get('message')!) : undefined);
    if (!raw) return mgError(rc, 400, 'message parameter is missing');
    const mail = await parseMail(raw);
    const vars: Record<string, string> = {};
    for (const [k, values] of f.values) if (k.startsWith('v:')) vars[k.slice(2)] = values[0]!;
    const draft: Draft = {
      from: mail.fromName ? `${mail.fromName} <${mail.from}>` : mail.from,
      recipients: to,
      subject: mail.subject,
      headers: mail.headers,
      vars,
      tags: f.all('o:tag'),
      trackOpens: yes(f.get('o:tracking-opens'), yes(f.get('o:tracking'), true)),
      trackClicks: yes(f.get('o:tracking-clicks'), yes(f.get('o:tracking'), true)),
    };
    if (mail.text !== undefined) draft.text = mail.text;
    if (mail.html !== undefined) draft.html = mail.html;
    await accept(rc, domain, draft);
  });

  const webhookBody = (urls: string[]) => ({ urls, url: urls[0] });

  // Domain details, as GET /v3/domains/{name} answers them; any domain is "active" here.
  router.add('GET', /^\/v3\/domains\/([^/]+)$/, (rc) => {
    const domain = rc.params[0];
    if (!authenticate(rc, domain)) return;
    sendJson(rc.res, 200, {
      domain: { name: domain, state: 'active', type: 'custom', spam_action: 'disabled' },
      receiving_dns_records: [],
      sending_dns_records: [],
    });
  });

  router.add('GET', /^\/v3\/domains\/([^/]+)\/webhooks$/, (rc) => {
    const domain = rc.params[0];
    if (!authenticate(rc, domain)) return;
    const webhooks: Record<string, { urls: string[] }> = {};
    for (const id of MAILGUN_WEBHOOK_IDS) {
      const urls = state.ownUrls(domain, id);
      if (urls.length) webhooks[id] = { urls };
    }
    sendJson(rc.res, 200, { webhooks });
  });

  router.add('POST', /^\/v3\/domains\/([^/]+)\/webhooks$/, async (rc) => {
    const domain = rc.params[0];
    if (!authenticate(rc, domain)) return;
    const f = await parseForm(rc);
    const id = f.get('id') ?? '';
    const urls = f.all('url');
    if (!isWebhookId(id)) return mgError(rc, 400, `Invalid webhook id: ${id}. Valid ids: ${MAILGUN_WEBHOOK_IDS.join(', ')}`);
    if (urls.length === 0 || urls.length > 3) return mgError(rc, 400, 'url parameter is missing or has more than 3 values');
    if (state.ownUrls(domain, id).length) return mgError(rc, 400, 'Webhook already exists');
    state.set(domain, id, urls);
    sendJson(rc.res, 200, { message: 'Webhook has been created', webhook: webhookBody(urls) });
  });

  router.add('GET', /^\/v3\/domains\/([^/]+)\/webhooks\/([^/]+)$/, (rc) => {
    const [domain, id] = rc.params as [string, string];
    if (!authenticate(rc, domain)) return;
    const urls = isWebhookId(id) ? state.ownUrls(domain, id) : [];
    if (urls.length === 0) return mgError(rc, 404, 'Webhook not found');
    sendJson(rc.res, 200, { webhook: webhookBody(urls) });
  });

  router.add('PUT', /^\/v3\/domains\/([^/]+)\/webhooks\/([^/]+)$/, async (rc) => {
    const [domain, id] = rc.params as [string, string];
    if (!authenticate(rc, domain)) return;
    if (!isWebhookId(id)) return mgError(rc, 400, `Invalid webhook id: ${id}`);
    const urls = (await parseForm(rc)).all('url');
    if (urls.length === 0 || urls.length > 3) return mgError(rc, 400, 'url parameter is missing or has more than 3 values');
    state.set(domain, id, urls);
    sendJson(rc.res, 200, { message: 'Webhook has been updated', webhook: webhookBody(urls) });
  });

  router.add('DELETE', /^\/v3\/domains\/([^/]+)\/webhooks\/([^/]+)$/, (rc) => {
    const [domain, id] = rc.params as [string, string];
    if (!authenticate(rc, domain)) return;
    const urls = isWebhookId(id) ? state.remove(domain, id) : undefined;
    if (!urls) return mgError(rc, 404, 'Webhook not found');
    sendJson(rc.res, 200, { message: 'Webhook has been deleted', webhook: webhookBody(urls) });
  });

  // Receiving routes (account-wide): any registered domain's API key may manage them, as any key of the account can.
  const authenticateAccount = (rc: RequestContext): boolean => {
    const creds = basicAuth(rc);
    if (ctx.credentials.checkMailgunAccount(creds?.username, creds?.password)) return true;
    responders.unauthorized(rc);
    return false;
  };

  router.add('POST', /^\/v3\/routes$/, async (rc) => {
    if (!authenticateAccount(rc)) return;
    const f = await parseForm(rc);
    const expression = f.get('expression') ?? '';
    const actions = f.all('action');
    if (!validExpression(expression)) return mgError(rc, 400, `Invalid expression: ${expression}`);
    if (actions.length === 0) return mgError(rc, 400, 'action parameter is missing');
    const route: MailgunRoute = {
      id: hexId(12),
      priority: Number(f.get('priority') ?? 0) || 0,
      description: f.get('description') ?? '',
      expression,
      actions,
      created_at: new Date().toUTCString(),
    };
    state.routes.push(route);
    sendJson(rc.res, 200, { message: 'Route has been created', route });
  });

  router.add('GET', /^\/v3\/routes$/, (rc) => {
    if (!authenticateAccount(rc)) return;
    const skip = Number(rc.query.get('skip') ?? 0) || 0;
    const limit = Math.min(1000, Number(rc.query.get('limit') ?? 100) || 100);
    sendJson(rc.res, 200, { total_count: state.routes.length, items: state.routes.slice(skip, skip + limit) });
  });

  router.add('GET', /^\/v3\/routes\/([^/]+)$/, (rc) => {
    if (!authenticateAccount(rc)) return;
    const route = state.routes.find((r) => r.id === rc.params[0]);
    if (!route) return mgError(rc, 404, 'Route not found');
    sendJson(rc.res, 200, { route });
  });

  router.add('DELETE', /^\/v3\/routes\/([^/]+)$/, (rc) => {
    if (!authenticateAccount(rc)) return;
    const before = state.routes.length;
    state.routes = state.routes.filter((r) => r.id !== rc.params[0]);
    if (state.routes.length === before) return mgError(rc, 404, 'Route not found');
    sendJson(rc.res, 200, { message: 'Route has been deleted', id: rc.params[0] });
  });

  return state;
}
