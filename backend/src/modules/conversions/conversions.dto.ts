import { IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { LeadRefDto } from '../leads/lead-ref.dto';

/** Exactly one of leadId, email and phone names the lead. */
export class ConversionInputDto extends LeadRefDto {
  /** What happened. @example "order" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** Amount in `currency`, at most 4 decimals. @example 129.9 */
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 4 })
  @Min(0)
  @Max(99_999_999_999_999)
  value: number;

  /** ISO 4217, e.g. USD, EUR, JPY. @example "USD" */
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency: string;

  /** When it happened; defaults to now. At most a day ahead. */
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;

  /** Same as the Idempotency-Key header (either one): a retry with it answers the first answer. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  idempotencyKey?: string;
}
