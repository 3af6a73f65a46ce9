import { ApiProperty, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { TEMPLATE_CHANNELS, TemplateChannel } from '../templates/template.entity';
import { CreateTemplateDto, VoiceTemplateSpecDto, WhatsappTemplateSpecDto } from '../templates/templates.dto';

export const DRAFT_ACTIONS = ['rewrite', 'shorten', 'variant'] as const;
export type DraftAction = (typeof DRAFT_ACTIONS)[number];

/** The organization's AI provider: an OpenAI-compatible chat completions API. */
export class PutAiSettingsDto {
  /**
   * The API's base URL; requests go to `{baseUrl}/chat/completions`. https; plain http and internal hosts only as
   * the server's URL policy allows (CUSTOM_PROVIDER_URLS, PROVIDER_URL_ALLOWLIST).
   * @example "https://api.openai.com/v1"
   */
  @IsString() @MaxLength(500) @Matches(/^https?:\/\//i, { message: 'baseUrl must be an http(s) URL' }) baseUrl: string;
  /** @example "gpt-4o-mini" */
  @IsString() @MaxLength(200) @Matches(/^\S+$/, { message: 'model must be one word' }) model: string;
  /** Write-only: sealed at rest, never answered. Leave it out to keep the stored key. */
  @IsOptional() @IsString() @MaxLength(1000) @Matches(/^\S+$/, { message: 'apiKey must not contain spaces' }) apiKey?: string;
}

/** An existing draft's channel fields (those of a template create, without name and library category). */
export class DraftSourceDto extends OmitType(CreateTemplateDto, ['name', 'libraryCategory'] as const) {}

/**
 * A new draft (`goal` and `channel`), or an action on an existing draft (`action` and `source`): rewrite it, shorten
 * it, or write a variant B for an A/B test. Nothing is saved.
 */
export class DraftTemplateDto {
  /** Leave out for a new draft. */
  @IsOptional() @IsIn(DRAFT_ACTIONS) action?: DraftAction;

  /**
   * What the message should achieve (required for a new draft; an extra instruction for an action).
   * @example "Invite trial users to book an onboarding call"
   */
  @ValidateIf((o: DraftTemplateDto) => o.action === undefined || o.goal !== undefined)
  @IsString()
  @Matches(/\S/, { message: 'goal must not be blank' })
  @MaxLength(2000)
  goal?: string;

  /** @example "Operations managers at small logistics firms" */
  @IsOptional() @IsString() @MaxLength(500) audience?: string;

  /** @example "friendly, concise" */
  @IsOptional() @IsString() @MaxLength(200) tone?: string;

  /** The draft's channel (required for a new draft; an action takes the source's). */
  @ValidateIf((o: DraftTemplateDto) => o.action === undefined || o.channel !== undefined)
  @IsIn(TEMPLATE_CHANNELS)
  channel?: TemplateChannel;

  /**
   * Lead fields the draft may use as `{{ lead.<field> }}`.
   * @example ["first_name", "company"]
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { each: true, message: 'each field must be a name like first_name' })
  fields?: string[];

  /** The draft to act on (required with `action`). */
  @ValidateIf((o: DraftTemplateDto) => o.action !== undefined || o.source !== undefined)
  @IsObject({ message: 'source (the draft to act on) is required with an action' })
  @ValidateNested()
  @Type(() => DraftSourceDto)
  source?: DraftSourceDto;
}

/** A template draft in the shape a template create takes (without its name); the fields its channel does not use are null. */
export class TemplateDraftResponse {
  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  channel: TemplateChannel;

  subject: string | null;

  html: string | null;

  text: string | null;

  body: string | null;

  @ApiProperty({ type: WhatsappTemplateSpecDto, nullable: true })
  whatsapp: WhatsappTemplateSpecDto | null;

  @ApiProperty({ type: VoiceTemplateSpecDto, nullable: true })
  voice: VoiceTemplateSpecDto | null;

  /** The model that wrote it. */
  model: string;
}

/** The AI provider settings; the key is never answered, only whether one is stored. */
export class AiSettingsResponse {
  configured: boolean;

  baseUrl: string | null;

  model: string | null;

  hasKey: boolean;

  updatedAt: Date | null;
}
