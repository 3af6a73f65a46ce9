import { type A1Range, columnLetters, formatA1, parseA1, spreadsheetRef } from '@cadence/contracts';
import { Injectable } from '@nestjs/common';
import type { CsvRecord } from '../../common/csv/csv-stream';
import { AppError } from '../../common/errors/app-error';
import { Environment } from '../../config/environment';
import type { LeadRowSource } from '../leads/csv/lead-csv-import.service';
import { SheetsAccess, type SheetsSession } from './sheets-access';
import { SheetsApi, type SheetTab, type SpreadsheetInfo } from './sheets-api';

/** Rows shown under the header in a preview. */
export const PREVIEW_ROWS = 5;
/** Cells per values read: 10,000 rows of 10 columns take two reads, and no answer holds more than this. */
const CELLS_PER_READ = 100_000;
const MAX_ROWS_PER_READ = 5_000;

export interface SheetSelection {
  /** A spreadsheet id or a full Google Sheets URL (its `gid` picks the tab when nothing else does). */
  spreadsheet: string;
  /** A1 range whose first row is the header, e.g. `Sheet1!A1:F` or `'My leads'!B3:H500`. */
  range?: string;
  /** A tab by title, when `range` names none. */
  sheet?: string;
}

/** The rectangle an import reads: a tab, the header row, and the last row and column the grid allows. */
interface Located {
  tab: SheetTab;
  headerRow: number;
  firstColumn: number;
  lastRow: number;
  lastColumn: number;
  /** The range as given, to write back with the header's width when it named no last column. */
  asked?: A1Range;
}

export interface SheetPreview {
  spreadsheetId: string;
  title: string;
  url: string;
  sheets: SheetTab[];
  sheet: { sheetId: number; title: string };
  /** The range an import would read (A1), the header's width when no last column was given. */
  range: string;
  headerRow: number;
  headers: string[];
  rows: Array<{ row: number; cells: string[] }>;
  /** Rows after the header within the range and the tab's grid (empty ones included): what the bounds count. */
  dataRows: number;
  limits: { maxRows: number; maxCells: number };
}

const trimmed = (cells: string[]) => cells.map((c) => c.trim());

/**
 * Reads a spreadsheet range for the lead import: the tabs and a preview for the page, and the rows as a
 * LeadRowSource for the CSV import's pipeline (mapping, validation, batched upserts, per-row errors). Rows are
 * numbered as the sheet shows them, so with a range starting at A1 they match the CSV export's row numbers.
 * Bounded before anything is written: rows and cells of the range, and one deadline for every read.
 */
@Injectable()
export class SheetReader {
  constructor(
    private readonly api: SheetsApi,
    private readonly access: SheetsAccess,
    private readonly env: Environment,
  ) {}

  async preview(organizationId: string, accountId: string, selection: SheetSelection): Promise<SheetPreview> {
    const ref = this.ref(selection.spreadsheet);
    const session = await this.access.open(organizationId, accountId);
    const deadline = this.deadline();
    try {
      const info = await session.read((token) => this.api.spreadsheet(token, ref.spreadsheetId, deadline.signal));
      const at = this.locate(info, selection, ref.gid);
      const lastPreviewRow = Math.min(at.lastRow, at.headerRow + PREVIEW_ROWS);
      const cells = await session.read((token) =>
        this.api.values(
          token,
          ref.spreadsheetId,
          this.a1(at.tab, at.firstColumn, at.headerRow, at.lastColumn, lastPreviewRow),
          deadline.signal,
        ),
      );
      const headers = trimmed(cells[0] ?? []);
      const rows = cells
        .slice(1)
        .map((row, i) => ({ row: at.headerRow + 1 + i, cells: headers.map((_, j) => (row[j] ?? '').trim()) }))
        .filter((r) => r.cells.some((c) => c !== ''));
      const lastColumn = at.asked?.endColumn ?? at.firstColumn + Math.max(headers.length, 1) - 1;
      return {
        spreadsheetId: info.spreadsheetId,
        title: info.title,
        url: info.url,
        sheets: info.sheets,
        sheet: { sheetId: at.tab.sheetId, title: at.tab.title },
        range: formatA1({
          sheet: at.tab.title,
          startColumn: at.firstColumn,
          startRow: at.headerRow,
          endColumn: lastColumn,
          ...(at.asked?.endRow !== undefined && { endRow: at.lastRow }),
        }),
        headerRow: at.headerRow,
        headers,
        rows,
        dataRows: at.lastRow - at.headerRow,
        limits: { maxRows: this.env.SHEETS_IMPORT_MAX_ROWS, maxCells: this.env.SHEETS_IMPORT_MAX_CELLS },
      };
    } finally {
      deadline.done();
    }
  }

