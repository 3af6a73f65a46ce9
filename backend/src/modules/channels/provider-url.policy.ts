import { checkBaseUrl, type EndpointPolicy, isInternalAddress, isMetadataHost } from '@cadence/contracts';
import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
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

function refused(message: string): AppError {
  return new AppError('channel_base_url_refused', message, { field: 'config.baseUrl' });
}
