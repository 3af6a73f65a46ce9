import { IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsPlainObject } from '../../common/http/validators';

/**
 * A lead as sent to `POST /api/v1/leads` (one object) and `PATCH /api/v1/leads/{id}`. The DTO checks types;
 * what a lead must be (an email or a phone, a valid address, an IANA time zone, known consent channels) is
 * `normalizeLead`, shared with the CSV import and with each item of an array. `null` clears a field in a PATCH.
 */
export class LeadInputDto {
  /** @example "ada@example.com" */
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string | null;

  /**
   * E.164, or national with `?defaultCountry=`.
   * @example "+14155550123"
   */
  @IsOptional()
  @ValidateIf((o: { phone?: unknown }) => typeof o.phone !== 'number')
  @IsString()
  @MaxLength(40)
  phone?: string | null;

  /** @example "Ada" */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  firstName?: string | null;

  /** @example "Lovelace" */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  lastName?: string | null;

  /**
   * IANA time zone, for sending windows.
   * @example "Europe/London"
   */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  timezone?: string | null;

  /**
   * Free attributes for templates and filters; merged over the stored ones (`null` removes one).
   * @example {"company": "Analytical Engines", "plan": "pro"}
   */
  @IsOptional()
  @IsPlainObject()
  attributes?: Record<string, unknown>;

  /**
   * Per channel (email, sms, whatsapp, voice): true opted in, false opted out.
   * @example {"email": true, "sms": false}
   */
  @IsOptional()
  @IsPlainObject()
  consent?: Record<string, boolean>;
}
