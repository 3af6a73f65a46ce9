import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, IsTimeZone, Matches, Max, Min } from 'class-validator';

/** When leads may be reached, in their own time; messages outside it wait (they are not skipped). */
export class SendWindowDto {
  /** ISO weekdays the window is open on: 1 = Monday … 7 = Sunday. @example [1, 2, 3, 4, 5] */
  @ApiProperty({ type: [Number], example: [1, 2, 3, 4, 5] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  days: number[];
  /** Opens at, in the lead's local time (24-hour `HH:MM`). @example "09:00" */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'start must be HH:MM (00:00 to 23:59)' })
  start: string;
  /** Closes at (exclusive; `24:00` for midnight); after `start`. @example "17:00" */
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'end must be HH:MM (00:01 to 24:00)' })
  end: string;
  /**
   * For leads with no time zone of their own whose phone number does not tell one (IANA); default UTC.
   * A number's country gives its zones: a US number must be inside the window in every US zone.
   * @example "America/New_York"
   */
  @IsOptional() @IsTimeZone() timezone?: string;
}
