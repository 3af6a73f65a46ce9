import { ChannelType } from './channel-connection.entity';
import { defaultBaseUrl } from './channel-specs';

export interface ChannelTestResult {
  ok: boolean;
  code?: 'invalid_credentials' | 'not_found' | 'unreachable' | 'provider_error';
  message: string;
  /** What the provider says about the sender, e.g. the Mailgun domain state or the WhatsApp display number. */
  details?: Record<string, unknown>;
}

type Probe = { url: string; headers: Record<string, string>; describe: (body: Record<string, unknown>) => Record<string, unknown> };

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A read-only call that proves the credentials and the sender, without sending anything. */
function probe(type: ChannelType, config: Record<string, unknown>, secrets: Record<string, string>): Probe {
  const base = defaultBaseUrl(type, config);
  if (type === 'mailgun') {
    return {
      url: `${base}/v3/domains/${encodeURIComponent(String(config.domain))}`,
      headers: { authorization: basic('api', secrets.apiKey) },
      describe: (b) => ({
        domain: (b.domain as Record<string, unknown> | undefined)?.name,
        state: (b.domain as Record<string, unknown> | undefined)?.state,
      }),
    };
  }
  if (type === 'twilio') {
    return {
      url: `${base}/2010-04-01/Accounts/${encodeURIComponent(String(config.accountSid))}.json`,
      headers: { authorization: basic(String(config.accountSid), secrets.authToken) },
      describe: (b) => ({ friendlyName: b.friendly_name, status: b.status }),
    };
  }
  return {
    url: `${base}/${String(config.apiVersion)}/${encodeURIComponent(String(config.phoneNumberId))}?fields=display_phone_number,verified_name,quality_rating`,
    headers: { authorization: `Bearer ${String(secrets.accessToken)}` },
    describe: (b) => ({ displayPhoneNumber: b.display_phone_number, verifiedName: b.verified_name, qualityRating: b.quality_rating }),
  };
}

export async function testChannel(
  type: ChannelType,
  config: Record<string, unknown>,
  secrets: Record<string, string>,
): Promise<ChannelTestResult> {
  const { url, headers, describe } = probe(type, config, secrets);
  let res: Response;
  try {
    // Never followed: a redirect would take the channel's credentials to a host nobody checked.
    res = await fetch(url, {
      headers: { ...headers, accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return { ok: false, code: 'unreachable', message: `Could not reach ${new URL(url).origin} (${cause})` };
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    return { ok: false, code: 'provider_error', message: `The provider answered a redirect (HTTP ${res.status}), which is not followed` };
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return { ok: true, message: 'Connected', details: shortValues(describe(body)) };
  if (res.status === 401 || res.status === 403)
    return { ok: false, code: 'invalid_credentials', message: `The provider refused the credentials (HTTP ${res.status})` };
  if (res.status === 404)
    return {
      ok: false,
      code: 'not_found',
      message: `The provider does not know this ${type === 'mailgun' ? 'domain' : type === 'twilio' ? 'account' : 'phone number id'} (HTTP 404)`,
    };
  return { ok: false, code: 'provider_error', message: `The provider answered HTTP ${res.status}` };
}

/** Only the few fields a person needs, each a short string or number: nothing else of the answer is reflected. */
function shortValues(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
      .map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 200) : v]),
  );
}
