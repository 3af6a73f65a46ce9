import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box';
import { AppError } from '../../common/errors/app-error';
import { sentFields } from '../../common/http/validators';
import { Page } from '../../common/pagination/cursor';
import { paginate } from '../../common/pagination/paginate';
import { ChannelConnection, ChannelType } from './channel-connection.entity';
import { CreateChannelDto, UpdateChannelDto } from './channels.dto';
import { validateChannel } from './channel-specs';
import { ChannelTestResult, testChannel } from './channel-tester';
import { ensureMailgunInboundRoute, InboundRouteResult } from './mailgun-inbound-route';
import { ProviderUrlPolicy } from './provider-url.policy';
import { deleteOwned } from '../../database/delete-owned';

/** Bodies arrive shaped by `CreateChannelDto` / `UpdateChannelDto`; the per-type check runs here on what is stored in the end. */
export type ChannelInput = Partial<CreateChannelDto> | UpdateChannelDto;

const FOREIGN_KEY_VIOLATION = '23503';

function inUse(campaigns: Array<{ id: string; name: string }>): AppError {
  const names = campaigns.slice(0, 5).map((c) => `"${c.name}"`);
  const more = campaigns.length > 5 ? ' and others' : '';
  return new AppError(
    'channel_in_use',
    `This channel is the sender of ${campaigns.length === 1 ? 'campaign' : 'campaigns'} ${names.join(', ')}${more}, so it cannot be removed while ${campaigns.length === 1 ? 'that campaign exists' : 'they exist'}`,
    { campaigns: campaigns.slice(0, 5) },
  );
}

/** Ciphertexts are bound to their organization: a row copied into another tenant cannot be opened. */
const aad = (organizationId: string) => `channel_connections:${organizationId}`;

/**
 * Provider webhooks name their channel, thousands of times a second in a campaign: the row and its
 * opened secrets are kept briefly. An update or delete here forgets them at once; another instance
 * forgets them within the TTL, and a signature that fails against a cached secret is re-checked
 * against the stored row.
 */
const WEBHOOK_CACHE_MS = 10_000;
const WEBHOOK_CACHE_MAX = 1000;

export interface OpenedChannel {
  channel: ChannelConnection;
  secrets: Record<string, string>;
}

@Injectable()
export class ChannelsService {
  private readonly opened = new Map<string, OpenedChannel & { at: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly urls: ProviderUrlPolicy,
  ) {}

  /** A tenant-given base URL is where the backend and n8n will send requests with the channel's secrets. */
  private async checkBaseUrl(type: ChannelType, config: Record<string, unknown>): Promise<void> {
    if (typeof config.baseUrl === 'string') await this.urls.check(type, config.baseUrl);
  }

  private get repo() {
    return this.dataSource.getRepository(ChannelConnection);
  }

  async create(organizationId: string, input: ChannelInput): Promise<ChannelConnection> {
    const name = input.name!.trim();
    const type = input.type!;
    // The DTO made class instances of config / secrets: keep what was sent, so provider defaults apply to the rest.
    const { config, secrets } = validateChannel(type, sentFields(input.config ?? {}), sentFields(input.secrets ?? {}));
    await this.checkBaseUrl(type, config);
    return this.repo.save(
      this.repo.create({
        organizationId,
        type,
        name,
        config,
        secrets: this.box.sealJson(secrets, aad(organizationId)),
        status: 'untested',
      }),
    );
  }

  async update(organizationId: string, id: string, input: ChannelInput): Promise<ChannelConnection> {
    const current = await this.get(organizationId, id);
    if (input.type !== undefined && input.type !== current.type)
      throw new AppError('validation_failed', 'type cannot change; create another channel');
    const currentSecrets = this.secrets(current);
    // A null clears an optional setting (a custom baseUrl, a daily cap) back to the provider default.
    const nextConfig =
      input.config === undefined
        ? current.config
        : Object.fromEntries(Object.entries({ ...current.config, ...(input.config as object) }).filter(([, v]) => v !== null));
    const nextSecrets = input.secrets === undefined ? currentSecrets : { ...currentSecrets, ...(input.secrets as object) };
    const { config, secrets } = validateChannel(current.type, nextConfig, nextSecrets);
    await this.checkBaseUrl(current.type, config);
    this.opened.delete(id);
    await this.repo.update(
      { organizationId, id },
      {
        name: input.name == null ? current.name : input.name.trim(),
        config: config as never,
        secrets: this.box.sealJson(secrets, aad(organizationId)),
        status: 'untested',
        lastError: null,
      },
    );
    return this.get(organizationId, id);
  }

