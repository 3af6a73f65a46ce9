import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The default click-tracking scheme: `${clickBaseUrl}?u=<base64url(originalUrl)>&i=<linkIndex>`
 * (`&` instead of `?` when the base already has a query). base64url keeps the original URL,
 * with its own query and fragment, opaque and unambiguous inside one parameter.
 */
export function buildClickUrl(clickBaseUrl: string, originalUrl: string, linkIndex: number, signingKey?: string): string {
  const separator = clickBaseUrl.includes('?') ? '&' : '?';
  const encoded = Buffer.from(originalUrl, 'utf8').toString('base64url');
  const signature = signingKey ? `&s=${clickSignature(signingKey, originalUrl, linkIndex)}` : '';
  return `${clickBaseUrl}${separator}u=${encoded}&i=${linkIndex}${signature}`;
}

/** 128 bits of HMAC-SHA256 over the link's index and target: what `s=` carries. */
export function clickSignature(signingKey: string, originalUrl: string, linkIndex: number): string {
  return createHmac('sha256', Buffer.from(signingKey, 'base64url'))
    .update(`${linkIndex}\n${originalUrl}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** Whether `signature` is the one `signingKey` gives this target (constant time). */
export function clickSignatureMatches(signingKey: string, target: ClickTarget): boolean {
  if (!target.signature) return false;
  const expected = Buffer.from(clickSignature(signingKey, target.url, target.linkIndex));
  const given = Buffer.from(target.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface ClickTarget {
  url: string;
  linkIndex: number;
  /** `s=`: absent on links built without a signing key. */
  signature?: string;
}

/**
 * Reads back what buildClickUrl wrote (for the backend's redirect endpoint). Returns undefined
 * unless the target is an http(s) URL, so the redirect cannot be turned into a javascript: link.
 */
export function parseClickUrl(trackedUrl: string | URL): ClickTarget | undefined {
  let params: URLSearchParams;
  try {
    params = (typeof trackedUrl === 'string' ? new URL(trackedUrl) : trackedUrl).searchParams;
  } catch {
    return undefined;
  }
  const encoded = params.get('u');
  const index = params.get('i');
  if (!encoded || index === null || !/^\d+$/.test(index)) return undefined;
  const url = Buffer.from(encoded, 'base64url').toString('utf8');
  if (!/^https?:\/\//i.test(url)) return undefined;
  const signature = params.get('s');
  return { url, linkIndex: Number(index), ...(signature ? { signature } : {}) };
}
