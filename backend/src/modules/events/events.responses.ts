import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPage } from '../../common/http/page.responses';

export class EventEnrollmentResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  campaignId: string;

  /** 1 for the lead's first entry into that campaign. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  entry: number;
}

export class EventExitResponse {
  /** The enrollment this event ended. */
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  campaignId: string;
}

export class EventLeadResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  email: string | null;

  phone: string | null;

  firstName: string | null;

  lastName: string | null;
}

/** A recorded event. */
export class EventResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  name: string;

  /** Null once the lead is deleted. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  leadId: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  properties: Record<string, unknown>;

  occurredAt: Date;

  /** When the backend recorded it. */
  receivedAt: Date;

  idempotencyKey: string | null;
}

/** What recording an event did. */
export class EventRecordResponse extends EventResponse {
  /** True when the idempotency key was already recorded: this is the first event, and nothing changed. */
  duplicate: boolean;

  /** The triggered campaigns this event enrolled its lead in. */
  enrollments: EventEnrollmentResponse[];

  /** The enrollments this event ended (a leaving event). */
  exits: EventExitResponse[];
}

export class EventBatchErrorResponse {
  @ApiProperty({ enum: ['validation_failed', 'lead_not_found'] })
  code: string;

  message: string;
}

export class EventBatchResultResponse {
  /** The event's position in the request. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  index: number;

  @ApiProperty({ enum: ['recorded', 'duplicate', 'rejected'] })
  status: 'recorded' | 'duplicate' | 'rejected';

  @ApiPropertyOptional({ type: () => EventRecordResponse })
  event?: EventRecordResponse;

  @ApiPropertyOptional({ type: () => EventBatchErrorResponse })
  error?: EventBatchErrorResponse;
}

export class EventBatchResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  recorded: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  duplicates: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  rejected: number;

  /** One per event, in request order. */
  results: EventBatchResultResponse[];
}

/** An event in the log, with its lead. */
export class EventListItemResponse extends EventResponse {
  @ApiProperty({ type: () => EventLeadResponse, nullable: true })
  lead: EventLeadResponse | null;
}

export class EventPageResponse extends CursorPage {
  items: EventListItemResponse[];
}

export class EventNameResponse {
  name: string;

  /** Events of that name received in the last 30 days. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  count: number;

  lastAt: Date;
}

export class EventNamesResponse {
  items: EventNameResponse[];
}
