import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPage } from '../../common/http/page.responses';
import { WhatsappTemplateSpecDto } from '../templates/templates.dto';
import { WHATSAPP_TEMPLATE_STATUSES, WhatsappTemplateStatus } from './whatsapp-template.entity';

/** One value a send must fill, and the sample CSV column that carries it. */
export class TemplatePlaceholderResponse {
  @ApiProperty({ enum: ['header', 'body', 'button'] })
  part: 'header' | 'body' | 'button';

  /** `1`, `2`… (positional) or the parameter name (named templates); `1` for a button URL suffix. */
  key: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  buttonIndex?: number;

  @ApiProperty({ enum: ['text', 'image', 'video', 'document', 'location'] })
  type: 'text' | 'image' | 'video' | 'document' | 'location';

  /** Meta's example value. */
  example?: string;

  /** @example "body_param_1" */
  column: string;
}

export class WhatsappTemplateResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** The WhatsApp channel whose business account holds the template. */
  @ApiProperty({ format: 'uuid' })
  channelId: string;

  wabaId: string;

  /** Meta's id of the template. */
  externalId: string;

  /** @example "spring_offer" */
  name: string;

  /** @example "en_US" */
  language: string;

  /** @example "MARKETING" */
  category: string;

  @ApiProperty({ enum: WHATSAPP_TEMPLATE_STATUSES })
  status: WhatsappTemplateStatus;

  /** Only APPROVED templates can be sent. */
  sendable: boolean;

  @ApiProperty({ enum: ['POSITIONAL', 'NAMED'] })
  parameterFormat: string;

  /** Meta's components (HEADER, BODY, FOOTER, BUTTONS) as listed by the Graph API. */
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  components: Record<string, unknown>[];

  placeholders: TemplatePlaceholderResponse[];

  /** A campaign template's `whatsapp` spec that fills every placeholder from the sample CSV's columns. */
  suggestedSpec: WhatsappTemplateSpecDto;

  syncedAt: Date;
}

export class WhatsappTemplatePageResponse extends CursorPage {
  items: WhatsappTemplateResponse[];
}

/** What Meta reports for the channel's number; the quota ledger holds the channel to it. */
export class WhatsappNumberLimitsResponse {
  /** STANDARD or HIGH. */
  throughputLevel: string;

  /** Messages per second the level allows (80 or 1,000). */
  @ApiProperty({ type: 'integer', minimum: 1 })
  throughputPerSecond: number;

  /** TIER_250, TIER_1K, TIER_2K, TIER_10K, TIER_100K or TIER_UNLIMITED. */
  messagingLimitTier: string;

  /** Recipients per rolling 24 hours the tier allows; null when unlimited. */
  @ApiProperty({ type: 'integer', nullable: true, minimum: 1 })
  dailyLimit: number | null;
}

export class WhatsappTemplateSyncChannelResponse {
  @ApiProperty({ format: 'uuid' })
  channelId: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  templates: number;

  /** Templates new or with another status than at the previous sync. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  changed: number;

  /** Campaigns paused because a template they send is now PAUSED, REJECTED, DISABLED or deleted at Meta. */
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' } })
  suspendedCampaigns: string[];

  /** The number's throughput and messaging limit, read with the templates. */
  limits: WhatsappNumberLimitsResponse;
}

export class WhatsappTemplateSyncResponse {
  channels: WhatsappTemplateSyncChannelResponse[];
}
