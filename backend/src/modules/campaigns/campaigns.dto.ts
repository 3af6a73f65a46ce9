import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ExactlyOneOf, IsPlainObject } from '../../common/http/validators';
import { FrequencyCapDto, TriggerDto } from './trigger.dto';
import { SendWindowDto } from './send-window.dto';
import { AbTestDto, StepVariantDto } from './variants/variants.dto';
import { TEMPLATE_CHANNELS, TemplateChannel } from '../templates/template.entity';
import {
  CAMPAIGN_TYPES,
  CampaignType,
  ON_NO_ANSWER,
  ANSWERING_MACHINE,
  type AnsweringMachine,
  ON_REPLY,
  STOP_ON_REPLY,
  type OnNoAnswer,
  type OnReply,
  type StopOnReply,
} from './campaign.entity';

const SENDER_MESSAGE = '$property must be {"channelId": "<uuid>"} or {"emailAccountId": "<uuid>"}';
const AUDIENCE_MESSAGE = '$property must be {"all": true}, {"leadIds": [...]} or {"filter": {...}}';

/** Who sends: exactly one of a channel connection or a Gmail mailbox. */
export class SenderDto {
  /** A connected Mailgun domain, Twilio number or WhatsApp number (`/api/v1/channels`). */
  @IsOptional()
  @IsUUID()
  channelId?: string;

  /** A connected Gmail mailbox (`/api/v1/email-accounts`). */
  @IsOptional()
  @IsUUID()
  emailAccountId?: string;
}

export class StepConditionDto {
  /** Send this step only to leads who have not replied. */
  @Equals('no_reply', { message: 'only {"type": "no_reply"} is supported' })
  type: 'no_reply';
}

export class CampaignStepDto {
  /** Defaults to the template's channel; must match it. */
  @IsOptional()
  @IsIn(TEMPLATE_CHANNELS)
  channel?: TemplateChannel;

  /** A template of this organization. */
  @IsUUID()
  templateId: string;

  /**
   * Seconds after the previous step (step 0: after launch), at most a year.
   * @example 86400
   */
  @IsOptional()
  @IsInt()
  @ApiPropertyOptional({ type: 'integer' })
  @Min(0)
  @Max(31_536_000)
  delaySeconds?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => StepConditionDto)
  condition?: StepConditionDto;

  /** This step's own sender, when its channel differs from the campaign's sender. */
  @IsOptional()
  @ExactlyOneOf(['channelId', 'emailAccountId'], SENDER_MESSAGE)
  @ValidateNested()
  @Type(() => SenderDto)
  sender?: SenderDto;

  /**
   * A/B: 2 to 5 templates of the step's channel with their shares (summing to 100); the first is variant A
   * and must be the step's `templateId`. Each lead always gets the same variant.
   */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2, { message: 'variants must list 2 to 5 templates' })
  @ArrayMaxSize(5, { message: 'variants must list 2 to 5 templates' })
  @ValidateNested({ each: true })
  @Type(() => StepVariantDto)
  variants?: StepVariantDto[];

  /** Only with `variants`: test them on a sample first, then send the winner to the rest. */
  @IsOptional()
  @IsPlainObject({ message: 'abTest must be an object' })
  @ValidateNested()
  @Type(() => AbTestDto)
  abTest?: AbTestDto;
}

/** The same filter language as `GET /api/v1/leads`, given as an object. */
export class AudienceFilterDto {
  @IsOptional() @IsString() email?: string;
  @IsOptional() @IsString() phone?: string;
  /** Case-insensitive substring of email, first or last name. */
  @IsOptional() @IsString() search?: string;
  @IsOptional() @IsString() timezone?: string;
  @IsOptional() @IsBoolean() hasEmail?: boolean;
  @IsOptional() @IsBoolean() hasPhone?: boolean;
  /**
   * Attribute values to match exactly (compared as text).
   * @example {"plan": "pro"}
   */
  @IsOptional() @IsPlainObject() attributes?: Record<string, string | number | boolean>;
  /**
   * Consent per channel (email, sms, whatsapp, voice).
   * @example {"sms": true}
   */
  @IsOptional() @IsPlainObject() consent?: Record<string, boolean>;
  @IsOptional() @IsISO8601() createdAfter?: string;
  @IsOptional() @IsISO8601() createdBefore?: string;
}

