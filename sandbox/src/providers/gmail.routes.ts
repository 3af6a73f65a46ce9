import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import { bearerToken, header, jsonBody, type RequestContext } from '../http/request-context';
import { sendJson } from '../http/respond';
import { faultAfterAccept, faultsBeforeAccept, type FaultResponders } from '../core/fault-flow';
import { headerValue, parseMail } from '../core/mime';
import type { GoogleOAuthState, AccessToken } from './google-oauth.state';
import { GmailState, type GmailMessage, type Mailbox } from './gmail.mailbox';
import { gmailDailyLimit, gmailError, gmailInsufficientScope, gmailRateLimited, gmailServerError, gmailUnauthorized } from './gmail.errors';
import { headerListOf, scheduleGmailLifecycle } from './gmail.simulation';

const G = 'https://www.googleapis.com/auth/';
const SEND_SCOPES = new Set([`${G}gmail.send`, `${G}gmail.compose`, `${G}gmail.modify`, 'https://mail.google.com/']);
const READ_SCOPES = new Set([`${G}gmail.readonly`, `${G}gmail.modify`, 'https://mail.google.com/']);
const METADATA_SCOPES = new Set([...READ_SCOPES, `${G}gmail.metadata`]);
const PROFILE_SCOPES = new Set([...METADATA_SCOPES, `${G}gmail.compose`]);
const MODIFY_SCOPES = new Set([`${G}gmail.modify`, 'https://mail.google.com/']);

/** Per-method quota units, from Google's Gmail usage limits table. */
const COST = { send: 100, get: 5, list: 5, history: 2, profile: 1, thread: 10, modify: 5, watch: 100, stop: 50 } as const;
/** Google asks for a watch renewal at least every 7 days. */
const WATCH_DAYS_MS = 7 * 24 * 3600_000;

const HISTORY_KEYS: Record<string, string> = {
  messageAdded: 'messagesAdded',
  messageDeleted: 'messagesDeleted',
  labelAdded: 'labelsAdded',
  labelRemoved: 'labelsRemoved',
};

const CONSUMER = /@(gmail|googlemail)\.com$/i;

function b64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString('base64url');
}

