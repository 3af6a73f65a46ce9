import http from 'node:http';
import https from 'node:https';
import type { TimingSettings } from '../config';
import { sequenceId } from './ids';

export interface WebhookAttempt {
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookDelivery {
  id: string;
  provider: string;
  /** What is being reported, e.g. `delivered`, `status:sent`, `inbound`, `verify`, `voice-url`. */
  event: string;
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string;
  messageId?: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
  createdAt: string;
  responseBody?: string;
}

export interface WebhookRequest {
  provider: string;
  event: string;
  url: string;
  method?: 'POST' | 'GET';
  headers?: Record<string, string>;
  body?: string;
  messageId?: string;
  /** Re-sign on every attempt (Twilio signs the exact URL+params, stable; others sign a body). */
  keepResponseBody?: boolean;
  onDone?: (delivery: WebhookDelivery) => void;
}

const MAX_LOG = 100_000;
const MAX_CONCURRENT = 32;

/**
 * Delivers webhooks like the providers do: asynchronously, retrying non-2xx and network
 * errors with exponential backoff up to a bounded number of attempts. Concurrency is capped
 * so a burst of events cannot exhaust sockets on the receiving side or here.
 */
export class WebhookDispatcher {
  private log: WebhookDelivery[] = [];
  private readonly queue: { d: WebhookDelivery; req: WebhookRequest }[] = [];
  private active = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  // Bumped by clear(): attempts already in flight must not reschedule into a fresh log.
  private generation = 0;

  constructor(private readonly timing: () => TimingSettings) {}

  send(req: WebhookRequest, delayMs = 0): WebhookDelivery {
    const d: WebhookDelivery = {
      id: sequenceId('wh'),
      provider: req.provider,
      event: req.event,
      url: req.url,
      method: req.method ?? 'POST',
      headers: req.headers ?? {},
      body: req.body ?? '',
      state: 'pending',
      attempts: [],
      createdAt: new Date().toISOString(),
    };
    if (req.messageId) d.messageId = req.messageId;
    this.log.push(d);
    if (this.log.length > MAX_LOG) this.log = this.log.slice(this.log.length - Math.floor(MAX_LOG * 0.9));
    const gen = this.generation;
    this.later(() => gen === this.generation && this.enqueue(d, req), delayMs);
    return d;
  }

  list(
    filter: { provider?: string; state?: string; event?: string; messageId?: string },
    offset = 0,
    limit = 100,
  ): { items: WebhookDelivery[]; total: number } {
    const matched = this.log.filter(
      (d) =>
        (!filter.provider || d.provider === filter.provider) &&
        (!filter.state || d.state === filter.state) &&
        (!filter.event || d.event === filter.event) &&
        (!filter.messageId || d.messageId === filter.messageId),
    );
    return { items: matched.slice(offset, offset + limit), total: matched.length };
  }

  latest(limit: number): WebhookDelivery[] {
    return this.log.slice(-limit).reverse();
  }

  summary(): Record<string, number> {
    const out: Record<string, number> = { pending: 0, delivered: 0, failed: 0 };
    for (const d of this.log) out[d.state] = (out[d.state] ?? 0) + 1;
    return out;
  }

  /** Resolves when nothing is queued, in flight or waiting for a retry (used by tests). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.active > 0 || this.queue.length > 0 || this.timers.size > 0) {
      if (Date.now() > until) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  clear(): void {
    this.generation += 1;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
    this.log = [];
  }

  close(): void {
    this.closed = true;
    this.clear();
  }

  private later(fn: () => void, delayMs: number): void {
    if (this.closed) return;
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        fn();
      },
      Math.max(0, delayMs),
    );
    this.timers.add(t);
  }

  private enqueue(d: WebhookDelivery, req: WebhookRequest): void {
    this.queue.push({ d, req });
    this.pump();
  }

  private pump(): void {
    while (this.active < MAX_CONCURRENT && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.active += 1;
      void this.attempt(next.d, next.req).finally(() => {
        this.active -= 1;
        this.pump();
      });
    }
  }

  private async attempt(d: WebhookDelivery, req: WebhookRequest): Promise<void> {
    if (this.closed) return;
    const gen = this.generation;
    const t = this.timing();
    const started = Date.now();
    const attempt: WebhookAttempt = { at: new Date(started).toISOString(), durationMs: 0 };
    d.attempts.push(attempt);
    let ok = false;
    try {
      const res = await post(d, t.webhookTimeoutMs);
      attempt.status = res.status;
      if (req.keepResponseBody) d.responseBody = res.body.slice(0, 64 * 1024);
      ok = res.status >= 200 && res.status < 300;
    } catch (err) {
      attempt.error = err instanceof Error ? err.message : String(err);
    }
    attempt.durationMs = Date.now() - started;
    if (ok || d.attempts.length >= t.webhookMaxAttempts) {
      d.state = ok ? 'delivered' : 'failed';
      // A delivery from before a reset carries on nothing (a call's TwiML, a dial's action) into the fresh sandbox.
      if (gen !== this.generation) return;
      try {
        req.onDone?.(d);
      } catch (err) {
        console.error('[sandbox] webhook completion handler failed', err);
      }
      return;
    }
    if (gen !== this.generation) return;
    this.later(() => gen === this.generation && this.enqueue(d, req), t.webhookRetryBaseMs * 2 ** (d.attempts.length - 1));
  }
}

// Plain node:http with keep-alive: the WHATWG fetch layers cost more CPU than the rest of a webhook.
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: MAX_CONCURRENT }),
  https: new https.Agent({ keepAlive: true, maxSockets: MAX_CONCURRENT }),
};

function post(d: WebhookDelivery, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(d.url);
    const secure = url.protocol === 'https:';
    const body = d.method === 'POST' ? Buffer.from(d.body) : undefined;
    const req = (secure ? https : http).request(
      url,
      {
        method: d.method,
        agent: secure ? agents.https : agents.http,
        headers: { 'user-agent': `cadence-sandbox/${d.provider}`, ...d.headers, ...(body && { 'content-length': String(body.length) }) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
