import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { ChannelType } from './channel-connection.entity';

/** The hosts each provider serves its API from (regional endpoints included). */
const PROVIDER_HOSTS: Record<ChannelType, RegExp> = {
  twilio: /^api(\.[a-z0-9-]+\.[a-z0-9]+)?\.twilio\.com$/,
  mailgun: /^api(\.eu)?\.mailgun\.net$/,
  whatsapp: /^graph\.facebook\.com$/,
};

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

export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1], 'ipv4');
  return INTERNAL.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Where a channel may point its `baseUrl`. By default only at its provider's own API hosts over https.
 * An operator may allow custom endpoints (CUSTOM_PROVIDER_URLS=on: the provider sandbox, a regional
 * proxy); even then a URL whose host resolves into loopback, private, link-local or metadata ranges is
 * refused unless that host (or host:port) is listed in PROVIDER_URL_ALLOWLIST. A base URL is an origin:
 * no path, query, fragment or credentials for the tenant to steer requests with.
 */
@Injectable()
export class ProviderUrlPolicy {
  private readonly allowlist: Set<string>;

  constructor(private readonly env: Environment) {
    this.allowlist = new Set(
      (env.PROVIDER_URL_ALLOWLIST ?? '')
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean),
    );
  }

  private readonly passed = new Map<string, number>();

  /**
   * The same check at the time of use (every lease hands the URL to n8n with the channel's secrets),
   * with a pass remembered for a minute so that a campaign does not resolve the host for every batch.
   */
  async checkForUse(type: ChannelType, baseUrl: string): Promise<void> {
    const key = `${type} ${baseUrl}`;
    const until = this.passed.get(key);
    if (until !== undefined && until > Date.now()) return;
    await this.check(type, baseUrl);
    if (this.passed.size > 10_000) this.passed.clear();
    this.passed.set(key, Date.now() + 60_000);
  }

  /** Throws 400 `channel_base_url_refused` naming why; resolves the host when it is not the provider's. */
  async check(type: ChannelType, baseUrl: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw refused('baseUrl is not a URL');
    }
    if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
      throw refused('baseUrl must be an origin like https://api.example.com, without path, query or credentials');
    }
    const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    if (url.protocol === 'https:' && PROVIDER_HOSTS[type].test(host)) return;
    if (this.env.CUSTOM_PROVIDER_URLS !== 'on') {
      throw refused(
        `baseUrl must be the provider's own API host over https; custom endpoints are off on this server (CUSTOM_PROVIDER_URLS)`,
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refused('baseUrl must be an http(s) URL');
    if (this.allowlist.has(host) || this.allowlist.has(url.host.toLowerCase())) return;
    const addresses = isIP(host)
      ? [host]
      : await lookup(host, { all: true, verbatim: true }).then(
          (found) => found.map((a) => a.address),
          () => {
            throw refused(`the host ${host} does not resolve`);
          },
        );
    const internal = addresses.find(isInternalAddress);
    if (internal) throw refused(`${host} resolves to an internal address (${internal}), which channels cannot reach`);
  }
}

function refused(message: string): AppError {
  return new AppError('channel_base_url_refused', message, { field: 'config.baseUrl' });
}
