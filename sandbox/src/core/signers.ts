import { createHmac } from 'node:crypto';

/** Mailgun: hex HMAC-SHA256 of `timestamp + token`, keyed by the webhook signing key. */
export function mailgunSignature(signingKey: string, timestamp: string, token: string): string {
  return createHmac('sha256', signingKey)
    .update(timestamp + token)
    .digest('hex');
}

/**
 * Twilio: base64 HMAC-SHA1 of the full URL followed by every POST param name+value,
 * params sorted by name, keyed by the account's auth token.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  let data = url;
  for (const key of Object.keys(params).sort()) data += key + params[key];
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Meta: `sha256=` + hex HMAC-SHA256 of the raw request body, keyed by the app secret. */
export function whatsappSignature(appSecret: string, rawBody: string | Buffer): string {
  return 'sha256=' + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}
