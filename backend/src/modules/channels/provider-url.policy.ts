import { checkBaseUrl, type EndpointPolicy, isInternalAddress, isMetadataHost } from '@cadence/contracts';
import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import { ChannelType } from './channel-connection.entity';

/**
 * Where a channel may point its `baseUrl`. By default only at its provider's own API hosts over https.
 * An operator may allow custom endpoints (CUSTOM_PROVIDER_URLS=on: the provider sandbox, a regional
 * proxy); even then a URL whose host resolves into loopback, private, link-local or metadata ranges is
 * refused unless that host (or host:port) is listed in PROVIDER_URL_ALLOWLIST; metadata addresses always.
 * The rules without DNS live in @cadence/contracts (checkBaseUrl), which the Send node applies again;
 * this adds the resolution of host names.
 */
@Injectable()
export class ProviderUrlPolicy {
  /** The operator's policy, as the lease states it to n8n (`sender.endpointPolicy`). */
  readonly endpointPolicy: EndpointPolicy;

  constructor(env: Environment) {
    this.endpointPolicy = {
      customEndpoints: env.CUSTOM_PROVIDER_URLS === 'on',
      allowlist: (env.PROVIDER_URL_ALLOWLIST ?? '')
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean),
    };
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

  /**
   * An AI provider's base URL (see checkAiBaseUrl), its host resolved like a channel's: throws 400
   * `ai_base_url_refused`. Run when the settings are saved and again before each call (DNS may change).
   */
  async checkAi(baseUrl: string): Promise<void> {
    const refuse = (message: string) => new AppError('ai_base_url_refused', message, { field: 'baseUrl' });
    const verdict = checkAiBaseUrl(baseUrl, this.endpointPolicy);
    if (!verdict.ok) throw refuse(verdict.reason);
    if (!verdict.needsResolution) return;
    const { host } = verdict;
    const addresses = await lookup(host, { all: true, verbatim: true }).then(
      (found) => found.map((a) => a.address),
      () => {
        throw refuse(`the host ${host} does not resolve`);
      },
    );
    const internal = addresses.find((a) => isInternalAddress(a) || isMetadataHost(a));
    if (internal) throw refuse(`${host} resolves to an internal address (${internal}), which cannot be reached`);
  }

  /** Throws 400 `channel_base_url_refused` naming why; resolves the host when it is not the provider's. */
  async check(type: ChannelType, baseUrl: string): Promise<void> {
    const verdict = checkBaseUrl(type, baseUrl, this.endpointPolicy);
    if (!verdict.ok) throw refused(verdict.reason);
    if (!verdict.needsResolution) return;
    const { host } = verdict;
    const addresses = await lookup(host, { all: true, verbatim: true }).then(
      (found) => found.map((a) => a.address),
      () => {
        throw refused(`the host ${host} does not resolve`);
      },
    );
    const internal = addresses.find((a) => isInternalAddress(a) || isMetadataHost(a));
    if (internal) throw refused(`${host} resolves to an internal address (${internal}), which channels cannot reach`);
  }
}

/**
 * The checks without DNS for an AI provider's base URL (an OpenAI-compatible API, e.g. https://api.openai.com/v1).
 * Unlike a channel there is no one provider host: any public https host is allowed, with a path (`/v1`) but no
 * query, fragment or credentials. Plain http and hosts outside the public internet follow the channels' policy:
 * only with custom endpoints on (CUSTOM_PROVIDER_URLS), and loopback / private addresses only when
 * PROVIDER_URL_ALLOWLIST names the host (the sandbox in development); metadata addresses never.
 */
export function checkAiBaseUrl(
  baseUrl: string,
  policy: EndpointPolicy,
): { ok: true; host: string; needsResolution: boolean } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { ok: false, reason: 'baseUrl is not a URL' };
  }
  if (url.username || url.password || url.search || url.hash || baseUrl.includes('?') || baseUrl.includes('#'))
    return { ok: false, reason: 'baseUrl must be like https://api.example.com/v1, without query, fragment or credentials' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'baseUrl must be an https URL' };
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (isMetadataHost(host)) return { ok: false, reason: `${host} is a cloud metadata address, which cannot be reached` };
  if (url.protocol === 'http:' && !policy.customEndpoints)
    return { ok: false, reason: 'baseUrl must use https; custom endpoints are off on this server (CUSTOM_PROVIDER_URLS)' };
  const allowlist = new Set(policy.allowlist.map((entry) => entry.trim().toLowerCase()).filter(Boolean));
  if (policy.customEndpoints && (allowlist.has(host) || allowlist.has(url.host.toLowerCase())))
    return { ok: true, host, needsResolution: false };
  if ((isIP(host) && isInternalAddress(host)) || /(^|\.)localhost\.?$/.test(host))
    return { ok: false, reason: `${host} is an internal address, which cannot be reached` };
  return { ok: true, host, needsResolution: isIP(host) === 0 };
}

function refused(message: string): AppError {
  return new AppError('channel_base_url_refused', message, { field: 'config.baseUrl' });
}
