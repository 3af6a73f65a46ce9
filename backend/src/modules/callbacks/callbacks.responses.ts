import { ApiProperty } from '@nestjs/swagger';
import { CallbackCallResponse } from './callback-calls.responses';
import { CALLBACK_CATEGORIES, CALLBACK_SOURCES, type CallbackCategory, type CallbackSource } from './callback-priority';
import { CALLBACK_STATUSES, type CallbackStatus } from './callback-status';

export class CallbackLeadResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: 'string', nullable: true })
  email: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  phone: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  firstName: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  lastName: string | null;
}

export class CallbackAssigneeResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  email: string;
  @ApiProperty({ type: 'string', nullable: true })
  name: string | null;
}

export class CallbackResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: CallbackLeadResponse, nullable: true })
  lead: CallbackLeadResponse | null;

  /** voice, sms or email. */
  channel: string;

  /** The number or address to call back. */
  address: string;

  reason: string;

  @ApiProperty({ enum: CALLBACK_SOURCES })
  source: CallbackSource;

  /** The message whose reply or unanswered call caused it. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  sourceMessageId: string | null;

  /** The conversation to answer in writing through (the inbox). */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  conversationId: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  windowStart: Date | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  windowEnd: Date | null;
  @ApiProperty({ type: 'string', nullable: true })
  timezone: string | null;

  notes: string;

  @ApiProperty({ enum: CALLBACK_STATUSES })
  status: CallbackStatus;

  @ApiProperty({ type: CallbackAssigneeResponse, nullable: true })
  assignee: CallbackAssigneeResponse | null;

  @ApiProperty({ type: 'integer' })
  score: number;

  @ApiProperty({ enum: CALLBACK_CATEGORIES })
  category: CallbackCategory;

  /** Why the score is what it is, e.g. "source reply_call_me: +40". */
  scoreReasons: string[];

  /** When the score was last computed (it grows as the request waits). */
  scoredAt: Date;

  /** Created + the SLA of the category. */
  dueAt: Date;

  /** Still open and past due. */
  overdue: boolean;

  /** Past due while open, or ended after it was due. */
  slaBreached: boolean;

  @ApiProperty({ type: 'string', nullable: true })
  resolution: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  completedAt: Date | null;

  createdAt: Date;
  updatedAt: Date;
}

export class CallbackListResponse {
  /** By priority (score, highest first) then due time, or as `sort` says. */
  items: CallbackResponse[];
}

export class CallbackActivityResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** created, status, assigned, completed, rescored, attempt, duplicate. */
  kind: string;

  /** "system", "api key", or the member's email. */
  actor: string;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  actorUserId: string | null;

  summary: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details: Record<string, unknown>;

  at: Date;
}

export class CallbackDetailResponse extends CallbackResponse {
  /** Oldest first. */
  activities: CallbackActivityResponse[];

  /** "Call now" attempts, newest first (at most 20). */
  calls: CallbackCallResponse[];
}

export class CallbackCategoryCounts {
  @ApiProperty({ type: 'integer' })
  urgent: number;
  @ApiProperty({ type: 'integer' })
  high: number;
  @ApiProperty({ type: 'integer' })
  normal: number;
  @ApiProperty({ type: 'integer' })
  low: number;
}

export class CallbackSummaryResponse {
  /** Requests per status. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  byStatus: Record<string, number>;

  /** Open requests (pending, assigned, in progress) per category. */
  openByCategory: CallbackCategoryCounts;

  /** Open and past due. */
  @ApiProperty({ type: 'integer' })
  overdue: number;

  /** SLA breaches: open past due, plus those that ended after they were due. */
  @ApiProperty({ type: 'integer' })
  slaBreaches: number;

  /** Open requests without an assignee. */
  @ApiProperty({ type: 'integer' })
  unassigned: number;
}

export class CallbackValueTierResponse {
  @ApiProperty({ type: 'integer' })
  atLeast: number;
  @ApiProperty({ type: 'integer' })
  points: number;
}

export class CallbackRuleResponse {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  sourcePoints: Record<string, number>;
  valueTiers: CallbackValueTierResponse[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  stagePoints: Record<string, number>;
  @ApiProperty({ type: 'integer' })
  waitingPointsPerHour: number;
  @ApiProperty({ type: 'integer' })
  waitingPointsMax: number;
  @ApiProperty({ type: 'integer' })
  engagementPointsEach: number;
  @ApiProperty({ type: 'integer' })
  engagementPointsMax: number;
  thresholds: CallbackThresholdsResponse;
  slaMinutes: CallbackCategoryCounts;
}

export class CallbackThresholdsResponse {
  @ApiProperty({ type: 'integer' })
  urgent: number;
  @ApiProperty({ type: 'integer' })
  high: number;
  @ApiProperty({ type: 'integer' })
  normal: number;
}
