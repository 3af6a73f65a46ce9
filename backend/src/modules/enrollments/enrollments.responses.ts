import { ApiProperty } from '@nestjs/swagger';
import { CursorPage } from '../../common/http/page.responses';
import { EventLeadResponse } from '../events/events.responses';
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from './enrollments.service';

/** A lead's entry into a triggered campaign. */
export class EnrollmentResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  campaignId: string;

  /** 1 for the lead's first entry, 2 for a re-entry... */
  @ApiProperty({ type: 'integer', minimum: 1 })
  entry: number;

  /** Null once the lead is deleted. */
  @ApiProperty({ type: () => EventLeadResponse, nullable: true })
  lead: EventLeadResponse | null;

  /** The event that enrolled the lead (null once deleted). */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  eventId: string | null;

  eventName: string | null;

  /** `active` while a step is still to be sent, `exited` when a leaving event ended it, else `completed`. */
  @ApiProperty({ enum: ENROLLMENT_STATUSES })
  status: EnrollmentStatus;

  enrolledAt: Date;

  /** When it exited, or when its last message settled; null while active. */
  endedAt: Date | null;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  exitEventId: string | null;

  exitEventName: string | null;
}

export class EnrollmentPageResponse extends CursorPage {
  items: EnrollmentResponse[];
}

export class EnrollmentSummaryResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) active: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) completed: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) exited: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) total: number;
}
