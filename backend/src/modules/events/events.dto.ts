import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';
import { EVENT_NAME_MESSAGE, EVENT_NAME_PATTERN } from '../campaigns/trigger.dto';
import { LeadRefDto } from '../leads/lead-ref.dto';

export const MAX_PROPERTIES_BYTES = 8192;
export const MAX_PROPERTIES_DEPTH = 4;
export const MAX_BATCH_EVENTS = 500;

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((deepest, child) => Math.max(deepest, depthOf(child)), 0);
}

/** A JSON object of at most 8 KB and 4 levels: it is stored with every event and matched by triggers. */
function IsEventProperties(options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isEventProperties',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must be an object of at most ${MAX_PROPERTIES_BYTES} bytes of JSON and ${MAX_PROPERTIES_DEPTH} levels`,
        ...options,
      },
      validator: {
        validate: (v: unknown) =>
          typeof v === 'object' &&
          v !== null &&
          !Array.isArray(v) &&
          depthOf(v) <= MAX_PROPERTIES_DEPTH &&
          Buffer.byteLength(JSON.stringify(v)) <= MAX_PROPERTIES_BYTES,
      },
    });
  };
}

/** Something a lead did. Exactly one of leadId, email and phone names the lead. */
export class EventInputDto extends LeadRefDto {
  /** What happened. @example "signup" */
  @IsString()
  @MaxLength(100)
  @Matches(EVENT_NAME_PATTERN, { message: EVENT_NAME_MESSAGE })
  name: string;

  /**
   * What triggers' conditions test (`plan`, `cart.total`...): an object of at most 8 KB of JSON and 4 levels.
   * @example {"plan": "pro", "cart": {"total": 120}}
   */
  @IsOptional()
  @IsEventProperties()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  properties?: Record<string, unknown>;

  /** When it happened; defaults to now. At most a day ahead. Only events that happen while a triggered campaign is active enroll. */
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;

  /** Same as the Idempotency-Key header: a replay with it records nothing and answers the first event. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  idempotencyKey?: string;
}

/** Up to 500 events; each is checked and recorded on its own. */
export class EventBatchDto {
  /** Events as for `POST /events`. A bad one is reported in `results` and does not stop the others. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_EVENTS)
  @ApiProperty({ type: [EventInputDto] })
  events: unknown[];
}
