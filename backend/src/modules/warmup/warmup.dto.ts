import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsNumber, IsOptional, Max, Min } from 'class-validator';

/** A sender's warm-up ramp: the daily cap starts low and grows each day until it reaches the target. */
export class SetWarmupDto {
  /** Messages allowed on the first day. @example 20 */
  @IsInt() @Min(1) @Max(1_000_000) startPerDay: number;
  /** How much the daily cap grows each day, in percent. @example 20 */
  @IsNumber({ maxDecimalPlaces: 2 }) @Min(1) @Max(100) growthPercent: number;
  /** Where the ramp stops: the daily cap from then on (at least `startPerDay`). @example 500 */
  @IsInt() @Min(1) @Max(10_000_000) targetPerDay: number;
  /**
   * Day 0 of the ramp (default: now). An earlier time continues a ramp begun elsewhere; it cannot be in the future.
   * @example "2026-11-20T09:00:00Z"
   */
  @IsOptional() @IsISO8601() @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
}
