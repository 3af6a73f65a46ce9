import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CsvRowErrorResponse } from '../../common/csv/csv.responses';
import { CursorPage } from '../../common/http/page.responses';
import { CONSENT_CHANNELS, type ConsentChannel } from './lead.entity';
import { MESSAGE_STATUSES, MessageStatus } from '../messages/message-status';
import { TEMPLATE_CHANNELS, TemplateChannel } from '../templates/template.entity';

/** A lead as `presentLead` answers it. */
export class LeadResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** @example "ada@example.com" */
  email: string | null;

  /**
   * E.164.
   * @example "+14155550123"
   */
  phone: string | null;

  firstName: string | null;

  lastName: string | null;

  /** IANA time zone. */
  timezone: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Free attributes for templates and filters' })
  attributes: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'boolean' },
    description: 'Per channel (email, sms, whatsapp, voice): true opted in, false opted out',
  })
  consent: Record<string, boolean>;

  createdAt: Date;

  updatedAt: Date;
}

export class LeadPageResponse extends CursorPage {
  items: LeadResponse[];
}

/** One refused item of an array upsert. */
export class LeadItemErrorResponse {
  /** Position of the item in the array sent. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  index: number;

  /** @example "invalid_email" */
  code: string;

  message: string;
}

/** The answer to an array of leads: counts, the id of each item (null when refused) and the refused items. */
export class LeadBulkUpsertResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  created: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  updated: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  failed: number;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid', nullable: true },
    description: 'The lead id of each item, in the order sent; null for a refused item',
  })
  ids: Array<string | null>;

  errors: LeadItemErrorResponse[];
}

/** What a CSV import did; valid rows are kept even when others are refused. */
export class ConsentConfirmationResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: CONSENT_CHANNELS })
  channel: ConsentChannel;

  /** Rows that got consent from the statement (rows with their own consent value keep theirs). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  rows: number;

  confirmedAt: Date;

  /** The signed-in person who confirmed (web), or null. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  confirmedByUserId: string | null;

  /** The API key that confirmed, or null. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  confirmedByApiKeyId: string | null;
}

export class LeadImportResponse {
  /** Data rows read (the header not counted). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  rows: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  created: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  updated: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  failed: number;

  /** The first 1,000 refused rows, in file order. */
  errors: CsvRowErrorResponse[];

  /** True when more rows failed than `errors` lists. */
  errorsTruncated: boolean;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    maxItems: 100_000,
    description: 'With `returnIds=true` only: each lead the file created or updated, once, in file order (at most 100,000)',
  })
  leadIds?: string[];

  /** With `returnIds=true` only: true when the file named more leads than `leadIds` lists. */
  leadIdsTruncated?: boolean;

  /** With `consentConfirmed` only: the recorded statement that the file's recipients opted in. */
  consentConfirmation?: ConsentConfirmationResponse;
}

/** The campaign a lead's message belongs to. */
export class LeadMessageCampaignResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  name: string;

  /** An answer written in the inbox (not a campaign of the API): the conversation it belongs to. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  conversationId: string | null;
}

/** One message of one campaign step to the lead: its status and what the provider said. */
export class LeadMessageResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  campaign: LeadMessageCampaignResponse;

  @ApiProperty({ format: 'uuid' })
  stepId: string;

  /** 0-based position of the step in its campaign. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  position: number;

  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  channel: TemplateChannel;

  /** The address used (email or E.164 phone); null when the lead had none for the channel. */
  to: string | null;

  @ApiProperty({ enum: MESSAGE_STATUSES })
  status: MessageStatus;

  /** Why a `skipped` message was not sent (e.g. `suppressed`, `missing_address`, `no_consent`). */
  skipReason: string | null;

  errorCode: string | null;

  errorMessage: string | null;

  @ApiProperty({ type: 'integer', minimum: 0 })
  attempts: number;

  dueAt: Date | null;

  sentAt: Date | null;

  deliveredAt: Date | null;

  createdAt: Date;
}

/** Newest first; the cursor walks back in time. */
export class LeadMessagePageResponse extends CursorPage {
  items: LeadMessageResponse[];
}