  async get(organizationId: string, id: string): Promise<ChannelConnection> {
    const row = await this.repo.findOneBy({ organizationId, id });
    if (!row) throw new AppError('channel_not_found', `No channel ${id}`);
    return row;
  }

  list(organizationId: string, cursor: string | undefined, limit: number): Promise<Page<ChannelConnection>> {
    return paginate(this.repo.createQueryBuilder('c').where('c.organization_id = :organizationId', { organizationId }), 'c', cursor, limit);
  }

  /**
   * A channel that sends (or sent) a campaign keeps that campaign's history meaningful, so it cannot be
   * removed while one names it: the answer names the campaigns (the database refuses it anyway).
   */
  async remove(organizationId: string, id: string): Promise<void> {
    await this.get(organizationId, id);
    const users = await this.campaignsUsing(organizationId, id);
    if (users.length) throw inUse(users);
    this.opened.delete(id);
    try {
      if (!(await deleteOwned(this.repo, organizationId, id))) throw new AppError('channel_not_found', `No channel ${id}`);
    } catch (error) {
      // A campaign created between the check and the delete.
      if ((error as { driverError?: { code?: string } }).driverError?.code === FOREIGN_KEY_VIOLATION)
        throw inUse(await this.campaignsUsing(organizationId, id));
      throw error;
    }
  }

  private campaignsUsing(organizationId: string, id: string): Promise<Array<{ id: string; name: string }>> {
    return this.dataSource.query(
      `SELECT c.id, c.name FROM campaigns c
        WHERE c.organization_id = $1
          AND (c.sender_channel_id = $2
               OR EXISTS (SELECT 1 FROM campaign_steps s WHERE s.campaign_id = c.id AND s.organization_id = $1 AND s.sender_channel_id = $2))
        ORDER BY c.created_at, c.id LIMIT 6`,
      [organizationId, id],
    );
  }

  /** Decrypted secrets, for the sending path only; never returned by the API. */
  secrets(channel: ChannelConnection): Record<string, string> {
    return this.box.openJson<Record<string, string>>(channel.secrets, aad(channel.organizationId));
  }

  cachedWithSecrets(id: string, type: ChannelType): OpenedChannel | undefined {
    const hit = this.opened.get(id);
    return hit && hit.channel.type === type && Date.now() - hit.at < WEBHOOK_CACHE_MS ? hit : undefined;
  }

  /** For webhook endpoints, found by id alone: the channel's organization is what the caller learns. */
  async loadWithSecrets(id: string, type: ChannelType): Promise<OpenedChannel | undefined> {
    this.opened.delete(id);
    const channel = await this.repo.findOneBy({ id, type });
    if (!channel) return undefined;
    const entry = { at: Date.now(), channel, secrets: this.secrets(channel) };
    this.opened.set(id, entry);
    if (this.opened.size > WEBHOOK_CACHE_MAX) this.opened.delete(this.opened.keys().next().value!);
    return entry;
  }

  async test(organizationId: string, id: string): Promise<ChannelTestResult> {
    const channel = await this.get(organizationId, id);
    // Checked again at use: the policy may have tightened, or the name may resolve elsewhere now.
    await this.checkBaseUrl(channel.type, channel.config);
    const result = await testChannel(channel.type, channel.config, this.secrets(channel));
    await this.repo.update(
      { organizationId, id },
      { status: result.ok ? 'connected' : 'error', lastTestedAt: new Date(), lastError: result.ok ? null : result.message },
    );
    return result;
  }

  /** Mailgun: the receiving route that forwards replies to `inboundUrl` (the channel's webhookUrls.inbound). */
  async createInboundRoute(organizationId: string, id: string, inboundUrl: string): Promise<InboundRouteResult> {
    const channel = await this.get(organizationId, id);
    if (channel.type !== 'mailgun') throw new AppError('validation_failed', 'Inbound routes are a Mailgun channel feature');
    await this.checkBaseUrl(channel.type, channel.config);
    return ensureMailgunInboundRoute(channel.config, this.secrets(channel), inboundUrl);
  }

  /** Which secrets are set and their last characters, so a person can tell keys apart without seeing them. */
  secretHints(channel: ChannelConnection): Record<string, string> | { unreadable: true } {
    try {
      const secrets = this.secrets(channel);
      return Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, v.length >= 12 ? `…${v.slice(-4)}` : '…']));
    } catch {
      return { unreadable: true };
    }
  }
}
