import { defaultBaseUrl } from './channel-specs';

export interface InboundRouteResult {
  ok: boolean;
  code?: 'invalid_credentials' | 'unreachable' | 'provider_error' | 'no_reply_address';
  message: string;
  routeId?: string;
  expression?: string;
  /** false: a route forwarding to this URL already existed and was kept. */
  created?: boolean;
}

interface MailgunRoute {
  id: string;
  expression: string;
  actions: string[];
}

/** The address replies come to: the channel's From (e.g. "Team <team@mg.example.com>"). */
export function replyAddress(config: Record<string, unknown>): string | undefined {
  const from = String(config.from ?? '');
  return (/<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? /[^\s<>"]+@[^\s<>"]+/.exec(from)?.[0])?.toLowerCase();
}

/**
 * Creates the receiving route that forwards replies to the channel's inbound URL through Mailgun's Routes API
 * (POST /v3/routes: match_recipient on the reply address, forward(url), stop()), unless one forwarding there
 * exists. Plain fetch like the channel test rather than mailgun.js: redirects are never followed, so the API
 * key cannot be carried to a host nobody checked.
 */
export async function ensureMailgunInboundRoute(
  config: Record<string, unknown>,
  secrets: Record<string, string>,
  inboundUrl: string,
): Promise<InboundRouteResult> {
  const address = replyAddress(config);
  if (!address) return { ok: false, code: 'no_reply_address', message: 'The channel has no From address to receive replies at' };
  const base = `${defaultBaseUrl('mailgun', config)}/v3/routes`;
  const headers = { authorization: `Basic ${Buffer.from(`api:${secrets.apiKey}`).toString('base64')}`, accept: 'application/json' };
  const forward = `forward("${inboundUrl}")`;
  const expression = `match_recipient("^${address.replace(/[.+?^${}()|[\]\\]/g, '\\$&')}$")`;
  const call = async (
    url: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: Record<string, unknown> } | InboundRouteResult> => {
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      return { ok: false, code: 'unreachable', message: `Could not reach ${new URL(url).origin} (${cause})` };
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 401 || res.status === 403)
      return { ok: false, code: 'invalid_credentials', message: `Mailgun refused the credentials (HTTP ${res.status})` };
    if (!res.ok) return { ok: false, code: 'provider_error', message: `Mailgun answered HTTP ${res.status}` };
    return { status: res.status, body };
  };
  const listed = await call(`${base}?limit=1000`);
  if ('ok' in listed) return listed;
  const existing = ((listed.body.items as MailgunRoute[] | undefined) ?? []).find((r) => r.actions?.some((a) => a.trim() === forward));
  if (existing)
    return { ok: true, message: 'The route already exists', routeId: existing.id, expression: existing.expression, created: false };
  const created = await call(base, {
    method: 'POST',
    body: new URLSearchParams([
      ['priority', '0'],
      ['description', 'Cadence: replies, out-of-office answers and bounces'],
      ['expression', expression],
      ['action', forward],
      ['action', 'stop()'],
    ]),
  });
  if ('ok' in created) return created;
  const route = created.body.route as MailgunRoute | undefined;
  return { ok: true, message: `Replies to ${address} are forwarded to Cadence`, routeId: route?.id, expression, created: true };
}
