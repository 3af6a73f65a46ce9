import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { CursorPage } from '../../common/http/page.responses';
import { MESSAGE_STATUSES, MessageStatus } from '../messages/message-status';
import { TEMPLATE_CHANNELS, TemplateChannel } from '../templates/template.entity';
import { CAMPAIGN_STATUSES, CAMPAIGN_TYPES, CampaignStatus, CampaignType } from './campaign.entity';
import { AudienceDto, CampaignSettingsDto } from './campaigns.dto';

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
