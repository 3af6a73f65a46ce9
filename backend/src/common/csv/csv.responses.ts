import { ApiProperty } from '@nestjs/swagger';

/** A refused CSV row (csv-stream.ts `CsvRowError`). */
export class CsvRowErrorResponse {
  /** 1-based record number in the file, the header being row 1: what a spreadsheet shows. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  row: number;

  /** @example "invalid_email" */
  code: string;

  message: string;
}

/** What a CSV import endpoint accepts, so a client can refuse a file before uploading it. */
export class CsvImportLimitsResponse {
  /** The largest file accepted, in bytes (IMPORT_MAX_BYTES); a larger one answers 413 `payload_too_large`. */
  @ApiProperty({ type: 'integer', minimum: 1024 })
  maxBytes: number;
}
