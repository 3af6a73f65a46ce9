import { Injectable } from '@nestjs/common';
import { validateTemplate } from '@cadence/render';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { Page } from '../../common/pagination/cursor';
import { paginate } from '../../common/pagination/paginate';
import { ChannelConnection, ChannelType } from '../channels/channel-connection.entity';
import { EmailAccount } from '../email-accounts/email-account.entity';
import { Message } from '../messages/message.entity';
import { indexedStatusOf, MESSAGE_STATUSES, skipQueuedOfCampaign, type MessageStatus } from '../messages/message-status';
import { CampaignAction, eventOrConflict, INITIAL_CAMPAIGN_STATUS, invalidTransition, moveCampaign } from './campaign-status';
import { Template, TemplateChannel } from '../templates/template.entity';
import { CampaignStep, StepCondition } from './campaign-step.entity';
import { Campaign, CampaignSettings, CampaignType } from './campaign.entity';
import { normalizeAudience } from './campaign-audience';
import { normalizeTrigger } from './campaign-trigger';
import { sendWindowProblem } from './send-window';
import { CampaignSettingsDto, CampaignStepDto, SenderDto, UpdateCampaignDto } from './campaigns.dto';
import { CampaignStepVariant } from './variants/campaign-step-variant.entity';
import type { AbTest } from './variants/ab-test';
import { checkStepVariants, saveStepVariants, variantsOfSteps } from './variants/step-variants';

/** Bodies arrive shaped by `CreateCampaignDto` / `UpdateCampaignDto` (campaigns.dto.ts); here only the rules that need the database. */
export type SenderInput = SenderDto;
/** `variantSeed`: never from a request (the DTO refuses it); a duplicate keeps its source's, so a relaunch splits leads alike. */
export type StepInput = CampaignStepDto & { variantSeed?: string };
export type CampaignInput = Omit<UpdateCampaignDto, 'steps'> & { steps?: StepInput[] };

/** Which step channels each kind of sender can carry. */
const SENDER_CHANNELS: Record<ChannelType | 'gmail', TemplateChannel[]> = {
  gmail: ['email'],
  mailgun: ['email'],
  twilio: ['sms', 'voice'],
  whatsapp: ['whatsapp'],
};

function invalid(message: string, field?: string): AppError {
  return new AppError('validation_failed', message, field ? [{ field, message }] : undefined);
}

function senderOf(c: { senderChannelId: string | null; senderEmailAccountId: string | null }): SenderInput {
  return c.senderChannelId ? { channelId: c.senderChannelId } : { emailAccountId: c.senderEmailAccountId! };
}

/** A stored step (and its variants) as the input that would create it again. */
function stepInput(s: CampaignStep, variants: CampaignStepVariant[] = []): StepInput {
  return {
    channel: s.channel,
    templateId: s.templateId,
    delaySeconds: s.delaySeconds,
    condition: s.condition ?? undefined,
    ...((s.senderChannelId || s.senderEmailAccountId) && { sender: senderOf(s) }),
    ...(variants.length > 0 && { variants: variants.map((v) => ({ templateId: v.templateId, percent: v.percent })) }),
    ...(s.abTest && { abTest: s.abTest }),
    variantSeed: s.variantSeed ?? s.id,
  };
}

interface CheckedStep {
  channel: TemplateChannel;
  templateId: string;
  delaySeconds: number;
  condition: StepCondition | null;
  senderChannelId: string | null;
  senderEmailAccountId: string | null;
  variants: Array<{ templateId: string; percent: number }>;
  abTest: AbTest | null;
  variantSeed: string | null;
}

@Injectable()
export class CampaignsService {
  constructor(private readonly dataSource: DataSource) {}

  async create(organizationId: string, input: CampaignInput): Promise<Campaign> {
    return this.dataSource.transaction(async (m) => {
      const checked = await this.check(m, organizationId, input);
      const campaign = await m.save(m.create(Campaign, { organizationId, ...checked.campaign, status: INITIAL_CAMPAIGN_STATUS }));
      await this.saveSteps(m, organizationId, campaign.id, checked.steps);
      return campaign;
    });
  }