  /**
   * Opens the range for an import: account, scope, spreadsheet and range are checked here, so a wrong one answers
   * its error before the import starts. The rows are read as the import consumes them.
   */
  async rows(organizationId: string, accountId: string, selection: SheetSelection): Promise<LeadRowSource> {
    const ref = this.ref(selection.spreadsheet);
    if (!selection.range?.trim() && !selection.sheet && ref.gid === undefined)
      throw new AppError('sheet_range_invalid', 'Give the range to import, e.g. Sheet1!A1:F (its first row is the header)');
    const session = await this.access.open(organizationId, accountId);
    const deadline = this.deadline();
    let at: Located;
    try {
      const info = await session.read((token) => this.api.spreadsheet(token, ref.spreadsheetId, deadline.signal));
      at = this.locate(info, selection, ref.gid);
    } catch (error) {
      deadline.done();
      throw error;
    }
    const dataRows = at.lastRow - at.headerRow;
    if (dataRows > this.env.SHEETS_IMPORT_MAX_ROWS) {
      deadline.done();
      throw new AppError(
        'sheet_too_large',
        `The range has ${dataRows} rows after the header (the tab's grid); at most ${this.env.SHEETS_IMPORT_MAX_ROWS} are imported at once: narrow it, e.g. ${this.a1(at.tab, at.firstColumn, at.headerRow, at.lastColumn, at.headerRow + this.env.SHEETS_IMPORT_MAX_ROWS)}`,
      );
    }
    return (hooks) => this.read(session, ref.spreadsheetId, at, deadline, hooks);
  }

  private async *read(
    session: SheetsSession,
    spreadsheetId: string,
    at: Located,
    deadline: { signal: AbortSignal; done: () => void },
    hooks: Parameters<LeadRowSource>[0],
  ): AsyncGenerator<CsvRecord> {
    try {
      const { tab, headerRow, firstColumn, lastRow } = at;
      const values = (from: number, to: number, lastColumn: number) =>
        session.read((token) => this.api.values(token, spreadsheetId, this.a1(tab, firstColumn, from, lastColumn, to), deadline.signal));
      const header = trimmed((await values(headerRow, headerRow, at.lastColumn))[0] ?? []);
      if (header.every((h) => h === ''))
        throw new AppError('sheet_invalid', `Row ${headerRow} of "${tab.title}" is empty: the range must start at the header row`);
      this.checkHeader(header, firstColumn);
      // Cells right of the header have no column name to map them to: they are not read.
      const width = header.length;
      const dataRows = lastRow - headerRow;
      if (dataRows * width > this.env.SHEETS_IMPORT_MAX_CELLS)
        throw new AppError(
          'sheet_too_large',
          `The range has ${dataRows} rows of ${width} columns; at most ${this.env.SHEETS_IMPORT_MAX_CELLS} cells are imported at once: narrow it`,
        );
      try {
        hooks.onHeader(header);
      } catch (error) {
        // The mapping rules are the CSV import's; their "file" error is about this range here.
        if (error instanceof AppError && error.code === 'invalid_csv') throw new AppError('sheet_invalid', error.message);
        throw error;
      }
      const block = Math.max(1, Math.min(MAX_ROWS_PER_READ, Math.floor(CELLS_PER_READ / width)));
      for (let from = headerRow + 1; from <= lastRow; from += block) {
        const to = Math.min(lastRow, from + block - 1);
        const rows = await values(from, to, firstColumn + width - 1);
        for (let i = 0; i < rows.length; i++) {
          const cells = trimmed(rows[i]);
          // Empty rows are skipped, as blank lines of a CSV are.
          if (!cells.some((c) => c !== '')) continue;
          yield { row: from + i, values: Object.fromEntries(header.map((name, j) => [name, cells[j] ?? ''])) };
        }
      }
    } finally {
      deadline.done();
    }
  }

