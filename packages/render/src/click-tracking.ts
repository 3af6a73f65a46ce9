/**
 * The default click-tracking scheme: `${clickBaseUrl}?u=<base64url(originalUrl)>&i=<linkIndex>`
 * (`&` instead of `?` when the base already has a query). base64url keeps the original URL,
 * with its own query and fragment, opaque and unambiguous inside one parameter.
 */
export function buildClickUrl(clickBaseUrl: string, originalUrl: string, linkIndex: number): string {
  const separator = clickBaseUrl.includes('?') ? '&' : '?';
  const encoded = Buffer.from(originalUrl, 'utf8').toString('base64url');
  return `${clickBaseUrl}${separator}u=${encoded}&i=${linkIndex}`;
}

export interface ClickTarget {
  url: string;
  linkIndex: number;
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
  return { url, linkIndex: Number(index) };
}
