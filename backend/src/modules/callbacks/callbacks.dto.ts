import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
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
import { CALLBACK_CATEGORIES, type CallbackCategory } from './callback-priority';
import { CALLBACK_STATUSES, type CallbackStatus } from './callback-status';

export const CALLBACK_CHANNELS = ['voice', 'sms', 'email'] as const;
/** What a person or a program may say a request came from; replies and unanswered calls are created by the system. */
export const MANUAL_CALLBACK_SOURCES = ['web_form', 'api', 'missed_call'] as const;

export class CreateCallbackDto {
  /** The lead to call back; their phone is the default number. */
  @IsOptional()
  @IsUUID()
  leadId?: string;

  /** voice (default), sms or email. */
  @IsOptional()
  @IsIn(CALLBACK_CHANNELS)
  channel?: (typeof CALLBACK_CHANNELS)[number];

  /** The number (E.164) or email to call back; defaults to the lead's. @example "+14155550123" */
  @IsOptional()
  @IsString()
  @MaxLength(320)
  @Matches(/^(\+[1-9]\d{6,14}|[^@\s]+@[^@\s]+)$/, { message: 'address must be an E.164 number or an email address' })
  address?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  /** web_form (default), api or missed_call. */
  @IsOptional()
  @IsIn(MANUAL_CALLBACK_SOURCES)
  source?: (typeof MANUAL_CALLBACK_SOURCES)[number];

  /** When the lead wants the call (ISO 8601). */
  @IsOptional()
  @IsDateString()
  windowStart?: string;

  @IsOptional()
  @IsDateString()
  windowEnd?: string;

  /** The lead's IANA timezone for the window. @example "America/New_York" */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

export class CallbackStatusDto {
  @IsIn(CALLBACK_STATUSES)
  status: CallbackStatus;

  /** How it ended (for completed, no_answer, cancelled). */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  resolution?: string;
}

export class AssignCallbackDto {
  /** A member of the organization; omit and set `roundRobin` to let the queue choose. */
  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf((o: AssignCallbackDto) => !o.roundRobin || o.assigneeId !== undefined)
  @IsUUID()
  assigneeId?: string;

  /** Give it to the member whose last round-robin assignment is the oldest. */
  @IsOptional()
  @IsBoolean()
  roundRobin?: boolean;
}

export class CompleteCallbackDto {
  /** What came of it. @example "Booked a demo for Tuesday" */
  @IsString()
  @Matches(/\S/, { message: 'resolution must not be blank' })
  @MaxLength(2000)
  resolution: string;
}

export class ValueTierDto {
  @IsInt()
  @Min(0)
  atLeast: number;

  @IsInt()
  @Min(-100)
  @Max(100)
  points: number;
}

export class ThresholdsDto {
  @IsInt()
  @Min(0)
  @Max(1000)
  urgent: number;

  @IsInt()
  @Min(0)
  @Max(1000)
  high: number;

  @IsInt()
  @Min(0)
  @Max(1000)
  normal: number;
}

/** Parts of the priority rule to override; what is left out keeps the default. */
export class CallbackRuleDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Points per source' })
  @IsOptional()
  @IsObject()
  sourcePoints?: Record<string, number>;

  @ApiPropertyOptional({ type: [ValueTierDto] })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => ValueTierDto)
  valueTiers?: ValueTierDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Points per lead stage' })
  @IsOptional()
  @IsObject()
  stagePoints?: Record<string, number>;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  waitingPointsPerHour?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  waitingPointsMax?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  engagementPointsEach?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  engagementPointsMax?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => ThresholdsDto)
  thresholds?: ThresholdsDto;

  @ApiPropertyOptional({
    type: 'object',
    properties: Object.fromEntries(CALLBACK_CATEGORIES.map((c) => [c, { type: 'integer', minimum: 1 }])),
    description: 'Minutes until due, per category',
  })
  @IsOptional()
  @IsObject()
  slaMinutes?: Partial<Record<CallbackCategory, number>>;
}
