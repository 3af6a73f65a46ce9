import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { Page } from '../../common/pagination/cursor';
import { paginate } from '../../common/pagination/paginate';
import { ChannelConnection, ChannelType } from '../channels/channel-connection.entity';
import { EmailAccount } from '../email-accounts/email-account.entity';
import { leadFilterFromQuery } from '../leads/lead-filter';
import { Message } from '../messages/message.entity';
import { MESSAGE_STATUSES, skipQueuedOfCampaign } from '../messages/message-status';
import { CampaignAction, eventOrConflict, INITIAL_CAMPAIGN_STATUS, invalidTransition, moveCampaign } from './campaign-status';
import { Template, TemplateChannel } from '../templates/template.entity';
import { CampaignStep, StepCondition } from './campaign-step.entity';
import { Audience, Campaign, CAMPAIGN_TYPES, CampaignSettings, CampaignType } from './campaign.entity';

export interface SenderInput {
  channelId?: string;
  emailAccountId?: string;
}

export interface StepInput {
  channel?: unknown;
  templateId?: unknown;
  delaySeconds?: unknown;
  condition?: unknown;
  sender?: SenderInput;
}

export interface CampaignInput {
  name?: unknown;
  type?: unknown;
  sender?: SenderInput;
  audience?: unknown;
  steps?: StepInput[];
  settings?: unknown;
}

