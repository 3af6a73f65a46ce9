import { createServer, request as httpRequest, Server } from 'node:http';
import type { RunningSandbox } from '@cadence/sandbox';
import { startSandbox } from '@cadence/sandbox';

/** A browser's cookie jar, enough for the OAuth round trips of the tests (one origin). */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = decodeURIComponent(pair.slice(eq + 1).trim());
      const expired = attrs.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split('=')[1]).getTime() < Date.now()),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }
}

/** One navigation without following redirects; cookies only go to the backend's origin. */
export async function navigate(
  url: string,
  jar: CookieJar,
  backendOrigin: string,
): Promise<{ status: number; location: string | null; url: string }> {
  const sameOrigin = url.startsWith(backendOrigin);
  const res = await fetch(url, { redirect: 'manual', headers: sameOrigin && jar.cookies.size ? { cookie: jar.header() } : {} });
  if (sameOrigin) jar.store(res);
  await res.arrayBuffer();
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location, url).toString() : null, url };
}

export interface FlowOptions {
  decision?: 'allow' | 'deny';
  email?: string;
  /** Scopes left ticked on the consent page (default all). */
  scopes?: string[];
  /** Stop at the callback URL instead of calling it (to replay or forge it). */
  stopAtCallback?: boolean;
}

/**
 * Plays a browser through an OAuth flow: start URL on the backend -> Google (the sandbox, deciding at once
 * via its sandbox_decision shortcut) -> the backend's callback. Answers the final redirect target.
 */
export async function runFlow(
  startUrl: string,
  jar: CookieJar,
  backendOrigin: string,
  options: FlowOptions = {},
): Promise<{ final: string; callbackUrl: string }> {
  const start = await navigate(startUrl, jar, backendOrigin);
  if (start.status !== 302 || !start.location) throw new Error(`the start answered ${start.status}`);
  const consent = new URL(start.location);
  consent.searchParams.set('sandbox_decision', options.decision ?? 'allow');
  if (options.email) consent.searchParams.set('login_hint', options.email);
  if (options.scopes) consent.searchParams.set('sandbox_scopes', options.scopes.join(' '));
  const google = await navigate(consent.toString(), jar, backendOrigin);
  if (google.status !== 302 || !google.location) throw new Error(`the consent page answered ${google.status}`);
  if (options.stopAtCallback) return { final: google.location, callbackUrl: google.location };
  const back = await navigate(google.location, jar, backendOrigin);
  if (back.status !== 302 || !back.location) throw new Error(`the callback answered ${back.status}`);
  return { final: back.location, callbackUrl: google.location };
}

/** Forwards everything to the sandbox and counts refresh-token grants at the token endpoint. */
export class CountingProxy {
  refreshCalls = 0;
  private server?: Server;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (/grant_type=refresh_token/.test(body.toString())) this.refreshCalls += 1;
        const target = new URL(req.url ?? '/', this.target);
        const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface GoogleStack {
  sandbox: RunningSandbox;
  proxy: CountingProxy;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The provider sandbox standing in for Google, and the backend variables that point at it. */
export async function startGoogleSandbox(): Promise<GoogleStack> {
  const sandbox = await startSandbox({ port: 0, seed: 'gmail-oauth-test', log: false });
  const proxy = new CountingProxy(sandbox.url);
  await proxy.start();
  return {
    sandbox,
    proxy,
    env: {
      GOOGLE_CLIENT_ID: 'cadence-test-client.apps.googleusercontent.com',
      GOOGLE_CLIENT_SECRET: 'cadence-test-client-secret',
      GOOGLE_BASE_URL: sandbox.url,
      GOOGLE_TOKEN_URL: `${proxy.url}/token`,
    },
    close: async () => {
      await proxy.stop();
      await sandbox.close();
    },
  };
}
