import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { CursorPage } from '../../common/http/page.responses';
import { LeadImportResponse } from '../leads/leads.responses';
import { MESSAGE_STATUSES, MessageStatus } from '../messages/message-status';
import { TEMPLATE_CHANNELS, TemplateChannel } from '../templates/template.entity';
import {
  CAMPAIGN_STATUSES,
  CAMPAIGN_TYPES,
  CampaignStatus,
  CampaignType,
  CONDITION_OPERATORS,
  type ConditionOperator,
  REENTRY_POLICIES,
  type ReentryPolicy,
} from './campaign.entity';
import { AudienceDto, CampaignSettingsDto } from './campaigns.dto';
import { AbTestResponse, StepVariantResponse } from './variants/variants.responses';

export class ChannelSenderResponse {
  @ApiProperty({ format: 'uuid', description: 'A channel connection (`/api/v1/channels`)' })
  channelId: string;
}

export class MailboxSenderResponse {
  @ApiProperty({ format: 'uuid', description: 'A Gmail mailbox (`/api/v1/email-accounts`)' })
  emailAccountId: string;
}

const SENDER = { oneOf: [{ $ref: getSchemaPath(ChannelSenderResponse) }, { $ref: getSchemaPath(MailboxSenderResponse) }] };

/** Message counts per status, and their total. */
export class StatusCountsResponse implements Record<MessageStatus, number> {
  @ApiProperty({ type: 'integer', minimum: 0 }) queued: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) leased: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) sending: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) sent: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) delivered: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) failed: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) unknown: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) skipped: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) total: number;
}

export class StepConditionResponse {
  @ApiProperty({ enum: ['no_reply'] })
  type: 'no_reply';
}

@ApiExtraModels(ChannelSenderResponse, MailboxSenderResponse)
export class CampaignStepResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** 0 for the first step. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  position: number;

  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  channel: TemplateChannel;

  @ApiProperty({ format: 'uuid' })
  templateId: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Seconds after the previous step (step 0: after launch)' })
  delaySeconds: number;

  @ApiProperty({ type: StepConditionResponse, nullable: true })
  condition: StepConditionResponse | null;

  @ApiPropertyOptional({ ...SENDER, description: "The step's own sender, when it has one" })
  sender?: ChannelSenderResponse | MailboxSenderResponse;

  /** A/B variants in order (A first: the step's `templateId`); empty without any. */
  variants: StepVariantResponse[];

  @ApiProperty({ type: AbTestResponse, nullable: true })
  abTest: AbTestResponse | null;

  /** The variant the A/B test chose, once decided. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  winnerVariantId: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  decidedAt: string | null;
}

export class PropertyConditionResponse {
  property: string;

  @ApiProperty({ enum: CONDITION_OPERATORS })
  operator: ConditionOperator;

  /** Absent for `exists` / `not_exists`. */
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] })
  value?: string | number | boolean;
}

export class ExitConditionResponse {
  event: string;

  conditions: PropertyConditionResponse[];
}

export class TriggerResponse {
  event: string;

  conditions: PropertyConditionResponse[];

  @ApiProperty({ enum: REENTRY_POLICIES })
  reentry: ReentryPolicy;

  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  reentryAfterSeconds?: number;

  exitOn: ExitConditionResponse[];
}

/** A campaign with its steps and live counters. */
@ApiExtraModels(ChannelSenderResponse, MailboxSenderResponse)
export class CampaignResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  name: string;

  @ApiProperty({ enum: CAMPAIGN_TYPES })
  type: CampaignType;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status: CampaignStatus;

  /** Why the campaign is in its status, when the system moved it (e.g. a sender lost its credentials). */
  statusReason: string | null;

  @ApiProperty(SENDER)
  sender: ChannelSenderResponse | MailboxSenderResponse;

  /** As sent: `{"all": true}`, `{"leadIds": [...]}` or `{"filter": {...}}`. */
  audience: AudienceDto;

  /** A triggered campaign's trigger (defaults filled in); null for the other types. */
  @ApiProperty({ type: () => TriggerResponse, nullable: true })
  trigger: TriggerResponse | null;

  settings: CampaignSettingsDto;

  steps: CampaignStepResponse[];

  /** Messages enrolled so far (the audience as materialized). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  audienceSize: number;

  /** True once every lead of the audience has its messages. */
  materialized: boolean;

  counts: StatusCountsResponse;

  launchedAt: Date | null;

  completedAt: Date | null;

  createdAt: Date;

  updatedAt: Date;
}