  private ref(input: string) {
    const ref = spreadsheetRef(input ?? '');
    if (!ref)
      throw new AppError(
        'spreadsheet_id_invalid',
        'Not a Google Sheets link or spreadsheet id: paste the address of the sheet (https://docs.google.com/spreadsheets/d/…) or its id',
      );
    return ref;
  }

  /** The tab and rectangle a selection names, clamped to the tab's grid (open ends reach its last row and column). */
  private locate(info: SpreadsheetInfo, selection: SheetSelection, gid: number | undefined): Located {
    const text = selection.range?.trim();
    const asked = text ? parseA1(text) : undefined;
    if (text && !asked) throw new AppError('sheet_range_invalid', `"${text.slice(0, 100)}" is not an A1 range (e.g. Sheet1!A1:F)`);
    const title = asked?.sheet ?? selection.sheet;
    const tab =
      title !== undefined
        ? (info.sheets.find((s) => s.title === title) ?? info.sheets.find((s) => s.title.toLowerCase() === title.toLowerCase()))
        : ((gid !== undefined ? info.sheets.find((s) => s.sheetId === gid) : undefined) ??
          [...info.sheets].sort((a, b) => a.index - b.index)[0]);
    if (!tab)
      throw new AppError(
        'sheet_range_invalid',
        title !== undefined
          ? `The spreadsheet has no tab "${title.slice(0, 100)}" (tabs: ${info.sheets.map((s) => s.title).join(', ')})`
          : 'The spreadsheet has no tab with cells',
      );
    const headerRow = asked?.startRow ?? 1;
    const firstColumn = asked?.startColumn ?? 1;
    if (headerRow > tab.rowCount || firstColumn > tab.columnCount)
      throw new AppError(
        'sheet_range_invalid',
        `The range starts outside "${tab.title}" (${tab.rowCount} rows, columns A to ${columnLetters(tab.columnCount)})`,
      );
    return {
      tab,
      headerRow,
      firstColumn,
      lastRow: Math.min(asked?.endRow ?? tab.rowCount, tab.rowCount),
      lastColumn: Math.min(asked?.endColumn ?? tab.columnCount, tab.columnCount),
      ...(asked && { asked }),
    };
  }

  /** The CSV import refuses a header naming a column twice (its last one would silently win): so does this. */
  private checkHeader(header: string[], firstColumn: number): void {
    const seen = new Map<string, number>();
    header.forEach((name, index) => {
      const key = name.toLowerCase();
      const earlier = seen.get(key);
      if (earlier !== undefined && name !== '')
        throw new AppError(
          'sheet_invalid',
          `The header names "${name}" twice (columns ${columnLetters(firstColumn + earlier)} and ${columnLetters(firstColumn + index)}); rename or remove one`,
        );
      seen.set(key, index);
    });
  }

  private a1(tab: SheetTab, firstColumn: number, from: number, lastColumn: number, to: number): string {
    return formatA1({ sheet: tab.title, startColumn: firstColumn, startRow: from, endColumn: lastColumn, endRow: to });
  }

  /** One deadline for all of an import's reads; `done` stops its timer. */
  private deadline(): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.env.SHEETS_IMPORT_TIMEOUT_MS);
    timer.unref();
    return { signal: controller.signal, done: () => clearTimeout(timer) };
  }
}
