import type { Resettable } from '../context';

/** A cell as it was seeded: what Google stores (a number stays a number, a boolean a boolean). */
export type CellValue = string | number | boolean;

export interface SheetTab {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
  /** Row-major; rows and cells past the last value may be missing. */
  rows: CellValue[][];
}

export interface Spreadsheet {
  spreadsheetId: string;
  title: string;
  /** The Google account that owns the file; it and `sharedWith` may read it. */
  owner: string;
  sharedWith: string[];
  locale: string;
  timeZone: string;
  sheets: SheetTab[];
}

/** The spreadsheets Google Drive holds in the sandbox, seeded through /_sandbox/google/spreadsheets. */
export class SheetsState implements Resettable {
  readonly spreadsheets = new Map<string, Spreadsheet>();
  /** Values reads answered per spreadsheet id, for tests that check reads are bounded. */
  readonly valueReads = new Map<string, number>();

  canRead(sheet: Spreadsheet, email: string): boolean {
    const who = email.toLowerCase();
    return sheet.owner === who || sheet.sharedWith.includes(who);
  }

  resetTraffic(): void {
    this.valueReads.clear();
  }

  resetConfig(): void {
    this.spreadsheets.clear();
    this.valueReads.clear();
  }
}
