import { ApiProperty } from '@nestjs/swagger';
import { CsvRowErrorResponse } from '../../common/csv/csv.responses';
import { CursorPage } from '../../common/http/page.responses';
import { SUPPRESSION_CHANNELS, SUPPRESSION_REASONS, SuppressionChannel, SuppressionReason } from './suppression.entity';

export class SuppressionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: SUPPRESSION_CHANNELS })
  channel: SuppressionChannel;

  /** Normalized: a lower-cased email, or an E.164 phone number. */
  address: string;

  @ApiProperty({ enum: SUPPRESSION_REASONS })
  reason: SuppressionReason;

  /** @example "api" */
  source: string;

  createdAt: Date;
}

export class SuppressionPageResponse extends CursorPage {
  items: SuppressionResponse[];
}

/** What a CSV import did; valid rows are kept even when others are refused. */
export class SuppressionImportResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  rows: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  created: number;

  /** Rows already suppressed (left as they were). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  existing: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  failed: number;

  /** The first 1,000 refused rows. */
  errors: CsvRowErrorResponse[];

  /** True when more rows failed than `errors` lists. */
  errorsTruncated: boolean;
}
