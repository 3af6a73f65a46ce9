import { createHmac, timingSafeEqual } from 'node:crypto';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Mailgun: hex HMAC-SHA256 of timestamp + token with the webhook signing key; stale timestamps are replays. */
export function verifyMailgun(
  signingKey: string,
  sig: { timestamp?: unknown; token?: unknown; signature?: unknown } | undefined,
  maxAgeSeconds = 900,
): boolean {
  if (!sig || typeof sig.timestamp !== 'string' || typeof sig.token !== 'string' || typeof sig.signature !== 'string') return false;
  if (Math.abs(Date.now() / 1000 - Number(sig.timestamp)) > maxAgeSeconds) return false;
  return same(
    createHmac('sha256', signingKey)
      .update(sig.timestamp + sig.token)
      .digest('hex'),
    sig.signature,
  );
}

/** Twilio: base64 HMAC-SHA1 of the URL Twilio called followed by the sorted POST params, keyed by the auth token. */
export function verifyTwilio(authToken: string, url: string, params: Record<string, string>, header: string | undefined): boolean {
  if (!header) return false;
  let data = url;
  for (const key of Object.keys(params).sort()) data += key + params[key];
  return same(createHmac('sha1', authToken).update(data, 'utf8').digest('base64'), header);
}

/** Meta: `sha256=` + hex HMAC-SHA256 of the raw body, keyed by the app secret. */
export function verifyMeta(appSecret: string, rawBody: Buffer | undefined, header: string | undefined): boolean {
  if (!rawBody || !header) return false;
  return same(`sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`, header);
}
