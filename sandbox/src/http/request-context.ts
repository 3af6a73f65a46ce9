import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
  /** Absolute URL of this request as the client addressed it (Twilio signs URLs). */
  origin: string;
  params: string[];
}

const MAX_BODY = 32 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function header(rc: RequestContext, name: string): string | undefined {
  const v = rc.req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

// Clients send the same Authorization header on every call; decoding it once per distinct
// value takes base64 work off the hot path.
const basicCache = new Map<string, { username: string; password: string } | null>();

export function basicAuth(rc: RequestContext): { username: string; password: string } | undefined {
  const h = header(rc, 'authorization');
  if (!h) return undefined;
  const cached = basicCache.get(h);
  if (cached !== undefined) return cached ?? undefined;
  let parsed: { username: string; password: string } | null = null;
  if (/^basic /i.test(h)) {
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0) parsed = { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
  }
  if (basicCache.size >= 1000) basicCache.clear();
  basicCache.set(h, parsed);
  return parsed ?? undefined;
}

export function bearerToken(rc: RequestContext): string | undefined {
  const h = header(rc, 'authorization');
  if (h && /^bearer /i.test(h)) return h.slice(7).trim();
  return rc.query.get('access_token') ?? undefined;
}

export function jsonBody(rc: RequestContext): unknown {
  if (rc.body.length === 0) return {};
  return JSON.parse(rc.body.toString('utf8'));
}
