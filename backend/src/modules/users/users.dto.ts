import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

export class InviteUserDto {
  /**
   * The Google address the person signs in with (checked and lower-cased by the service).
   * @example "ann@acme.example"
   */
  @IsString()
  @MaxLength(320)
  email: string;

  /** @example "Ann Smith" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class SetPhoneDto {
  /** The member's own phone in E.164, rung first by "call now" (callbacks); null removes it. @example "+14155550100" */
  @ApiProperty({ type: 'string', nullable: true, pattern: '^\\+[1-9]\\d{6,14}$' })
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be in E.164 (+ and 7 to 15 digits) or null' })
  phone: string | null;
}
