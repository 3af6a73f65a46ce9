import type { Channel } from '@cadence/contracts';

/**
 * Provider error codes a message can fail with, with a title a person understands and whether the code
 * PROVES nothing reached the recipient (the provider refused it, throttled it or said it was not
 * delivered), which is what makes a retry safe: a retry never sends twice to someone who got it.
 * Codes not listed here are not retried.
 */
export interface ProviderErrorCode {
  title: string;
  /** True when the error proves the recipient got nothing. */
  notDelivered: boolean;
}

const WHATSAPP: Record<string, ProviderErrorCode> = {
  '130429': { title: 'Rate limit hit (throughput)', notDelivered: true },
  '131056': { title: 'Pair rate limit hit (too many messages to this number)', notDelivered: true },
  '131048': { title: 'Spam rate limit hit', notDelivered: true },
  '131049': { title: 'Meta chose not to deliver (ecosystem engagement)', notDelivered: true },
  '131026': { title: 'Message undeliverable', notDelivered: true },
  '131000': { title: 'Something went wrong (message not sent)', notDelivered: true },
  '131047': { title: 'Re-engagement message (outside the 24-hour window)', notDelivered: true },
  '131050': { title: 'Recipient stopped marketing messages', notDelivered: false },
  '131051': { title: 'Unsupported message type', notDelivered: true },
  '131030': { title: 'Recipient phone number not in allowed list', notDelivered: true },
  '132000': { title: 'Template parameter count mismatch', notDelivered: true },
  '132001': { title: 'Template does not exist (or not in that language)', notDelivered: true },
  '132015': { title: 'Template is paused', notDelivered: true },
  '132016': { title: 'Template is disabled', notDelivered: true },
  '80007': { title: 'WhatsApp Business Account rate limit', notDelivered: true },
  '4': { title: 'Application request limit reached', notDelivered: true },
  '613': { title: 'Calls to this API exceeded the rate limit', notDelivered: true },
  '100': { title: 'Invalid parameter', notDelivered: true },
  token_invalid: { title: 'Access token invalid or expired', notDelivered: true },
};

const SMS: Record<string, ProviderErrorCode> = {
  '20429': { title: 'Too many requests', notDelivered: true },
  '14107': { title: 'Message rate limit exceeded', notDelivered: true },
  '30001': { title: 'Queue overflow', notDelivered: true },
  '30003': { title: 'Unreachable destination handset', notDelivered: true },
  '30005': { title: 'Unknown destination handset', notDelivered: false },
  '30007': { title: 'Message filtered by the carrier', notDelivered: true },
  '30008': { title: 'Unknown error', notDelivered: false },
  '30022': { title: 'US A2P 10DLC throughput exceeded', notDelivered: true },
  '21610': { title: 'Recipient unsubscribed (STOP)', notDelivered: false },
  '21211': { title: 'Invalid To phone number', notDelivered: true },
  token_invalid: { title: 'Credentials invalid', notDelivered: true },
};

const EMAIL: Record<string, ProviderErrorCode> = {
  '429': { title: 'Too many requests', notDelivered: true },
  token_invalid: { title: 'Credentials invalid', notDelivered: true },
};

const BY_CHANNEL: Partial<Record<Channel, Record<string, ProviderErrorCode>>> = { whatsapp: WHATSAPP, sms: SMS, email: EMAIL };

/**
 * Codes whose retry is worth it: they prove nothing was delivered AND a later try can succeed. An unsubscribed
 * recipient (21610, 131050) or an unknown handset is never retried, whatever it proves.
 */
const NOT_WORTH_RETRYING = new Set(['21610', '131050', '30005', '21211', '131030', '131051', '100']);

export function providerErrorTitle(channel: string, code: string | null): string | null {
  if (code === null) return null;
  return BY_CHANNEL[channel as Channel]?.[code]?.title ?? null;
}

export function isRetryable(channel: string, code: string | null): boolean {
  if (code === null || NOT_WORTH_RETRYING.has(code)) return false;
  return BY_CHANNEL[channel as Channel]?.[code]?.notDelivered === true;
}

/** Every retryable code of a channel: what the retry statement filters on. */
export function retryableCodes(channel: string): string[] {
  return Object.keys(BY_CHANNEL[channel as Channel] ?? {}).filter((code) => isRetryable(channel, code));
}