export function registerGmail(router: Router, ctx: SandboxContext, oauth: GoogleOAuthState): GmailState {
  const state = new GmailState();
  ctx.resettables.push(state);
  // users.watch: a change to a watched mailbox is published to its topic; the topic's push subscription
  // POSTs { message: { data: base64 {"emailAddress","historyId"} }, subscription } to its endpoint.
  state.notify = (mailbox, msg) => {
    const watch = state.watches.get(mailbox.email);
    if (!watch || watch.expiration < Date.now()) return;
    const hit = watch.labelIds.length === 0 || msg.labelIds.some((l) => watch.labelIds.includes(l));
    if (watch.labelFilterBehavior === 'include' ? !hit : hit && watch.labelIds.length > 0) return;
    const url = state.pushEndpoints.get(watch.topicName);
    if (!url) return;
    const data = Buffer.from(JSON.stringify({ emailAddress: mailbox.email, historyId: mailbox.historyId })).toString('base64');
    ctx.webhooks.send({
      provider: 'gmail',
      event: 'push',
      url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message: { data, messageId: String(Date.now()) + msg.id.slice(0, 6), publishTime: new Date().toISOString() },
        subscription: watch.topicName.replace('/topics/', '/subscriptions/') + '-push',
      }),
    });
  };

  const responders = (token: string | undefined): FaultResponders => ({
    unauthorized: gmailUnauthorized,
    rateLimited: gmailRateLimited,
    serverError: gmailServerError,
    revoke: () => token && oauth.revokeToken(token),
  });

  /** Token -> mailbox, with the scope and quota checks Google makes before the method runs. */
  const authorise = (rc: RequestContext, scopes: Set<string>, cost: number): { token: AccessToken; mailbox: Mailbox } | undefined => {
    const t = oauth.accessToken(bearerToken(rc) ?? '');
    if (typeof t === 'string') {
      gmailUnauthorized(rc);
      return undefined;
    }
    const userId = rc.params[0];
    if (userId !== 'me' && userId.toLowerCase() !== t.email) {
      gmailError(rc, 403, `Delegation denied for ${t.email}`, 'forbidden');
      return undefined;
    }
    if (!t.scopes.some((s) => scopes.has(s))) {
      gmailInsufficientScope(rc);
      return undefined;
    }
    if (ctx.settings.rateLimits.enabled) {
      const r = ctx.limiter.take(`gmail:${t.email}`, ctx.settings.rateLimits.gmail.quotaUnitsPerSecond, cost);
      if (!r.ok) {
        gmailRateLimited(rc, r.retryAfterMs / 1000);
        return undefined;
      }
    }
    return { token: t, mailbox: state.mailbox(t.email) };
  };

  const dailyCap = (email: string): number => {
    const g = ctx.settings.rateLimits.gmail;
    return g.dailyCaps[email] ?? (CONSUMER.test(email) ? g.dailyCapConsumer : g.dailyCapWorkspace);
  };

  /** Extracts `{ raw, threadId }` from the JSON call or from the media / multipart upload forms. */
  const readSendBody = (rc: RequestContext): { raw: Buffer; threadId?: string } | string => {
    const upload = rc.path.startsWith('/upload/');
    const type = (header(rc, 'content-type') ?? '').toLowerCase();
    if (upload && type.startsWith('multipart/')) {
      const boundary = /boundary="?([^";]+)"?/i.exec(header(rc, 'content-type') ?? '')?.[1];
      if (!boundary) return 'Invalid multipart request';
      const parts = rc.body.toString('latin1').split(`--${boundary}`).slice(1, -1);
      let meta: { threadId?: string } = {};
      let raw: Buffer | undefined;
      for (const part of parts) {
        const sep = part.indexOf('\r\n\r\n');
        const head = part.slice(0, sep).toLowerCase();
        const content = part.slice(sep + 4).replace(/\r\n$/, '');
        if (head.includes('application/json')) meta = JSON.parse(Buffer.from(content, 'latin1').toString('utf8')) as { threadId?: string };
        else raw = Buffer.from(content, 'latin1');
      }
      if (!raw) return 'Recipient address required';
      return meta.threadId ? { raw, threadId: meta.threadId } : { raw };
    }
    if (upload && !type.startsWith('application/json')) return { raw: rc.body };
    let body: { raw?: unknown; threadId?: unknown };
    try {
      body = jsonBody(rc) as { raw?: unknown; threadId?: unknown };
    } catch {
      return 'Invalid JSON payload received.';
    }
    if (typeof body.raw !== 'string' || body.raw === '')
      return "'raw' RFC822 payload message string or uploading message via /upload/* URL required";
    const raw = Buffer.from(body.raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return typeof body.threadId === 'string' ? { raw, threadId: body.threadId } : { raw };
  };

  const send = async (rc: RequestContext) => {
    const auth = authorise(rc, SEND_SCOPES, COST.send);
    if (!auth) return;
    const input = readSendBody(rc);
    if (typeof input === 'string') return gmailError(rc, 400, input, 'invalidArgument');
    const mail = await parseMail(input.raw);
    const recipients = [...mail.to, ...mail.cc, ...mail.bcc];
    if (recipients.length === 0) return gmailError(rc, 400, 'Recipient address required', 'invalidArgument');

    const after = await faultsBeforeAccept(ctx, rc, 'gmail', 'send', recipients, responders(bearerToken(rc)));
    if (after === false) return;
    const email = auth.token.email;
    if (ctx.settings.rateLimits.enabled) {
      const d = ctx.limiter.takeDaily(`gmail:${email}`, dailyCap(email));
      if (!d.ok) return gmailDailyLimit(rc, d.resetAt);
    }

    const mailbox = auth.mailbox;
    // Gmail sets the envelope sender to the authenticated user and generates a Message-ID if absent.
    if (!mail.messageId) mail.messageId = `<CA${Date.now().toString(36)}${Math.random().toString(36).slice(2)}@mail.gmail.com>`;
    const threadId = mailbox.resolveThread(input.threadId, mail);
    const sent = mailbox.add(input.raw, mail, headerListOf(input.raw), ['SENT'], threadId);
    const cmid = headerValue(mail.headers, 'X-Cadence-Message-Id');
    for (const to of recipients) {
      const stored = ctx.store.add({
        provider: 'gmail',
        channel: 'email',
        providerMessageId: sent.id,
        account: email,
        from: mail.from || email,
        to,
        subject: mail.subject,
        ...(mail.text !== undefined ? { body: mail.text } : {}),
        ...(mail.html !== undefined ? { html: mail.html } : {}),
        ...(cmid ? { campaignMessageId: cmid } : {}),
        threadId: sent.threadId,
        headers: mail.headers,
        meta: {
          rfc822MessageId: mail.messageId,
          ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
          ...(mail.references ? { references: mail.references } : {}),
          ...(input.threadId ? { requestedThreadId: input.threadId } : {}),
        },
      });
      scheduleGmailLifecycle(ctx, mailbox, sent, stored, ctx.behaviour.resolve(to));
    }
    if (faultAfterAccept(rc, after)) return;
    sendJson(rc.res, 200, { id: sent.id, threadId: sent.threadId, labelIds: sent.labelIds });
  };

  const USER = '/gmail/v1/users/([^/]+)';
  router.add('POST', new RegExp(`^${USER}/messages/send$`), send);
  router.add('POST', new RegExp(`^/upload${USER}/messages/send$`), send);

  router.add('POST', new RegExp(`^${USER}/watch$`), (rc) => {
    const auth = authorise(rc, METADATA_SCOPES, COST.watch);
    if (!auth) return;
    let body: { topicName?: unknown; labelIds?: unknown; labelFilterBehavior?: unknown; labelFilterAction?: unknown };
    try {
      body = jsonBody(rc) as typeof body;
    } catch {
      return gmailError(rc, 400, 'Invalid JSON payload received.', 'invalidArgument');
    }
    if (typeof body.topicName !== 'string' || !/^projects\/[^/]+\/topics\/[^/]+$/.test(body.topicName))
      return gmailError(rc, 400, 'Invalid topicName does not match projects/*/topics/*', 'invalidArgument');
    const labelIds = Array.isArray(body.labelIds) ? body.labelIds.filter((l): l is string => typeof l === 'string') : [];
    const behaviour = String(body.labelFilterBehavior ?? body.labelFilterAction ?? 'include').toLowerCase();
    const expiration = Date.now() + WATCH_DAYS_MS;
    state.watches.set(auth.mailbox.email, {
      topicName: body.topicName,
      labelIds,
      labelFilterBehavior: behaviour === 'exclude' ? 'exclude' : 'include',
      expiration,
    });
    sendJson(rc.res, 200, { historyId: String(auth.mailbox.historyId), expiration: String(expiration) });
  });

  router.add('POST', new RegExp(`^${USER}/stop$`), (rc) => {
    const auth = authorise(rc, METADATA_SCOPES, COST.stop);
    if (!auth) return;
    state.watches.delete(auth.mailbox.email);
    rc.res.statusCode = 204;
    rc.res.end();
  });

  router.add('GET', new RegExp(`^${USER}/profile$`), (rc) => {
    const auth = authorise(rc, PROFILE_SCOPES, COST.profile);
    if (!auth) return;
    const m = auth.mailbox;
    sendJson(rc.res, 200, {
      emailAddress: auth.token.email,
      messagesTotal: m.messages.size,
      threadsTotal: m.threads.size,
      historyId: String(m.historyId),
    });
  });

  const formatMessage = (m: GmailMessage, format: string, metadataHeaders: string[]): Record<string, unknown> => {
    const base: Record<string, unknown> = {
      id: m.id,
      threadId: m.threadId,
      labelIds: m.labelIds,
      snippet: (m.mail.text ?? m.mail.html?.replace(/<[^>]+>/g, ' ') ?? '').replace(/\s+/g, ' ').trim().slice(0, 120),
      sizeEstimate: m.raw.length,
      historyId: String(m.historyId),
      internalDate: String(m.internalDate),
    };
    if (format === 'minimal') return base;
    if (format === 'raw') return { ...base, raw: b64url(m.raw) };
    const wanted = metadataHeaders.map((h) => h.toLowerCase());
    const headers =
      format === 'metadata' && wanted.length ? m.headerList.filter((h) => wanted.includes(h.name.toLowerCase())) : m.headerList;
    if (format === 'metadata') return { ...base, payload: { mimeType: 'multipart/alternative', headers } };
    const part = (partId: string, mimeType: string, data: string) => ({
      partId,
      mimeType,
      filename: '',
      headers: [{ name: 'Content-Type', value: `${mimeType}; charset="UTF-8"` }],
      body: { size: Buffer.byteLength(data), data: b64url(data) },
    });
    const parts = [
      ...(m.mail.text !== undefined ? [part('0', 'text/plain', m.mail.text)] : []),
      ...(m.mail.html !== undefined ? [part(String(m.mail.text !== undefined ? 1 : 0), 'text/html', m.mail.html)] : []),
    ];
    const payload =
      parts.length === 1
        ? { ...parts[0], partId: '', headers }
        : { partId: '', mimeType: 'multipart/alternative', filename: '', headers, body: { size: 0 }, parts };
    return { ...base, payload };
  };

  router.add('GET', new RegExp(`^${USER}/messages/([^/]+)$`), (rc) => {
    const format = rc.query.get('format') ?? 'full';
    const auth = authorise(rc, format === 'metadata' || format === 'minimal' ? METADATA_SCOPES : READ_SCOPES, COST.get);
    if (!auth) return;
    const m = auth.mailbox.messages.get(rc.params[1]);
    if (!m) return gmailError(rc, 404, 'Requested entity was not found.', 'notFound');
    sendJson(rc.res, 200, formatMessage(m, format, rc.query.getAll('metadataHeaders')));
  });

  router.add('POST', new RegExp(`^${USER}/messages/([^/]+)/modify$`), (rc) => {
    const auth = authorise(rc, MODIFY_SCOPES, COST.modify);
    if (!auth) return;
    const m = auth.mailbox.messages.get(rc.params[1]);
    if (!m) return gmailError(rc, 404, 'Requested entity was not found.', 'notFound');
    const body = jsonBody(rc) as { addLabelIds?: string[]; removeLabelIds?: string[] };
    auth.mailbox.modifyLabels(m, body.addLabelIds ?? [], body.removeLabelIds ?? []);
    sendJson(rc.res, 200, { id: m.id, threadId: m.threadId, labelIds: m.labelIds });
  });

  router.add('GET', new RegExp(`^${USER}/messages$`), (rc) => {
    const auth = authorise(rc, METADATA_SCOPES, COST.list);
    if (!auth) return;
    const labels = rc.query.getAll('labelIds');
    const max = Math.min(500, Number(rc.query.get('maxResults') ?? 100) || 100);
    const offset = Number(rc.query.get('pageToken') ?? 0) || 0;
    const all = [...auth.mailbox.messages.values()].filter((m) => labels.every((l) => m.labelIds.includes(l))).reverse();
    const page = all.slice(offset, offset + max);
    const body: Record<string, unknown> = { resultSizeEstimate: all.length };
    if (page.length) body.messages = page.map((m) => ({ id: m.id, threadId: m.threadId }));
    if (offset + max < all.length) body.nextPageToken = String(offset + max);
    sendJson(rc.res, 200, body);
  });

  router.add('GET', new RegExp(`^${USER}/threads/([^/]+)$`), (rc) => {
    const format = rc.query.get('format') ?? 'full';
    const auth = authorise(rc, format === 'full' ? READ_SCOPES : METADATA_SCOPES, COST.thread);
    if (!auth) return;
    const ids = auth.mailbox.threads.get(rc.params[1]);
    if (!ids) return gmailError(rc, 404, 'Requested entity was not found.', 'notFound');
    const messages = ids
      .map((id) => auth.mailbox.messages.get(id)!)
      .map((m) => formatMessage(m, format, rc.query.getAll('metadataHeaders')));
    sendJson(rc.res, 200, { id: rc.params[1], historyId: String(auth.mailbox.historyId), messages });
  });

  router.add('GET', new RegExp(`^${USER}/history$`), (rc) => {
    const auth = authorise(rc, METADATA_SCOPES, COST.history);
    if (!auth) return;
    const start = Number(rc.query.get('startHistoryId'));
    if (!rc.query.get('startHistoryId') || !Number.isFinite(start)) return gmailError(rc, 400, 'Invalid startHistoryId', 'invalidArgument');
    const mailbox = auth.mailbox;
    // Google answers 404 when the start point is older than the history it keeps.
    if (start < mailbox.firstHistoryId - 1) return gmailError(rc, 404, 'Requested entity was not found.', 'notFound');
    const types = rc.query.getAll('historyTypes');
    const label = rc.query.get('labelId');
    const max = Math.min(500, Number(rc.query.get('maxResults') ?? 100) || 100);
    const after = Math.max(start, Number(rc.query.get('pageToken') ?? 0) || 0);
    const matching = mailbox.history.filter((h) => {
      if (h.id <= after) return false;
      if (types.length && !types.some((t) => (h as unknown as Record<string, unknown>)[HISTORY_KEYS[t] ?? t] !== undefined)) return false;
      if (label) {
        const refs = [...(h.messagesAdded ?? []), ...(h.labelsAdded ?? []), ...(h.labelsRemoved ?? [])];
        if (!refs.some((r) => r.message.labelIds.includes(label))) return false;
      }
      return true;
    });
    const page = matching.slice(0, max);
    const body: Record<string, unknown> = { historyId: String(mailbox.historyId) };
    if (page.length) {
      body.history = page.map((h) => {
        const out: Record<string, unknown> = { id: String(h.id), messages: h.messages };
        if (h.messagesAdded && (!types.length || types.includes('messageAdded'))) out.messagesAdded = h.messagesAdded;
        if (h.labelsAdded && (!types.length || types.includes('labelAdded'))) out.labelsAdded = h.labelsAdded;
        if (h.labelsRemoved && (!types.length || types.includes('labelRemoved'))) out.labelsRemoved = h.labelsRemoved;
        return out;
      });
    }
    if (matching.length > max) body.nextPageToken = String(page[page.length - 1].id);
    sendJson(rc.res, 200, body);
  });

  return state;
}