export class CampaignPageResponse extends CursorPage {
  items: CampaignResponse[];
}

/** Only the status and counters: cheap to poll. */
export class CampaignProgressResponse {
  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status: CampaignStatus;

  statusReason: string | null;

  @ApiProperty({ type: 'integer', minimum: 0 })
  audienceSize: number;

  materialized: boolean;

  counts: StatusCountsResponse;
}

/** The launch was accepted: enrollment and sending follow. */
export class CampaignLaunchResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** `active`, or `scheduled` when `settings.startAt` is still to come. */
  @ApiProperty({ enum: ['active', 'scheduled'] })
  status: CampaignStatus;

  @ApiProperty({ format: 'date-time' })
  launchedAt: string;
}

export class RetryNotRetriedResponse {
  /** @example "whatsapp" */
  channel: string;

  @ApiProperty({ type: 'string', nullable: true })
  errorCode: string | null;

  /** What the code means, when it is a known provider code. */
  @ApiProperty({ type: 'string', nullable: true })
  errorTitle: string | null;

  @ApiProperty({ type: 'integer', minimum: 1 })
  count: number;
}

/** What a retry did. */
export class CampaignRetryResponse {
  /** Failed messages queued again (each once: its next attempt). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  retried: number;

  /** The failures left as they were, by error: their error does not prove nothing reached the recipient (or was filtered out). */
  notRetried: RetryNotRetriedResponse[];

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status: CampaignStatus;
}

/** One recipient of one step: its status and what the provider said. */
export class MessageResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Null once the lead is deleted' })
  leadId: string | null;

  @ApiProperty({ format: 'uuid' })
  stepId: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  position: number;

  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  channel: string;

  /** The address used (email or E.164 phone); null when the lead had none for the channel. */
  to: string | null;

  @ApiProperty({ enum: MESSAGE_STATUSES })
  status: MessageStatus;

  /** Why a `skipped` message was not sent (e.g. `suppressed`, `missing_address`, `no_consent`). */
  skipReason: string | null;

  providerMessageId: string | null;

  errorCode: string | null;

  errorMessage: string | null;

  @ApiProperty({ type: 'integer', minimum: 0 })
  attempts: number;

  dueAt: Date | null;

  sentAt: Date | null;

  deliveredAt: Date | null;

  createdAt: Date;

  updatedAt: Date;
}

export class MessagePageResponse extends CursorPage {
  items: MessageResponse[];
}

/** Messages compliance will skip, per reason (compliance.sql.ts); a reason with none is left out. */
export class SkipCountsResponse {
  /** The lead has no address for the channel (no email for email, no phone otherwise). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  missing_address?: number;

  /** The address is on the suppression list for the channel. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  suppressed?: number;

  /** The lead opted out of email, or has not opted in to SMS, WhatsApp or voice. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  no_consent?: number;
}

/** What one step would send. */
export class StepReviewResponse {
  /** 0 for the first step. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  position: number;

  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  channel: TemplateChannel;

  /** Messages of this step that pass compliance today (a `no_reply` condition may still stop some). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  eligible: number;

  skipped: SkipCountsResponse;

  /** The rate of the step's sender (its own, else the campaign's), or null when it has none yet. */
  @ApiProperty({ type: 'number', nullable: true, minimum: 0.001 })
  senderRatePerSecond: number | null;
}

/** The review of a campaign before it is saved or launched (campaign-review.service.ts). */
export class AudienceReviewResponse {
  /** Leads in the audience. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  total: number;

  /** One per lead and step. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  messages: number;

  /** Messages that pass compliance (address, suppression, consent). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  eligible: number;

  /** Messages that will be skipped, per reason, over all steps. */
  skipped: SkipCountsResponse;

  perStep: StepReviewResponse[];

  /** The rate the slowest limit allows (the campaign's and its senders'), or null without any. */
  @ApiProperty({ type: 'number', nullable: true, minimum: 0.001 })
  ratePerSecond: number | null;

  /** From the start (`settings.startAt`, else launch) to the last message: delays plus sending at that rate, daily caps included; null without any rate. */
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0 })
  estimatedSeconds: number | null;
}

/** `POST /campaigns/from-csv`: the draft campaign and the import's report (created, updated, refused rows). */
export class CampaignFromCsvResponse {
  campaign: CampaignResponse;
  @ApiProperty({ type: LeadImportResponse })
  import: LeadImportResponse;
}
