import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type RunningSandbox } from '../sandbox-server';
import type { SandboxOptions } from '../config';

/** A sandbox on an ephemeral port with short event delays and fast webhook retries. */
export function testSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    host: '127.0.0.1',
    seed: 'test-seed',
    ...options,
    timing: { firstEventDelayMs: 10, eventSpacingMs: 10, webhookRetryBaseMs: 30, webhookTimeoutMs: 2000, ...options.timing },
  });
}

export interface ReceivedRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Status codes to answer, consumed in order; afterwards 200. */
  statuses: number[];
  /** A custom answer; `delayMs` holds it back, as a slow endpoint would. */
  respond?: (r: ReceivedRequest) => { status?: number; body?: string; contentType?: string; delayMs?: number } | undefined;
  waitFor(predicate: (r: ReceivedRequest) => boolean, count?: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A local HTTP server standing in for the backend's webhook endpoints. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    requests: [],
    statuses: [],
    async waitFor(predicate, count = 1, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = receiver.requests.filter(predicate);
        if (found.length >= count) return found;
        if (Date.now() > until)
          throw new Error(
            `timed out waiting for ${count} request(s); got ${found.length} of ${receiver.requests.length}: ${receiver.requests.map((r) => r.method + ' ' + r.url).join(', ')}`,
          );
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', receiver.url);
      const r: ReceivedRequest = {
        method: req.method ?? '',
        url: receiver.url + (req.url ?? ''),
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      receiver.requests.push(r);
      const custom = receiver.respond?.(r);
      const status = custom?.status ?? receiver.statuses.shift() ?? 200;
      setTimeout(() => {
        res.writeHead(status, { 'content-type': custom?.contentType ?? 'text/plain' });
        res.end(custom?.body ?? 'ok');
      }, custom?.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

export async function api<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(base + path, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function basic(user: string, pass: string): string {
  return 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
}