  /** What `create` would refuse (sender, templates, steps), checked without writing anything. */
  async assertCreatable(organizationId: string, input: CampaignInput): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.check(m, organizationId, input);
    });
  }

  /** Drafts only: a launched campaign's definition is what its messages were made from. */
  async update(organizationId: string, id: string, input: CampaignInput): Promise<Campaign> {
    return this.dataSource.transaction(async (m) => {
      const current = await this.lock(m, organizationId, id);
      if (current.status !== 'draft')
        throw new AppError('campaign_not_editable', `A ${current.status} campaign cannot be edited; duplicate it instead`);
      const steps = await m.find(CampaignStep, { where: { campaignId: id }, order: { position: 'ASC' } });
      const variants = await variantsOfSteps(
        m,
        organizationId,
        steps.map((s) => s.id),
      );
      const merged: CampaignInput = {
        name: input.name ?? current.name,
        type: input.type ?? current.type,
        sender: input.sender ?? senderOf(current),
        audience: input.audience ?? current.audience,
        // Changing the type away from triggered drops the trigger; to triggered needs one.
        trigger: input.trigger ?? ((input.type ?? current.type) === 'triggered' ? (current.trigger ?? undefined) : undefined),
        settings: input.settings ?? current.settings,
        steps: input.steps ?? steps.map((s) => stepInput(s, variants.get(s.id))),
      };
      const checked = await this.check(m, organizationId, merged);
      await m.update(Campaign, { id, organizationId }, checked.campaign);
      await m.delete(CampaignStep, { campaignId: id });
      await this.saveSteps(m, organizationId, id, checked.steps);
      return this.get(organizationId, id, m);
    });
  }

  /**
   * A new draft with the same definition (any status: a finished campaign is the usual source), named
   * "Copy of …". A start time already past is dropped: it described the original's launch.
   */
  async duplicate(organizationId: string, id: string): Promise<Campaign> {
    const source = await this.get(organizationId, id);
    const steps = await this.steps(organizationId, id);
    const variants = await variantsOfSteps(
      this.dataSource.manager,
      organizationId,
      steps.map((s) => s.id),
    );
    const { startAt, ...settings } = source.settings;
    const keepStart = startAt !== undefined && Date.parse(startAt) > Date.now();
    return this.create(organizationId, {
      name: `Copy of ${source.name}`.slice(0, 200),
      type: source.type,
      ...(source.trigger && { trigger: source.trigger }),
      sender: senderOf(source),
      audience: source.audience,
      settings: keepStart ? { ...settings, startAt } : settings,
      steps: steps.map((s) => stepInput(s, variants.get(s.id))),
    });
  }

  async get(organizationId: string, id: string, m: EntityManager = this.dataSource.manager): Promise<Campaign> {
    const campaign = await m.findOneBy(Campaign, { organizationId, id });
    // An inbox reply's campaign is the engine's vehicle, not the organization's campaign: its thread shows it.
    if (!campaign || campaign.type === 'reply') throw new AppError('campaign_not_found', `No campaign ${id}`);
    return campaign;
  }

  steps(organizationId: string, campaignId: string): Promise<CampaignStep[]> {
    return this.dataSource.getRepository(CampaignStep).find({ where: { organizationId, campaignId }, order: { position: 'ASC' } });
  }

  variants(organizationId: string, steps: CampaignStep[]): Promise<Map<string, CampaignStepVariant[]>> {
    return variantsOfSteps(
      this.dataSource.manager,
      organizationId,
      steps.map((s) => s.id),
    );
  }

  list(organizationId: string, status: string | undefined, cursor: string | undefined, limit: number): Promise<Page<Campaign>> {
    const qb = this.dataSource
      .getRepository(Campaign)
      .createQueryBuilder('c')
      // Inbox replies travel as one-message campaigns of type `reply`: they are not the organization's campaigns.
      .where("c.organization_id = :organizationId AND c.type <> 'reply'", { organizationId });
    if (status) qb.andWhere('c.status = :status', { status });
    return paginate(qb, 'c', cursor, limit);
  }

  async remove(organizationId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const campaign = await this.lock(m, organizationId, id);
      if (campaign.status !== 'draft')
        throw new AppError('campaign_not_editable', 'Only drafts can be deleted; cancel a launched campaign instead');
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

  listMessages(
    organizationId: string,
    campaignId: string,
    status: string | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<Message>> {
    if (status && !(MESSAGE_STATUSES as readonly string[]).includes(status))
      throw invalid(`status must be one of ${MESSAGE_STATUSES.join(', ')}`, 'status');
    const qb = this.dataSource
      .getRepository(Message)
      .createQueryBuilder('m')
      .where('m.organization_id = :organizationId AND m.campaign_id = :campaignId', { organizationId, campaignId });
    // indexed_status: the campaign/status index (`sending` is `leased` there); status: the exact one.
    if (status)
      qb.andWhere('m.indexed_status = :indexed AND m.status = :status', { indexed: indexedStatusOf(status as MessageStatus), status });
    return paginate(qb, 'm', cursor, limit);
  }

  /** The checked steps, then their variants (which point at the saved steps). */
  private async saveSteps(m: EntityManager, organizationId: string, campaignId: string, steps: CheckedStep[]): Promise<void> {
    const saved = await m.save(
      steps.map(({ variants: _variants, ...s }, position) => m.create(CampaignStep, { organizationId, campaignId, position, ...s })),
    );
    await saveStepVariants(
      m,
      saved.map((step, i) => ({ step, variants: steps[i].variants })),
    );
  }

  private async lock(m: EntityManager, organizationId: string, id: string): Promise<Campaign> {
    const campaign = await m.findOne(Campaign, { where: { organizationId, id }, lock: { mode: 'pessimistic_write' } });
    if (!campaign || campaign.type === 'reply') throw new AppError('campaign_not_found', `No campaign ${id}`);
    return campaign;
  }

  /** What the DTOs cannot know: the templates, channels and mailboxes exist in this organization and fit together. */
  private async check(m: EntityManager, organizationId: string, input: CampaignInput) {
    const steps = input.steps!;
    if (input.type === 'blast' && steps.length !== 1) throw invalid('a blast has exactly one step; use a sequence for several', 'steps');
    if (input.type === 'triggered' && !input.trigger) throw invalid('a triggered campaign needs a trigger: {"event": "..."}', 'trigger');
    if (input.type !== 'triggered' && input.trigger) throw invalid('only a triggered campaign has a trigger', 'trigger');
    const sender = await this.checkSender(m, organizationId, input.sender!, 'sender');
    const checked: CheckedStep[] = [];
    for (const [i, step] of steps.entries()) {
      const field = `steps[${i}]`;
      const template = await m.findOneBy(Template, { id: step.templateId, organizationId });
      if (!template) throw invalid(`${field}.templateId: no such template`, `${field}.templateId`);
      const channel = step.channel ?? template.channel;
      if (channel !== template.channel)
        throw invalid(`${field}: the template is for ${template.channel}, not ${String(step.channel)}`, `${field}.channel`);
      const condition: StepCondition | null = step.condition ? { type: 'no_reply' } : null;
      const own = step.sender ? await this.checkSender(m, organizationId, step.sender, `${field}.sender`) : undefined;
      const effective = own ?? sender;
      if (!SENDER_CHANNELS[effective.kind].includes(channel)) {
        throw invalid(`${field}: a ${effective.kind} sender cannot send ${channel}; give this step its own sender`, `${field}.sender`);
      }
      const { variants, abTest } = await checkStepVariants(m, organizationId, step, channel, field);
      checked.push({
        channel,
        templateId: template.id,
        delaySeconds: step.delaySeconds ?? 0,
        condition,
        senderChannelId: own?.channelId ?? null,
        senderEmailAccountId: own?.emailAccountId ?? null,
        variants,
        abTest,
        variantSeed: step.variantSeed ?? null,
      });
    }
    return {
      campaign: {
        name: input.name!.trim(),
        type: input.type as CampaignType,
        senderChannelId: sender.channelId,
        senderEmailAccountId: sender.emailAccountId,
        audience: normalizeAudience(input.audience!),
        trigger: input.trigger ? normalizeTrigger(input.trigger) : null,
        settings: this.checkSettings(input.settings),
      },
      steps: checked,
    };
  }

  private async checkSender(m: EntityManager, organizationId: string, sender: SenderInput, field: string) {
    if (sender.channelId) {
      const channel = await m.findOneBy(ChannelConnection, { id: sender.channelId, organizationId });
      if (!channel) throw invalid(`${field}.channelId: no such channel`, `${field}.channelId`);
      return { kind: channel.type as ChannelType | 'gmail', channelId: channel.id, emailAccountId: null };
    }
    const account = await m.findOneBy(EmailAccount, { id: sender.emailAccountId!, organizationId });
    if (!account) throw invalid(`${field}.emailAccountId: no such email account`, `${field}.emailAccountId`);
    return { kind: 'gmail' as const, channelId: null, emailAccountId: account.id };
  }

  private checkSettings(settings: CampaignSettingsDto | CampaignSettings | null | undefined): CampaignSettings {
    if (!settings) return {};
    const out: CampaignSettings = {};
    for (const [key, value] of Object.entries(settings)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
    if (out.startAt !== undefined) out.startAt = new Date(out.startAt).toISOString();
    if (out.voicemailScript !== undefined) checkVoicemailScript(out.voicemailScript);
    const windowProblem = out.sendWindow && sendWindowProblem(out.sendWindow);
    if (windowProblem) throw invalid(windowProblem, 'settings.sendWindow.end');
    return out;
  }
}

/** The voicemail script is Liquid rendered per lead at the beep: a syntax error or unknown variable is refused now, not per call. */
function checkVoicemailScript(script: string): void {
  const result = validateTemplate({ channel: 'voice', voice: { script } });
  if (result.ok) return;
  const first = result.errors[0];
  throw new AppError(
    'template_invalid',
    `settings.voicemailScript line ${first.line}, column ${first.column}: ${first.message}`,
    result.errors.map((e) => ({ ...e, field: 'settings.voicemailScript' })),
  );
}
