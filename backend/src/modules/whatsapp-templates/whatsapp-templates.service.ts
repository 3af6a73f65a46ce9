import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { Page } from '../../common/pagination/cursor';
import { paginate } from '../../common/pagination/paginate';
import { suspendCampaign } from '../campaigns/campaign-status';
import { ChannelConnection } from '../channels/channel-connection.entity';
import { defaultBaseUrl } from '../channels/channel-specs';
import { ChannelsService } from '../channels/channels.service';
import { ProviderUrlPolicy } from '../channels/provider-url.policy';
import { readNumberLimits, type NumberLimits } from './graph-number-limits.client';
import { listGraphTemplates } from './graph-templates.client';
import { placeholdersOf } from './template-placeholders';
import { WHATSAPP_TEMPLATE_STATUSES, WhatsappTemplate, WhatsappTemplateStatus } from './whatsapp-template.entity';

/** Statuses in which Meta refuses sends: a campaign using such a template is paused with the reason. */
const BLOCKING: readonly WhatsappTemplateStatus[] = ['PAUSED', 'REJECTED', 'DISABLED', 'DELETED', 'PENDING_DELETION'];

export interface TemplateSyncResult {
  channelId: string;
  templates: number;
  /** Templates whose status differs from the previous sync (new ones included). */
  changed: number;
  /** Campaigns paused because a template they send went PAUSED / REJECTED / DISABLED / away. */
  suspendedCampaigns: string[];
  /** The number's throughput and messaging limit tier, as Meta reported them with this sync. */
  limits: NumberLimits;
}

export interface TemplateListFilter {
  channelId?: string;
  status?: string;
}

function asStatus(s: string): WhatsappTemplateStatus {
  // A status Meta adds later is stored as what it means here: not sendable.
  return (WHATSAPP_TEMPLATE_STATUSES as readonly string[]).includes(s) ? (s as WhatsappTemplateStatus) : 'PENDING';
}

/** The catalog of approved message templates each WhatsApp channel's business account holds at Meta. */
@Injectable()
export class WhatsappTemplatesService {
  private readonly logger = new Logger('WhatsappTemplates');

  constructor(
    private readonly dataSource: DataSource,
    private readonly channels: ChannelsService,
    private readonly urls: ProviderUrlPolicy,
  ) {}

  list(organizationId: string, filter: TemplateListFilter, cursor: string | undefined, limit: number): Promise<Page<WhatsappTemplate>> {
    const qb = this.dataSource
      .getRepository(WhatsappTemplate)
      .createQueryBuilder('t')
      .where('t.organization_id = :organizationId', { organizationId });
    if (filter.channelId) qb.andWhere('t.channel_id = :channelId', { channelId: filter.channelId });
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    return paginate(qb, 't', cursor, limit);
  }

  async get(organizationId: string, id: string): Promise<WhatsappTemplate> {
    const row = await this.dataSource.getRepository(WhatsappTemplate).findOneBy({ organizationId, id });
    if (!row) throw new AppError('whatsapp_template_not_found', `No WhatsApp template ${id}`);
    return row;
  }

  /** Syncs one channel, or every WhatsApp channel of the organization. */
  async sync(organizationId: string, channelId?: string): Promise<TemplateSyncResult[]> {
    const channels = channelId
      ? [await this.channels.get(organizationId, channelId)]
      : // All of them: those without a business account have no catalog to read and are left out.
        (
          await this.dataSource
            .getRepository(ChannelConnection)
            .find({ where: { organizationId, type: 'whatsapp' }, order: { createdAt: 'ASC' } })
        ).filter((c) => typeof c.config.businessAccountId === 'string');
    const results: TemplateSyncResult[] = [];
    for (const channel of channels) {
      if (channel.type !== 'whatsapp') throw new AppError('validation_failed', `Channel ${channel.id} is not a WhatsApp channel`);
      results.push(await this.syncChannel(channel));
    }
    return results;
  }

  /** The periodic pass: every WhatsApp channel with a business account; one failing does not stop the others. */
  async syncEverywhere(): Promise<void> {
    const channels = await this.dataSource.getRepository(ChannelConnection).findBy({ type: 'whatsapp' });
    for (const channel of channels) {
      if (typeof channel.config.businessAccountId !== 'string') continue;
      try {
        await this.syncChannel(channel);
      } catch (error) {
        this.logger.warn(`template sync of channel ${channel.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private async syncChannel(channel: ChannelConnection): Promise<TemplateSyncResult> {
    const wabaId = channel.config.businessAccountId;
    if (typeof wabaId !== 'string')
      throw new AppError(
        'whatsapp_account_missing',
        `Channel "${channel.name}" has no businessAccountId, so its templates cannot be listed`,
      );
    const baseUrl = defaultBaseUrl('whatsapp', channel.config);
    // Checked at use like the channel test: the policy may have tightened since the channel was saved.
    if (typeof channel.config.baseUrl === 'string') await this.urls.check('whatsapp', channel.config.baseUrl);
    const secrets = this.channels.secrets(channel);
    const apiVersion = String(channel.config.apiVersion ?? 'v21.0');
    const graph = await listGraphTemplates(baseUrl, apiVersion, wabaId, secrets.accessToken);
    const limits = await readNumberLimits(baseUrl, apiVersion, String(channel.config.phoneNumberId), secrets.accessToken);
    return this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO whatsapp_number_limits (organization_id, channel_id, throughput_level, throughput_per_second, messaging_limit_tier, daily_limit)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (channel_id) DO UPDATE SET throughput_level = EXCLUDED.throughput_level,
           throughput_per_second = EXCLUDED.throughput_per_second, messaging_limit_tier = EXCLUDED.messaging_limit_tier,
           daily_limit = EXCLUDED.daily_limit, reported_at = now()`,
        [
          channel.organizationId,
          channel.id,
          limits.throughputLevel,
          limits.throughputPerSecond,
          limits.messagingLimitTier,
          limits.dailyLimit,
        ],
      );
      return { ...(await this.store(m, channel, wabaId, graph)), limits };
    });
  }

