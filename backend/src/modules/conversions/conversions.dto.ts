import { IsEmail, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Exactly one of leadId, email and phone names the lead. */
export class ConversionInputDto {
  @IsOptional()
  @IsUUID()
  leadId?: string;

  /** @example "ada@example.com" */
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  /** E.164. @example "+14155550123" */
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be in E.164 (+ and 7 to 15 digits)' })
  phone?: string;

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
