import { ApiProperty } from '@nestjs/swagger';
import { TEMPLATE_CHANNELS } from '../../templates/template.entity';
import { MessageResponse, StatusCountsResponse } from '../campaigns.responses';
import { TIMELINE_BUCKETS } from './campaign-timeline.service';

export class TimelinePointResponse {
  @ApiProperty({ format: 'date-time', description: 'Start of the UTC bucket' })
  t: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  sent: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  delivered: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  failed: number;
}

export class TimelineResponse {
  @ApiProperty({ enum: Object.keys(TIMELINE_BUCKETS) })
  bucket: string;

  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty({ description: 'The campaign spans more buckets than one answer holds (1,440): the earliest were left out' })
  truncated: boolean;

  @ApiProperty({ type: [TimelinePointResponse], maxItems: 1440 })
  points: TimelinePointResponse[];
}

export class StepCountsResponse {
  @ApiProperty({ format: 'uuid' })
  stepId: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  position: number;

  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  channel: string;

  @ApiProperty({ type: StatusCountsResponse })
  counts: StatusCountsResponse;
}

export class StepCountsPageResponse {
  @ApiProperty({ type: [StepCountsResponse] })
  items: StepCountsResponse[];
}

export class MessageEventResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Who reported it: a provider webhook, tracking, n8n' })
  source: string;

  @ApiProperty({ description: 'delivered, opened, clicked, bounced, …' })
  type: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }] },
    description: "The payload's scalar fields (at most 12, texts cut at 200 characters), never a whole provider body",
  })
  summary: Record<string, string | number | boolean | null>;
}

export class MessageEventsResponse {
  @ApiProperty({ type: MessageResponse })
  message: MessageResponse;

  @ApiProperty({ type: [MessageEventResponse], maxItems: 200 })
  events: MessageEventResponse[];
}