/** Exactly one of: everyone, a list of leads, or a filter. */
export class AudienceDto {
  @IsOptional()
  @Equals(true)
  all?: boolean;

  /** 1 to 100,000 lead ids. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100_000)
  @IsUUID(undefined, { each: true })
  leadIds?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => AudienceFilterDto)
  filter?: AudienceFilterDto;
}

export class CampaignSettingsDto {
  /** Messages per second for this campaign (the sender's own rate still applies). */
  @IsOptional() @IsNumber() @Min(0.001) @Max(100_000) ratePerSecond?: number;
  /** Messages in flight at once. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(1) @Max(200) concurrency?: number;
  /** Messages per lease handed to n8n. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(1) @Max(1000) batchSize?: number;
  /** At most this many messages per rolling 24 hours. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(1) @Max(10_000_000) dailyCap?: number;
  /** Parallel n8n executions sending this campaign. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(1) @Max(16) shards?: number;
  /**
   * Launch now but send from this time (ISO 8601).
   * @example "2030-01-01T09:00:00Z"
   */
  @IsOptional() @IsISO8601() startAt?: string;
  /**
   * When a lead replies (a person, not an out-of-office): stop their remaining steps in every active
   * campaign of the organization (`all_campaigns`, the default) or in this campaign only.
   */
  @IsOptional() @IsIn(STOP_ON_REPLY) stopOnReply?: StopOnReply;
  /**
   * `callback`: a lead's reply that asks for a call ("call me") or says yes creates a callback request in
   * the queue (`/callbacks`); `nothing` (the default) leaves replies to the inbox.
   */
  @IsOptional() @IsIn(ON_REPLY) onReply?: OnReply;
  /** `callback`: a voice call of this campaign that ends no-answer or busy creates a callback request. */
  @IsOptional() @IsIn(ON_NO_ANSWER) onNoAnswer?: OnNoAnswer;
  /** Voice: live calls of this campaign at once, across every shard and worker. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(1) @Max(1000) maxConcurrentCalls?: number;
  /** Voice: seconds between two call starts on the number (overrides the channel's `callDelaySeconds`). */
  @IsOptional() @IsNumber() @Min(0) @Max(3600) callDelaySeconds?: number;
  /** Voice: how many more times a call that was busy, not answered or failed before connecting is placed again. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(0) @Max(10) retryCount?: number;
  /** Voice: seconds to wait before calling again. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(0) @Max(604_800) retryDelaySeconds?: number;
  /**
   * Voice: detect answering machines (Twilio AMD) and `hang_up`, leave the `voicemail` script after the
   * beep, or `treat_as_answered` (play the call's script; the call still counts as voicemail). Absent:
   * no detection, every answered call hears the script.
   */
  @IsOptional() @IsIn(ANSWERING_MACHINE) answeringMachine?: AnsweringMachine;
  /** Voice: what a voicemail says (Liquid, e.g. `Hi {{ lead.first_name }}, ...`); required with `answeringMachine: voicemail`. */
  @ValidateIf((s: CampaignSettingsDto) => s.answeringMachine === 'voicemail' || s.voicemailScript !== undefined)
  @IsString()
  @Matches(/\S/, { message: 'voicemailScript must not be blank' })
  @MaxLength(2000)
  voicemailScript?: string;
  /**
   * Skip a message of this campaign (`frequency_capped`) when the lead already got `limit` messages on
   * that channel, from any campaign of the organization, in the last `periodHours`.
   */
  @IsOptional() @IsPlainObject() @ValidateNested() @Type(() => FrequencyCapDto) frequencyCap?: FrequencyCapDto;
  /**
   * When leads may be reached, in their own time (their `timezone`, else their phone number's country, else
   * the window's `timezone`). Outside it messages wait and go when it opens. SMS and calls to US numbers
   * must stay within 08:00–21:00 local time (TCPA): the web app proposes that window for them.
   */
  @IsOptional() @IsPlainObject() @ValidateNested() @Type(() => SendWindowDto) sendWindow?: SendWindowDto;
}

