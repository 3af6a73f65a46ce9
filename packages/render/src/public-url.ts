/**
 * Why `value` is not a URL a third party may be told to fetch on our behalf (undefined when it is):
 * https only, no credentials, the default port, and a public DNS name — no IP literal (loopback,
 * private and link-local ranges are reached that way), no `localhost`, no internal-only suffixes.
 * Meta fetches a WhatsApp media header from this URL; the same rule holds for anything a server fetches
 * from a user-given URL. A name cannot be resolved here (the renderer runs without DNS), so a fetcher
 * of ours must still check the address it connects to.
 */
export function publicHttpsUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:') return 'must use https';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.port && url.port !== '443') return 'must use the default https port';
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (/^\[.*\]$/.test(host) || /^[\d.]+$/.test(host) || /^0x[0-9a-f]+$/i.test(host)) return 'must name a host, not an IP address';
  if (!host.includes('.')) return 'must name a public host';
  if (/(^|\.)(localhost|local|internal|intranet|lan|home|corp|localdomain|arpa)$/.test(host)) return 'must name a public host';
  return undefined;
}
