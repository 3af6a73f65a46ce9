import { ApiProperty } from '@nestjs/swagger';

/** A tab of a spreadsheet (its grid's size: rows and columns, filled or not). */
export class SheetTabResponse {
  @ApiProperty({ type: 'integer' })
  sheetId: number;

  /** @example "Leads" */
  title: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  index: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  rowCount: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  columnCount: number;
}

export class SheetSelectedTabResponse {
  @ApiProperty({ type: 'integer' })
  sheetId: number;

  title: string;
}

/** A data row of the preview, numbered as the sheet shows it; cells cut or padded to the header's width. */
export class SheetPreviewRowResponse {
  @ApiProperty({ type: 'integer', minimum: 2 })
  row: number;

  cells: string[];
}

export class SheetImportLimitsResponse {
  /** SHEETS_IMPORT_MAX_ROWS: a range with more rows after its header answers 413 `sheet_too_large`. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  maxRows: number;

  /** SHEETS_IMPORT_MAX_CELLS: rows × header columns. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  maxCells: number;
}

/** A spreadsheet's tabs and the header and first rows of the selected range. */
export class SheetPreviewResponse {
  spreadsheetId: string;

  title: string;

  /** The spreadsheet in Google Sheets. */
  url: string;

  sheets: SheetTabResponse[];

  sheet: SheetSelectedTabResponse;

  /**
   * The range an import would read, header row first (the header's width when no last column was given).
   * @example "Leads!A1:F"
   */
  range: string;

  /** The sheet row holding the header. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  headerRow: number;

  /** The header's cells, trimmed: the columns to map. */
  headers: string[];

  /** Up to 5 non-empty rows after the header. */
  rows: SheetPreviewRowResponse[];

  /** Rows after the header within the range and the tab's grid, empty ones included: what the row bound counts. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  dataRows: number;

  limits: SheetImportLimitsResponse;
}
