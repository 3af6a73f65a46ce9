import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultRateLimits, defaultTiming, mergeSettings, type DefaultSecrets, type SandboxOptions } from './config';
import { SandboxContext } from './context';
import type { MessageStore } from './core/store';
import { Router } from './http/router';
import { readBody, type RequestContext } from './http/request-context';
import { sendJson } from './http/respond';
import { registerGoogleOAuth } from './providers/google-oauth.routes';
import { registerGmail } from './providers/gmail.routes';
import { registerSheets } from './providers/sheets.routes';
import { registerMailgun } from './providers/mailgun.routes';
import { registerTwilio } from './providers/twilio.routes';
import { registerWhatsapp } from './providers/whatsapp.routes';
import { registerOpenAi } from './providers/openai.routes';
import { registerControl, type ProviderStates } from './control/control.routes';
import { subscribeWhatsappInBackground } from './providers/whatsapp.webhooks';

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  port: number;
  host: string;
  store: MessageStore;
  context: SandboxContext;
  states: ProviderStates;
  /** Same as POST /_sandbox/reset (`all` also clears credentials, webhooks config, grants, settings). */
  reset(all?: boolean): void;
  /** Resolves when no webhook is queued, in flight or waiting to retry. */
  webhooksIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_SECRETS: DefaultSecrets = {
  mailgunSigningKey: 'sandbox-mailgun-signing-key',
  whatsappAppSecret: 'sandbox-whatsapp-app-secret',
  twilioAuthToken: 'sandbox-twilio-auth-token',
};

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const rateLimits = mergeSettings(defaultRateLimits(options.rateLimits ?? true), options.rateLimitSettings);
  if (options.rateLimits !== undefined) rateLimits.enabled = options.rateLimits;
  const settings = {
    rateLimits,
    timing: { ...defaultTiming(), ...options.timing },
    twilioStatusCallbacks: options.twilioStatusCallbacks ?? true,
  };
  const ctx = new SandboxContext(
    settings,
    structuredClone(settings),
    options.seed ?? 'cadence',
    { ...DEFAULT_SECRETS, ...options.defaultSecrets },
    options.maxMessages ?? 1_000_000,
  );

  const router = new Router();
  const oauth = registerGoogleOAuth(router, ctx);
  const states: ProviderStates = {
    oauth,
    gmail: registerGmail(router, ctx, oauth),
    sheets: registerSheets(router, ctx, oauth),
    mailgun: registerMailgun(router, ctx, options.defaultWebhooks?.mailgun),
    twilio: registerTwilio(router, ctx, options.defaultWebhooks?.twilioSms),
    whatsapp: registerWhatsapp(router, ctx),
  };
  // The OpenAI-compatible stand-in for AI template drafting.
  registerOpenAi(router);
  registerControl(router, ctx, states);

  const log = options.log === true;
  const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    void handle(req, res);
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = log ? Date.now() : 0;
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const method = req.method ?? 'GET';
    if (log) res.on('finish', () => console.log(`${method} ${path} ${res.statusCode} ${Date.now() - started}ms`));
    const match = router.match(method, path);
    if (match === undefined || match === 'method-not-allowed') {
      req.resume();
      const status = match === undefined ? 404 : 405;
      sendJson(res, status, {
        statusCode: status,
        code: status === 404 ? 'ROUTE_NOT_FOUND' : 'METHOD_NOT_ALLOWED',
        message: `${method} ${path} is not served by the sandbox`,
      });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return;
    }
    const rc: RequestContext = {
      req,
      res,
      method,
      path,
      query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
      body,
      origin: `http://${req.headers.host ?? 'localhost'}`,
      params: match.params,
    };
    try {
      await match.handler(rc);
    } catch (err) {
      if (res.headersSent || res.destroyed) return;
      if (err instanceof SyntaxError) {
        sendJson(res, 400, { statusCode: 400, code: 'INVALID_BODY', message: 'Request body could not be parsed' });
        return;
      }
      console.error('[sandbox] handler error', err);
      sendJson(res, 500, { statusCode: 500, code: 'INTERNAL_ERROR', message: err instanceof Error ? err.message : String(err) });
    }
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4010, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  ctx.baseUrl = url;

  // The receiver (the backend) usually starts after the sandbox: keep trying the handshake.
  let stopSubscribing = (): void => undefined;
  const wa = options.defaultWebhooks?.whatsapp;
  if (wa) stopSubscribing = subscribeWhatsappInBackground(ctx, states.whatsapp, wa);

  return {
    url,
    port,
    host,
    store: ctx.store,
    context: ctx,
    states,
    reset: (all = false) => ctx.reset(all),
    webhooksIdle: (timeoutMs) => ctx.webhooks.idle(timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        stopSubscribing();
        ctx.close();
        server.close(() => resolve());
        // Hanging (fault-injected) and keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