export class CreateCampaignDto {
  /** @example "Spring launch" */
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name: string;

  /** A blast has exactly one step; a sequence up to 20; a triggered campaign runs its steps for each lead a matching event enrolls. */
  @IsIn(CAMPAIGN_TYPES)
  type: CampaignType;

  /** Required for (and only for) a `triggered` campaign. */
  @IsOptional()
  @IsPlainObject({ message: 'trigger must be an object' })
  @ValidateNested()
  @Type(() => TriggerDto)
  trigger?: TriggerDto;

  /** Sends every step whose channel it carries (Gmail / Mailgun: email; Twilio: sms, voice; WhatsApp: whatsapp). */
  @IsDefined({ message: SENDER_MESSAGE })
  @ExactlyOneOf(['channelId', 'emailAccountId'], SENDER_MESSAGE)
  @ValidateNested()
  @Type(() => SenderDto)
  sender: SenderDto;

  /**
   * Who receives the campaign: `{"all": true}`, `{"leadIds": [...]}` or `{"filter": {...}}`. For a
   * triggered campaign: who may be enrolled by an event.
   */
  @IsDefined({ message: AUDIENCE_MESSAGE })
  @ExactlyOneOf(['all', 'leadIds', 'filter'], AUDIENCE_MESSAGE)
  @ValidateNested()
  @Type(() => AudienceDto)
  audience: AudienceDto;

  /** In order; each waits `delaySeconds` after the previous one. */
  @IsArray()
  @ArrayMinSize(1, { message: 'steps must list at least one step' })
  @ArrayMaxSize(20, { message: 'at most 20 steps' })
  @ValidateNested({ each: true })
  @Type(() => CampaignStepDto)
  steps: CampaignStepDto[];

  @IsOptional()
  @IsPlainObject({ message: 'settings must be an object' })
  @ValidateNested()
  @Type(() => CampaignSettingsDto)
  settings?: CampaignSettingsDto;
}

/** Drafts only; what is given replaces the stored value (steps as a whole). */
export class UpdateCampaignDto extends PartialType(CreateCampaignDto) {}

/** A step as the review needs it: its channel, its delay and who sends it. */
export class ReviewStepDto {
  @IsIn(TEMPLATE_CHANNELS)
  channel: TemplateChannel;

  /** Seconds after the previous step (added to the duration estimate). */
  @IsOptional()
  @IsInt()
  @ApiPropertyOptional({ type: 'integer' })
  @Min(0)
  @Max(31_536_000)
  delaySeconds?: number;

  /** This step's own sender; else the campaign's. Its rate bounds the estimate. */
  @IsOptional()
  @ExactlyOneOf(['channelId', 'emailAccountId'], SENDER_MESSAGE)
  @ValidateNested()
  @Type(() => SenderDto)
  sender?: SenderDto;
}

/** What a campaign would reach, before it exists (or while its draft is edited): the audience, the steps, the senders and the pace. */
export class AudiencePreviewDto {
  /** Optional: without any sender the estimate uses the campaign's rate alone (or is null). */
  @IsOptional()
  @ExactlyOneOf(['channelId', 'emailAccountId'], SENDER_MESSAGE)
  @ValidateNested()
  @Type(() => SenderDto)
  sender?: SenderDto;

  @IsDefined({ message: AUDIENCE_MESSAGE })
  @ExactlyOneOf(['all', 'leadIds', 'filter'], AUDIENCE_MESSAGE)
  @ValidateNested()
  @Type(() => AudienceDto)
  audience: AudienceDto;

  @IsArray()
  @ArrayMinSize(1, { message: 'steps must list at least one step' })
  @ArrayMaxSize(20, { message: 'at most 20 steps' })
  @ValidateNested({ each: true })
  @Type(() => ReviewStepDto)
  steps: ReviewStepDto[];

  @IsOptional()
  @IsPlainObject({ message: 'settings must be an object' })
  @ValidateNested()
  @Type(() => CampaignSettingsDto)
  settings?: CampaignSettingsDto;
}

/** Which failures to retry; every retryable one when empty. */
export class RetryCampaignDto {
  /** Only failures with these error codes (those that are retryable). @example ["131056", "130429"] */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  errorCodes?: string[];
}
