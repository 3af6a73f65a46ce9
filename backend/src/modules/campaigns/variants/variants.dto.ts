import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { AB_METRICS, type AbMetric } from './ab-test';

/** One template of an A/B step and its share of the step's leads. */
export class StepVariantDto {
  /** A template of this organization, of the step's channel. */
  @IsUUID()
  templateId: string;

  /** @example 50 */
  @IsInt()
  @ApiPropertyOptional({ type: 'integer' })
  @Min(1)
  @Max(99)
  percent: number;
}

/** Test the variants on a sample, then send the winner to the rest. */
export class AbTestDto {
  /** Share of the step's leads in the test; the others wait for the winner. @example 20 */
  @IsInt()
  @ApiPropertyOptional({ type: 'integer' })
  @Min(1)
  @Max(99)
  samplePercent: number;

  /** What wins: `open` / `click` (email only), `reply` or `conversion` rate over sent. */
  @IsIn(AB_METRICS)
  metric: AbMetric;

  /** Seconds after the test's first send before a winner may be chosen (1 minute to 30 days). @example 86400 */
  @IsInt()
  @ApiPropertyOptional({ type: 'integer' })
  @Min(60)
  @Max(2_592_000)
  decideAfterSeconds: number;

  /** Sends each variant needs before the decision (unless the whole sample is done first). Default 100. */
  @IsOptional()
  @IsInt()
  @ApiPropertyOptional({ type: 'integer' })
  @Min(1)
  @Max(100_000)
  minSamplePerVariant?: number;
}