/** Which step channels each kind of sender can carry. */
const SENDER_CHANNELS: Record<ChannelType | 'gmail', TemplateChannel[]> = {
  gmail: ['email'],
  mailgun: ['email'],
  twilio: ['sms', 'voice'],
  whatsapp: ['whatsapp'],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SETTING_LIMITS: Record<keyof Omit<CampaignSettings, 'startAt'>, [number, number]> = {
  ratePerSecond: [0.001, 100_000],
  concurrency: [1, 200],
  batchSize: [1, 1000],
  dailyCap: [1, 10_000_000],
  shards: [1, 16],
};

function invalid(message: string, field?: string): AppError {
  return new AppError('validation_failed', message, field ? [{ field, message }] : undefined);
}

@Injectable()
export class CampaignsService {
  constructor(private readonly dataSource: DataSource) {}

  async create(organizationId: string, input: CampaignInput): Promise<Campaign> {
    return this.dataSource.transaction(async (m) => {
      const checked = await this.check(m, organizationId, input);
      const campaign = await m.save(m.create(Campaign, { organizationId, ...checked.campaign, status: INITIAL_CAMPAIGN_STATUS }));
      await m.save(checked.steps.map((s, position) => m.create(CampaignStep, { organizationId, campaignId: campaign.id, position, ...s })));
      return campaign;
    });
  }

  /** Drafts only: a launched campaign's definition is what its messages were made from. */
  async update(organizationId: string, id: string, input: CampaignInput): Promise<Campaign> {
    return this.dataSource.transaction(async (m) => {
      const current = await this.lock(m, organizationId, id);
      if (current.status !== 'draft') throw new AppError('campaign_not_editable', `A ${current.status} campaign cannot be edited; duplicate it instead`);
      const steps = await m.find(CampaignStep, { where: { campaignId: id }, order: { position: 'ASC' } });
      const merged: CampaignInput = {
        name: input.name ?? current.name,
        type: input.type ?? current.type,
        sender: input.sender ?? (current.senderChannelId ? { channelId: current.senderChannelId } : { emailAccountId: current.senderEmailAccountId! }),
        audience: input.audience ?? current.audience,
        settings: input.settings ?? current.settings,
        steps: input.steps ?? steps.map((s) => ({ channel: s.channel, templateId: s.templateId, delaySeconds: s.delaySeconds, condition: s.condition ?? undefined, ...((s.senderChannelId || s.senderEmailAccountId) && { sender: s.senderChannelId ? { channelId: s.senderChannelId } : { emailAccountId: s.senderEmailAccountId! } }) })),
      };
      const checked = await this.check(m, organizationId, merged);
      await m.update(Campaign, { id, organizationId }, checked.campaign as never);
      await m.delete(CampaignStep, { campaignId: id });
      await m.save(checked.steps.map((s, position) => m.create(CampaignStep, { organizationId, campaignId: id, position, ...s })));
      return this.get(organizationId, id, m);
    });
  }

  async get(organizationId: string, id: string, m: EntityManager = this.dataSource.manager): Promise<Campaign> {
    const campaign = await m.findOneBy(Campaign, { organizationId, id });
    if (!campaign) throw new AppError('campaign_not_found', `No campaign ${id}`);
    return campaign;
  }

  steps(organizationId: string, campaignId: string): Promise<CampaignStep[]> {
    return this.dataSource.getRepository(CampaignStep).find({ where: { organizationId, campaignId }, order: { position: 'ASC' } });
  }

  list(organizationId: string, status: string | undefined, cursor: string | undefined, limit: number): Promise<Page<Campaign>> {
    const qb = this.dataSource.getRepository(Campaign).createQueryBuilder('c').where('c.organization_id = :organizationId', { organizationId });
    if (status) qb.andWhere('c.status = :status', { status });
    return paginate(qb, 'c', cursor, limit);
  }

  async remove(organizationId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const campaign = await this.lock(m, organizationId, id);
      if (campaign.status !== 'draft') throw new AppError('campaign_not_editable', 'Only drafts can be deleted; cancel a launched campaign instead');
      await m.delete(Campaign, { id, organizationId });
    });
  }

  /**
   * pause / resume / cancel, as the campaign machine allows (anything else answers 409
   * campaign_invalid_transition). Resuming before the start time puts it back to scheduled.
   * Cancelling skips what is left (reason `cancelled`); messages in flight finish.
   */
  async transition(organizationId: string, id: string, action: Exclude<CampaignAction, 'launch'>): Promise<Campaign> {
    return this.dataSource.transaction(async (m) => {
      const campaign = await this.lock(m, organizationId, id);
      const event = eventOrConflict(campaign.status, action, campaign.settings.startAt);
      // The row is locked, so the move cannot be refused here; if it were, nothing changed.
      if (!(await moveCampaign(m, id, event)).moved) throw invalidTransition(campaign.status, action);
      if (event === 'cancel') await skipQueuedOfCampaign(m, id, 'cancelled');
      return this.get(organizationId, id, m);
    });
  }

  listMessages(organizationId: string, campaignId: string, status: string | undefined, cursor: string | undefined, limit: number): Promise<Page<Message>> {
    if (status && !(MESSAGE_STATUSES as readonly string[]).includes(status)) throw invalid(`status must be one of ${MESSAGE_STATUSES.join(', ')}`, 'status');
    const qb = this.dataSource.getRepository(Message).createQueryBuilder('m').where('m.organization_id = :organizationId AND m.campaign_id = :campaignId', { organizationId, campaignId });
    if (status) qb.andWhere('m.status = :status', { status });
    return paginate(qb, 'm', cursor, limit);
  }

  private async lock(m: EntityManager, organizationId: string, id: string): Promise<Campaign> {
    const campaign = await m.findOne(Campaign, { where: { organizationId, id }, lock: { mode: 'pessimistic_write' } });
    if (!campaign) throw new AppError('campaign_not_found', `No campaign ${id}`);
    return campaign;
  }

  private async check(m: EntityManager, organizationId: string, input: CampaignInput) {
    if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 200) throw invalid('name must be a non-empty string of at most 200 characters', 'name');
    if (!(CAMPAIGN_TYPES as readonly unknown[]).includes(input.type)) throw invalid(`type must be one of ${CAMPAIGN_TYPES.join(', ')}`, 'type');
    const sender = await this.checkSender(m, organizationId, input.sender, 'sender');
    if (!Array.isArray(input.steps) || input.steps.length === 0) throw invalid('steps must list at least one step', 'steps');
    if (input.type === 'blast' && input.steps.length !== 1) throw invalid('a blast has exactly one step; use a sequence for several', 'steps');
    if (input.steps.length > 20) throw invalid('at most 20 steps', 'steps');
    const steps = [];
    for (const [i, step] of input.steps.entries()) {
      const field = `steps[${i}]`;
      if (typeof step !== 'object' || step === null) throw invalid(`${field} must be an object`, field);
      if (typeof step.templateId !== 'string' || !UUID.test(step.templateId)) throw invalid(`${field}.templateId must be a template id`, `${field}.templateId`);
      const template = await m.findOneBy(Template, { id: step.templateId, organizationId });
      if (!template) throw invalid(`${field}.templateId: no such template`, `${field}.templateId`);
      const channel = (step.channel ?? template.channel) as TemplateChannel;
      if (channel !== template.channel) throw invalid(`${field}: the template is for ${template.channel}, not ${String(step.channel)}`, `${field}.channel`);
      const delay = step.delaySeconds ?? 0;
      if (!Number.isInteger(delay) || (delay as number) < 0 || (delay as number) > 365 * 86400) throw invalid(`${field}.delaySeconds must be a whole number of seconds, at most a year`, `${field}.delaySeconds`);
      let condition: StepCondition | null = null;
      if (step.condition !== undefined && step.condition !== null) {
        if ((step.condition as { type?: unknown }).type !== 'no_reply') throw invalid(`${field}.condition: only {"type": "no_reply"} is supported`, `${field}.condition`);
        condition = { type: 'no_reply' };
      }
      const own = step.sender ? await this.checkSender(m, organizationId, step.sender, `${field}.sender`) : undefined;
      const effective = own ?? sender;
      if (!SENDER_CHANNELS[effective.kind].includes(channel)) {
        throw invalid(`${field}: a ${effective.kind} sender cannot send ${channel}; give this step its own sender`, `${field}.sender`);
      }
      steps.push({ channel, templateId: template.id, delaySeconds: delay as number, condition, senderChannelId: own?.channelId ?? null, senderEmailAccountId: own?.emailAccountId ?? null });
    }
    return {
      campaign: {
        name: input.name.trim(),
        type: input.type as CampaignType,
        senderChannelId: sender.channelId,
        senderEmailAccountId: sender.emailAccountId,
        audience: this.checkAudience(input.audience),
        settings: this.checkSettings(input.settings),
      },
      steps,
    };
  }

  private async checkSender(m: EntityManager, organizationId: string, sender: SenderInput | undefined, field: string) {
    if (!sender || typeof sender !== 'object') throw invalid(`${field} must be {"channelId"} or {"emailAccountId"}`, field);
    if (sender.channelId !== undefined && sender.emailAccountId !== undefined) throw invalid(`${field}: give channelId or emailAccountId, not both`, field);
    if (typeof sender.channelId === 'string' && UUID.test(sender.channelId)) {
      const channel = await m.findOneBy(ChannelConnection, { id: sender.channelId, organizationId });
      if (!channel) throw invalid(`${field}.channelId: no such channel`, `${field}.channelId`);
      return { kind: channel.type as ChannelType | 'gmail', channelId: channel.id, emailAccountId: null };
    }
    if (typeof sender.emailAccountId === 'string' && UUID.test(sender.emailAccountId)) {
      const account = await m.findOneBy(EmailAccount, { id: sender.emailAccountId, organizationId });
      if (!account) throw invalid(`${field}.emailAccountId: no such email account`, `${field}.emailAccountId`);
      return { kind: 'gmail' as const, channelId: null, emailAccountId: account.id };
    }
    throw invalid(`${field} must be {"channelId": "<uuid>"} or {"emailAccountId": "<uuid>"}`, field);
  }

  private checkAudience(audience: unknown): Audience {
    if (typeof audience !== 'object' || audience === null) throw invalid('audience must be {"all": true}, {"leadIds": [...]} or {"filter": {...}}', 'audience');
    const a = audience as Record<string, unknown>;
    if (a.all === true && Object.keys(a).length === 1) return { all: true };
    if (Array.isArray(a.leadIds) && Object.keys(a).length === 1) {
      if (a.leadIds.length === 0 || a.leadIds.length > 100_000 || !a.leadIds.every((id) => typeof id === 'string' && UUID.test(id))) {
        throw invalid('audience.leadIds must list 1 to 100,000 lead ids', 'audience.leadIds');
      }
      return { leadIds: [...new Set(a.leadIds as string[])] };
    }
    if (typeof a.filter === 'object' && a.filter !== null && Object.keys(a).length === 1) {
      // The same filter language as GET /leads, given as an object: {"attributes": {"plan": "pro"}, "consent": {"sms": true}}.
      const f = a.filter as Record<string, unknown>;
      const flat: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(f)) {
        if ((k === 'attributes' || k === 'consent') && typeof v === 'object' && v !== null) for (const [kk, vv] of Object.entries(v)) flat[`${k}.${kk}`] = String(vv);
        else flat[k] = typeof v === 'boolean' || typeof v === 'number' ? String(v) : v;
      }
      return { filter: leadFilterFromQuery(flat) };
    }
    throw invalid('audience must be {"all": true}, {"leadIds": [...]} or {"filter": {...}}', 'audience');
  }

  private checkSettings(settings: unknown): CampaignSettings {
    if (settings === undefined || settings === null) return {};
    if (typeof settings !== 'object' || Array.isArray(settings)) throw invalid('settings must be an object', 'settings');
    const out: CampaignSettings = {};
    for (const [key, value] of Object.entries(settings)) {
      if (key === 'startAt') {
        if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalid('settings.startAt must be an ISO 8601 time', 'settings.startAt');
        out.startAt = new Date(value).toISOString();
        continue;
      }
      const limits = SETTING_LIMITS[key as keyof typeof SETTING_LIMITS];
      if (!limits) throw invalid(`settings.${key} is not a setting (${[...Object.keys(SETTING_LIMITS), 'startAt'].join(', ')})`, `settings.${key}`);
      const integer = key !== 'ratePerSecond';
      if (typeof value !== 'number' || (integer && !Number.isInteger(value)) || value < limits[0] || value > limits[1]) {
        throw invalid(`settings.${key} must be a ${integer ? 'whole ' : ''}number from ${limits[0]} to ${limits[1]}`, `settings.${key}`);
      }
      (out as Record<string, number>)[key] = value;
    }
    return out;
  }
}
