import { BlockList, isIP } from 'node:net';
import * as z from 'zod/mini';

/**
 * Where a channel connection may send its requests (and its credentials): the one policy the backend
 * applies when a channel is saved and at every lease, and the Send node applies again before calling
 * the provider. Pure: no DNS here (the backend resolves host names on top of this check).
 */

/** Channel connections that carry a `baseUrl`. */
export type ProviderKind = 'mailgun' | 'twilio' | 'whatsapp';

/** The hosts each provider serves its API from (regional endpoints included). */
export const PROVIDER_HOSTS: Record<ProviderKind, RegExp> = {
  twilio: /^api(\.[a-z0-9-]+\.[a-z0-9]+)?\.twilio\.com$/,
  mailgun: /^api(\.eu)?\.mailgun\.net$/,
  whatsapp: /^graph\.facebook\.com$/,
};

/** The operator's policy as the lease states it to n8n (`sender.endpointPolicy`). */
export const EndpointPolicySchema = z.object({
  /** CUSTOM_PROVIDER_URLS=on: hosts other than the provider's are allowed (the sandbox, a regional proxy). */
  customEndpoints: z.boolean(),
  /** PROVIDER_URL_ALLOWLIST: hosts (or host:port) allowed even though they are loopback or private. */
  allowlist: z.array(z.string()),
});
export type EndpointPolicy = z.infer<typeof EndpointPolicySchema>;

/** Custom endpoints off, nothing allowlisted: what a lease without a policy means. */
export const STRICT_ENDPOINT_POLICY: EndpointPolicy = { customEndpoints: false, allowlist: [] };

/** Cloud metadata services: never reachable, allowlist or not (they hand out the host's own credentials). */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata']);
const METADATA_ADDRESSES = new BlockList();
METADATA_ADDRESSES.addAddress('169.254.169.254', 'ipv4');
METADATA_ADDRESSES.addAddress('fd00:ec2::254', 'ipv6');

/** Addresses a tenant's URL must never reach: this host, private networks, link-local (cloud metadata). */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address (v4, v6, IPv4-mapped v6) lies in a loopback, private, link-local or reserved range. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1], 'ipv4');
  const version = isIP(address);
  return version !== 0 && INTERNAL.check(address, version === 6 ? 'ipv6' : 'ipv4');
}

/** A cloud metadata host name or address (IPv4-mapped IPv6 spellings included). */
export function isMetadataHost(host: string): boolean {
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const version = isIP(h);
  return version === 0 ? METADATA_NAMES.has(h) : METADATA_ADDRESSES.check(h, version === 6 ? 'ipv6' : 'ipv4');
}

export type BaseUrlVerdict =
  | {
      ok: true;
      /** The host without IPv6 brackets, lowercased. */
      host: string;
      /** The provider's own API host over https. */
      provider: boolean;
      /** Named by the allowlist. */
      allowlisted: boolean;
      /** Neither of the above and not a literal IP: only a DNS lookup can tell where it leads. */
      needsResolution: boolean;
    }
  | { ok: false; reason: string };

/**
 * The checks that need no network. By default only the provider's own API hosts over https. With
 * custom endpoints on, any http(s) host except a literal loopback / private / link-local address, unless
 * the allowlist names that host (or host:port). Metadata hosts are refused always. A base URL is an
 * origin: no path, query, fragment or credentials for the tenant to steer requests with.
 */
export function checkBaseUrl(kind: ProviderKind, baseUrl: string, policy: EndpointPolicy): BaseUrlVerdict {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { ok: false, reason: 'baseUrl is not a URL' };
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return { ok: false, reason: 'baseUrl must be an origin like https://api.example.com, without path, query or credentials' };
  }
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (isMetadataHost(host)) return { ok: false, reason: `${host} is a cloud metadata address, which channels cannot reach` };
  if (url.protocol === 'https:' && PROVIDER_HOSTS[kind].test(host))
    return { ok: true, host, provider: true, allowlisted: false, needsResolution: false };
  if (!policy.customEndpoints) {
    return {
      ok: false,
      reason: "baseUrl must be the provider's own API host over https; custom endpoints are off on this server (CUSTOM_PROVIDER_URLS)",
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'baseUrl must be an http(s) URL' };
  const allowlist = new Set(policy.allowlist.map((entry) => entry.trim().toLowerCase()).filter(Boolean));
  if (allowlist.has(host) || allowlist.has(url.host.toLowerCase()))
    return { ok: true, host, provider: false, allowlisted: true, needsResolution: false };
  // `localhost` names are loopback without asking DNS (RFC 6761).
  if ((isIP(host) && isInternalAddress(host)) || /(^|\.)localhost\.?$/.test(host))
    return { ok: false, reason: `${host} is an internal address, which channels cannot reach` };
  return { ok: true, host, provider: false, allowlisted: false, needsResolution: isIP(host) === 0 };
}