  private async store(
    m: EntityManager,
    channel: ChannelConnection,
    wabaId: string,
    graph: Awaited<ReturnType<typeof listGraphTemplates>>,
  ): Promise<Omit<TemplateSyncResult, 'limits'>> {
    const before = new Map(
      (await m.find(WhatsappTemplate, { where: { channelId: channel.id } })).map((t) => [`${t.name}\u0000${t.language}`, t.status]),
    );
    const now = new Date();
    const seen = new Set<string>();
    const turnedBlocking: Array<{ name: string; language: string; status: WhatsappTemplateStatus }> = [];
    let changed = 0;
    for (const t of graph) {
      const key = `${t.name}\u0000${t.language}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const status = asStatus(t.status);
      if (before.get(key) !== status) {
        changed++;
        if (BLOCKING.includes(status)) turnedBlocking.push({ name: t.name, language: t.language, status });
      }
      await m.query(
        `INSERT INTO whatsapp_templates (organization_id, channel_id, waba_id, external_id, name, language, category, status, parameter_format, components, placeholders, synced_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (channel_id, name, language) DO UPDATE SET waba_id = EXCLUDED.waba_id, external_id = EXCLUDED.external_id,
           category = EXCLUDED.category, status = EXCLUDED.status, parameter_format = EXCLUDED.parameter_format,
           components = EXCLUDED.components, placeholders = EXCLUDED.placeholders, synced_at = EXCLUDED.synced_at, updated_at = now()`,
        [
          channel.organizationId,
          channel.id,
          wabaId,
          t.id,
          t.name,
          t.language,
          t.category,
          status,
          t.parameter_format ?? 'POSITIONAL',
          JSON.stringify(t.components),
          JSON.stringify(placeholdersOf(t.components)),
          now,
        ],
      );
    }
    // A template Meta no longer lists was deleted there: kept (campaigns name it) but marked so.
    for (const [key, status] of before) {
      if (seen.has(key) || status === 'DELETED') continue;
      const [name, language] = key.split('\u0000');
      changed++;
      turnedBlocking.push({ name, language, status: 'DELETED' });
      await m.update(WhatsappTemplate, { channelId: channel.id, name, language }, { status: 'DELETED', syncedAt: now });
    }
    const suspendedCampaigns: string[] = [];
    for (const t of turnedBlocking) {
      for (const campaignId of await this.campaignsUsing(m, channel, t.name, t.language)) {
        const reason = `WhatsApp template ${t.name} (${t.language}) is ${t.status} at Meta; sends would be refused`;
        if (await suspendCampaign(m, campaignId, reason)) suspendedCampaigns.push(campaignId);
      }
    }
    return { channelId: channel.id, templates: seen.size, changed, suspendedCampaigns };
  }

  /**
   * Meta's `message_template_status_update` webhook: the new status of one template, at once rather than at
   * the next sync. A template the catalog does not have yet is left to the next sync (it brings the components).
   * Answers the campaigns suspended.
   */
  async applyStatusUpdate(channel: ChannelConnection, name: string, language: string, event: string): Promise<string[]> {
    const status = asStatus(event.toUpperCase());
    return this.dataSource.transaction(async (m) => {
      const updated = await m.update(
        WhatsappTemplate,
        { organizationId: channel.organizationId, channelId: channel.id, name, language },
        { status },
      );
      if (!updated.affected || !BLOCKING.includes(status)) return [];
      const suspended: string[] = [];
      for (const campaignId of await this.campaignsUsing(m, channel, name, language)) {
        const reason = `WhatsApp template ${name} (${language}) is ${status} at Meta; sends would be refused`;
        if (await suspendCampaign(m, campaignId, reason)) suspended.push(campaignId);
      }
      return suspended;
    });
  }

  /** Active campaigns with a WhatsApp step sending this template from this channel. */
  private async campaignsUsing(m: EntityManager, channel: ChannelConnection, name: string, language: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT DISTINCT c.id FROM campaigns c
         JOIN campaign_steps s ON s.campaign_id = c.id
         JOIN templates t ON t.id = s.template_id AND t.organization_id = c.organization_id
        WHERE c.organization_id = $1 AND c.status = 'active' AND t.channel = 'whatsapp'
          AND t.whatsapp ->> 'name' = $2 AND t.whatsapp ->> 'language' = $3
          AND COALESCE(s.sender_channel_id, c.sender_channel_id) = $4`,
      [channel.organizationId, name, language, channel.id],
    );
    return rows.map((r) => r.id);
  }
}
