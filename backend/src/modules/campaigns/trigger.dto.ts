import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { CONDITION_OPERATORS, REENTRY_POLICIES, type ConditionOperator, type ReentryPolicy } from './campaign.entity';

/** Event names: what CRMs and analytics tools send (`signup`, `order.completed`, `cart:abandoned`). */
export const EVENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
export const EVENT_NAME_MESSAGE = '$property must be 1 to 100 letters, digits, _ . : - (starting with a letter or digit)';

/** A string, a number or a boolean: what a condition compares a property with. */
function IsScalar(options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isScalar',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a string (at most 500 characters), a number or a boolean', ...options },
      validator: {
        validate: (v: unknown) =>
          (typeof v === 'string' && v.length <= 500) || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean',
      },
    });
  };
}

export class PropertyConditionDto {
  /** A dotted path into the event's properties. @example "cart.total" */
  @IsString()
  @Matches(/^[^.\s][^\s]*$/, { message: 'property must be a dotted path without spaces' })
  @MaxLength(200)
  property: string;

  @IsIn(CONDITION_OPERATORS)
  operator: ConditionOperator;

  /** Required except for `exists` / `not_exists`; numbers for `greater_than` / `less_than`. @example 100 */
  @IsOptional()
  @IsScalar()
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] })
  value?: string | number | boolean;
}

export class ExitConditionDto {
  /** @example "purchase" */
  @IsString()
  @MaxLength(100)
  @Matches(EVENT_NAME_PATTERN, { message: EVENT_NAME_MESSAGE })
  event: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PropertyConditionDto)
  conditions?: PropertyConditionDto[];
}

/** What enrolls a lead in a triggered campaign, and what ends the enrollment. */
export class TriggerDto {
  /** The event that enrolls its lead. @example "signup" */
  @IsString()
  @MaxLength(100)
  @Matches(EVENT_NAME_PATTERN, { message: EVENT_NAME_MESSAGE })
  event: string;

  /** All must hold for the event to enroll. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PropertyConditionDto)
  conditions?: PropertyConditionDto[];

  /** `never` (the default): a lead enrolls once, ever. `after_exit`: again once its previous enrollment ended. */
  @IsOptional()
  @IsIn(REENTRY_POLICIES)
  @ApiPropertyOptional({ enum: REENTRY_POLICIES, default: 'never' })
  reentry?: ReentryPolicy;

  /** With `after_exit`: at least this many seconds after the previous entry. */
  @IsOptional()
  @IsInt()
  @ApiPropertyOptional({ type: 'integer' })
  @Min(0)
  @Max(31_536_000)
  reentryAfterSeconds?: number;

  /** Leaving events: any of them ends the lead's enrollment; its remaining steps are skipped (`exited`). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => ExitConditionDto)
  exitOn?: ExitConditionDto[];
}

/** At most `limit` messages per lead and channel, from any campaign, in `periodHours`. */
export class FrequencyCapDto {
  @IsInt()
  @ApiProperty({ type: 'integer' })
  @Min(1)
  @Max(1000)
  limit: number;

  @IsInt()
  @ApiProperty({ type: 'integer' })
  @Min(1)
  @Max(8760)
  periodHours: number;
}
