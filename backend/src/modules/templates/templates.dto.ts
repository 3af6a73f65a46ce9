import { LIBRARY_CATEGORIES, VOICE_MODES, type LibraryCategory, type VoiceTemplateSpec } from '@cadence/contracts';
import { IntersectionType, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsPlainObject } from '../../common/http/validators';
import { TEMPLATE_CHANNELS, TemplateChannel } from './template.entity';

// Which fields a channel needs (email: subject + html or text; sms: body; ...) and the Liquid syntax are checked
// by @cadence/render's validateTemplate: those answer 422 template_invalid naming field, line and column.

/** The media of an IMAGE, VIDEO or DOCUMENT header: Liquid rendering to a public https URL Meta fetches. */
export class WhatsappHeaderMediaDto {
  @IsIn(['image', 'video', 'document']) format: 'image' | 'video' | 'document';
  /** @example "{{ lead.header_image_url }}" */
  @IsString() @MaxLength(2048) link: string;
  /** A document's file name as the recipient sees it (Liquid). */
  @IsOptional() @IsString() @MaxLength(240) filename?: string;
}

/** An approved WhatsApp template (Meta): its name, language and Liquid parameters. */
export class WhatsappTemplateSpecDto {
  /** @example "spring_promo" */
  @IsOptional() @IsString() name?: string;
  /** @example "en_US" */
  @IsOptional() @IsString() language?: string;
  /** Body parameters {{1}}, {{2}}, ... each a Liquid string. */
  @IsOptional() @IsArray() @IsString({ each: true }) parameters?: string[];
  /** Named templates (`{{first_name}}`): entry i names the body placeholder that parameters[i] fills. */
  @IsOptional() @IsArray() @IsString({ each: true }) parameterNames?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) headerParameters?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) buttonParameters?: string[];
  /** A media header (the template's header is IMAGE, VIDEO or DOCUMENT). */
  @IsOptional() @ValidateNested() @Type(() => WhatsappHeaderMediaDto) headerMedia?: WhatsappHeaderMediaDto;
}

/** A call: a script read by text-to-speech (`say`), or a live agent over a media stream (`agent`). */
export class VoiceTemplateSpecDto implements VoiceTemplateSpec {
  @IsOptional() @IsIn(VOICE_MODES) mode?: VoiceTemplateSpec['mode'];
  /** Liquid text spoken in `say` mode. */
  @IsOptional() @IsString() script?: string;
  /** Liquid, must render to a wss:// URL in `agent` mode. */
  @IsOptional() @IsString() streamUrl?: string;
  /** Liquid: the agent's instructions for this lead (`agent` mode), sent as the stream parameter `prompt`. */
  @IsOptional() @IsString() @MaxLength(20_000) prompt?: string;
  /** Liquid: what the agent says first (`agent` mode), sent as the stream parameter `firstMessage`. */
  @IsOptional() @IsString() @MaxLength(2_000) firstMessage?: string;
  @IsOptional() @IsString() voice?: string;
  @IsOptional() @IsString() language?: string;
}

export class CreateTemplateDto {
  /** @example "Welcome" */
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name: string;

  @IsIn(TEMPLATE_CHANNELS)
  channel: TemplateChannel;

  /**
   * Email subject (Liquid).
   * @example "Hi {{ lead.first_name | default: \"there\" }}"
   */
  @IsOptional() @IsString() subject?: string | null;
  /** Email HTML body (Liquid). */
  @IsOptional() @IsString() html?: string | null;
  /** Email plain-text body (Liquid). */
  @IsOptional() @IsString() text?: string | null;
  /** SMS text (Liquid). */
  @IsOptional() @IsString() body?: string | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => WhatsappTemplateSpecDto)
  whatsapp?: WhatsappTemplateSpecDto | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => VoiceTemplateSpecDto)
  voice?: VoiceTemplateSpecDto | null;

  /** Saves the template in the organization's library under this category; null takes it out. */
  @IsOptional()
  @IsIn(LIBRARY_CATEGORIES)
  libraryCategory?: LibraryCategory | null;
}

/** The fields given replace the stored ones; the result is validated as a whole. */
export class UpdateTemplateDto extends PartialType(CreateTemplateDto) {}

/** Render against a stored lead (`leadId`), given lead data (`lead`), or sample data (neither). */
export class PreviewTemplateDto {
  @IsOptional()
  @IsUUID()
  leadId?: string;

  /**
   * Lead fields as `GET /api/v1/leads/{id}` answers them.
   * @example {"firstName": "Ada", "attributes": {"company": "Analytical Engines"}}
   */
  @IsOptional()
  @IsPlainObject()
  lead?: Record<string, unknown>;
}

/**
 * An unsaved template (the fields of a create, without its name) previewed as the editor has it, against a stored
 * lead, given lead data, or sample data. Validated like a save, rendered within the same render budget.
 */
export class PreviewDraftTemplateDto extends IntersectionType(OmitType(CreateTemplateDto, ['name'] as const), PreviewTemplateDto) {}
