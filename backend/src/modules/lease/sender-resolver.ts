import type { EndpointPolicy, SenderKind } from '@cadence/contracts';
import { Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Environment } from '../../config/environment';
import { googleEndpoints } from '../auth/google-endpoints';
import { ChannelConnection } from '../channels/channel-connection.entity';
import { defaultBaseUrl } from '../channels/channel-specs';
import { ChannelsService } from '../channels/channels.service';
import { ProviderUrlPolicy } from '../channels/provider-url.policy';
import { EmailAccountTokens, ReauthRequiredError } from '../email-accounts/email-account-tokens';
import { EmailAccount } from '../email-accounts/email-account.entity';
import { warmupCapNow } from '../warmup/warmup.service';

export interface ResolvedSender {
  /** Quota ledger key. */
  key: string;
  kind: SenderKind;
  channelId?: string;
  emailAccountId?: string;
  ratePerSecond: number;
  dailyCap?: number;
  config: Record<string, unknown>;
  secrets: Record<string, unknown>;
  /** Channel connections: where the operator lets `config.baseUrl` point, for n8n to check again. */
  endpointPolicy?: EndpointPolicy;
}

export class SenderUnavailableError extends Error {}

export interface SenderRef {
  organizationId: string;
  channelId: string | null;
  emailAccountId: string | null;
}

/** Gmail's per-user sending quota works out to about this many messages a second. */
export const GMAIL_RATE_PER_SECOND = 2;

/** A channel's own sending rate: its `config.ratePerSecond` (the provider's default is stored when the channel is created). */
export function channelRatePerSecond(config: Record<string, unknown>): number {
  return Number(config.ratePerSecond ?? 1);
}

/** Everything n8n needs to send as a campaign's sender; decrypted only here, for the lease. */
@Injectable()
export class SenderResolver {
  constructor(
    private readonly dataSource: DataSource,
    private readonly channels: ChannelsService,
    private readonly env: Environment,
    private readonly urls: ProviderUrlPolicy,
    @Optional() private readonly tokens?: EmailAccountTokens,
  ) {}

  async resolve(ref: SenderRef): Promise<ResolvedSender> {
    if (ref.channelId) {
      const channel = await this.dataSource
        .getRepository(ChannelConnection)
        .findOneBy({ id: ref.channelId, organizationId: ref.organizationId });
      if (!channel) throw new SenderUnavailableError('The sending channel was deleted');
      if (typeof channel.config.baseUrl === 'string') {
        // n8n will call this URL with the channel's secrets: the policy holds at use, not only when it was saved.
        await this.urls.checkForUse(channel.type, channel.config.baseUrl).catch((error: unknown) => {
          throw new SenderUnavailableError(`The channel's base URL is refused: ${error instanceof Error ? error.message : String(error)}`);
        });
      }
      const config = { ...channel.config, baseUrl: defaultBaseUrl(channel.type, channel.config) };
      const limits = channel.type === 'whatsapp' ? await reportedLimits(this.dataSource, channel.id) : undefined;
      const dailyCap = lowest(
        typeof channel.config.dailyCap === 'number' ? channel.config.dailyCap : undefined,
        limits?.dailyLimit ?? undefined,
        await warmupCapNow(this.dataSource, { channelId: channel.id }),
      );
      return {
        key: `channel:${channel.id}`,
        kind: channel.type,
        channelId: channel.id,
        ratePerSecond: lowest(channelRatePerSecond(channel.config), limits?.throughputPerSecond)!,
        ...(dailyCap !== undefined && { dailyCap }),
        config,
        secrets: this.channels.secrets(channel),
        endpointPolicy: this.urls.endpointPolicy,
      };
    }
    const account = await this.dataSource
      .getRepository(EmailAccount)
      .findOneBy({ id: ref.emailAccountId!, organizationId: ref.organizationId });
    if (!account) throw new SenderUnavailableError('The sending mailbox was removed');
    if (account.status !== 'connected')
      throw new SenderUnavailableError(`The mailbox ${account.email} needs to be reconnected in Settings`);
    if (!this.tokens) throw new SenderUnavailableError('Gmail sending is not configured on this server');
    try {
      const token = await this.tokens.getAccessToken(account);
      return {
        key: `email_account:${account.id}`,
        kind: 'gmail',
        emailAccountId: account.id,
        ratePerSecond: GMAIL_RATE_PER_SECOND,
        dailyCap: lowest(account.dailyCap, await warmupCapNow(this.dataSource, { emailAccountId: account.id })),
        config: { email: account.email, gmailApiBaseUrl: googleEndpoints(this.env).gmailApiBaseUrl },
        secrets: { accessToken: token.accessToken, expiresAt: token.expiresAt.toISOString() },
      };
    } catch (error) {
      if (error instanceof ReauthRequiredError)
        throw new SenderUnavailableError(`The mailbox ${account.email} needs to be reconnected in Settings: ${error.message}`);
      throw error;
    }
  }
}

/** The lowest of the limits that are set (undefined when none is). */
function lowest(...limits: Array<number | undefined>): number | undefined {
  const set = limits.filter((l): l is number => typeof l === 'number');
  return set.length ? Math.min(...set) : undefined;
}

/**
 * What Meta last reported for a WhatsApp number (template sync): its throughput and the portfolio's
 * daily messaging limit. The daily limit counts unique recipients; the ledger counts messages, which
 * are at least as many, so holding messages to it never lets more recipients through than Meta allows.
 */
export async function reportedLimits(
  dataSource: DataSource | EntityManager,
  channelId: string,
): Promise<{ throughputPerSecond: number; dailyLimit: number | null } | undefined> {
  const [row] = await dataSource.query<Array<{ throughput_per_second: number; daily_limit: number | null }>>(
    'SELECT throughput_per_second, daily_limit FROM whatsapp_number_limits WHERE channel_id = $1',
    [channelId],
  );
  return row ? { throughputPerSecond: row.throughput_per_second, dailyLimit: row.daily_limit } : undefined;
}
