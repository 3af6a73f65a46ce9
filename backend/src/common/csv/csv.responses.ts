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
