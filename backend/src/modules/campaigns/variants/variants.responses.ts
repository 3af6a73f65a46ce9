import { ApiProperty } from '@nestjs/swagger';
import { AB_METRICS, type AbMetric } from './ab-test';
import { VARIANT_LABELS, type VariantLabel } from './campaign-step-variant.entity';

export class StepVariantResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: VARIANT_LABELS })
  label: VariantLabel;

  @ApiProperty({ format: 'uuid' })
  templateId: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 99 })
  percent: number;
}

export class AbTestResponse {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 99 })
  samplePercent: number;

  @ApiProperty({ enum: AB_METRICS })
  metric: AbMetric;

  @ApiProperty({ type: 'integer', minimum: 60 })
  decideAfterSeconds: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  minSamplePerVariant: number;
}

/** One variant's sends and what came of them. */
export class VariantResultResponse extends StepVariantResponse {
  templateName: string;

  @ApiProperty({ type: 'integer', minimum: 0 }) sent: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) delivered: number;
  /** Messages opened by a person (machine opens left out). */
  @ApiProperty({ type: 'integer', minimum: 0 }) opened: number;
  /** Messages with a person's click. */
  @ApiProperty({ type: 'integer', minimum: 0 }) clicked: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) replied: number;
  /** Messages a conversion is attributed to. */
  @ApiProperty({ type: 'integer', minimum: 0 }) converted: number;

  /** The compared metric over sent (the test's metric; else reply for sms/whatsapp/voice, open for email); null before any send. */
  @ApiProperty({ type: 'number', nullable: true, minimum: 0, maximum: 1 })
  rate: number | null;
}

/** The leader against the runner-up: two-proportion z-test, two-sided. */
export class VariantSignificanceResponse {
  @ApiProperty({ enum: AB_METRICS })
  metric: string;

  @ApiProperty({ format: 'uuid' })
  leaderVariantId: string;

  @ApiProperty({ type: 'number', minimum: 0, maximum: 1 })
  pValue: number;

  /** pValue < 0.05. */
  confident: boolean;
}

export class StepVariantsResultResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  position: number;

  @ApiProperty({ format: 'uuid' })
  stepId: string;

  @ApiProperty({ type: AbTestResponse, nullable: true })
  abTest: AbTestResponse | null;

  /** `split`: no test, every lead gets its variant; `testing`: the sample is being sent; `decided`: the rest get the winner. */
  @ApiProperty({ enum: ['split', 'testing', 'decided'] })
  status: 'split' | 'testing' | 'decided';

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  winnerVariantId: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  decidedAt: string | null;

  /** The earliest the test may decide: its first send plus `decideAfterSeconds` (null before any send, or without a test). */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  decidesAt: string | null;

  /** Messages held for the winner. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  waiting: number;

  variants: VariantResultResponse[];

  @ApiProperty({ type: VariantSignificanceResponse, nullable: true })
  significance: VariantSignificanceResponse | null;
}

/** `GET /campaigns/{id}/variants`: the steps that have variants. */
export class CampaignVariantsResponse {
  steps: StepVariantsResultResponse[];
}
