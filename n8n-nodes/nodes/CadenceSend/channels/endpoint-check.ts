import { checkBaseUrl, STRICT_ENDPOINT_POLICY } from '@cadence/contracts';
import type { Classified, Provider } from '../../shared/outcome';
import type { Sender } from '../../shared/types';
import { str } from './driver';

/**
 * The sender's `config.baseUrl` checked again here, with the backend's own rules (`checkBaseUrl` from
 * @cadence/contracts) and the operator's policy the lease states (`sender.endpointPolicy`; absent: the
 * provider's own hosts only): the URL receives the channel's credentials, so a lease that should never
 * have carried it (a backend bug, a tampered lease) still sends nothing there. Metadata addresses are
 * refused whatever the allowlist says; literal loopback / private addresses unless allowlisted. Host
 * names are not resolved here (the backend resolved them at the lease): a name that resolves inside is
 * the backend's to catch. Gmail's API base URL is the operator's setting, not the tenant's: not checked.
 */
export function endpointRefusal(provider: Provider, sender: Sender): Classified | undefined {
	if (provider === 'gmail') return undefined;
	// No baseUrl: the driver calls the provider's own host.
	const baseUrl = str(sender.config.baseUrl);
	if (baseUrl === undefined) return undefined;
	const verdict = checkBaseUrl(provider, baseUrl.replace(/\/+$/, ''), sender.endpointPolicy ?? STRICT_ENDPOINT_POLICY);
	if (verdict.ok) return undefined;
	return {
		outcome: 'failed',
		errorCode: 'channel_base_url_refused',
		errorMessage: `not sent: the channel's base URL is refused (${verdict.reason})`,
	};
}
