import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

/** A sender's guard settings; a field left out keeps its value, `null` goes back to the default. */
export class ConfigureGuardDto {
  /** Off: the guard still counts, but never pauses the sender (a sender it already paused stays paused until resumed). */
  @IsOptional() @IsBoolean() enabled?: boolean;
  /** Accepted-then-failed messages over accepted ones, as a fraction (0.05 = 5 %). @example 0.05 */
  @IsOptional() @IsNumber({ maxDecimalPlaces: 5 }) @Min(0.0001) @Max(1) bounceRate?: number | null;
  /** Complaints over accepted messages (0.003 = Gmail's 0.3 %). @example 0.003 */
  @IsOptional() @IsNumber({ maxDecimalPlaces: 5 }) @Min(0.0001) @Max(1) complaintRate?: number | null;
  /** Sends the provider's API refused, over all sends. @example 0.1 */
  @IsOptional() @IsNumber({ maxDecimalPlaces: 5 }) @Min(0.0001) @Max(1) rejectionRate?: number | null;
  /** Messages needed before a rate counts. @example 200 */
  @IsOptional() @IsInt() @Min(20) @Max(1_000_000) minSample?: number | null;
}
