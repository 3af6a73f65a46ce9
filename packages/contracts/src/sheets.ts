/**
 * Google Sheets addressing shared by the backend and the web app (zod-free, so the web bundle can import it):
 * a spreadsheet id out of what a person pastes, and A1 ranges read and written the way the Sheets API does.
 */

/** Any of these OAuth scopes lets a token read a spreadsheet (Google's list for spreadsheets.get and values.get). */
export const SHEETS_READING_SCOPES: readonly string[] = [
  'https://www.googleapis.com/auth/spreadsheets.readonly',
  'https://www.googleapis.com/auth/spreadsheets',
  'https://www.googleapis.com/auth/drive.readonly',
  'https://www.googleapis.com/auth/drive',
];

/** Google's spreadsheet ids: letters, digits, - and _, 25 to 100 characters (44 for sheets made today). */
export const SPREADSHEET_ID = /^[A-Za-z0-9_-]{25,100}$/;

export interface SpreadsheetRef {
  spreadsheetId: string;
  /** The tab a pasted URL pointed at (`#gid=` / `?gid=`), when it did. */
  gid?: number;
}

/**
 * A spreadsheet id from a full Google Sheets URL (`https://docs.google.com/spreadsheets/d/<id>/edit#gid=0`)
 * or from the id itself; undefined when neither fits.
 */
export function spreadsheetRef(input: string): SpreadsheetRef | undefined {
  const text = input.trim();
  if (SPREADSHEET_ID.test(text)) return { spreadsheetId: text };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.hostname !== 'docs.google.com') return undefined;
  const match = /^\/spreadsheets(?:\/u\/\d+)?\/d\/([^/]+)/.exec(url.pathname);
  const id = match?.[1];
  if (id === undefined || !SPREADSHEET_ID.test(id)) return undefined;
  const gid = /(?:^|[#&?])gid=(\d{1,10})(?:$|&)/.exec(url.hash)?.[1] ?? /(?:^|[#&?])gid=(\d{1,10})(?:$|&)/.exec(url.search)?.[1];
  return { spreadsheetId: id, ...(gid !== undefined && { gid: Number(gid) }) };
}

/** One A1 range: a tab (or the first one) and a rectangle whose ends may be open (`A1:F`, `A:F`, `2:500`). */
export interface A1Range {
  sheet?: string;
  /** 1-based column of the first cell; 1 when the range names only rows. */
  startColumn: number;
  /** 1-based row of the first cell; 1 when the range names only columns. */
  startRow: number;
  /** Last column, when the range names one. */
  endColumn?: number;
  /** Last row, when the range names one. */
  endRow?: number;
}

/** The largest grid Google allows: 18,278 columns (ZZZ), and rows well past any import bound. */
export const MAX_COLUMN = 18_278;
const MAX_ROW = 10_000_000;

/** `A` → 1, `Z` → 26, `AA` → 27. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** 1 → `A`, 27 → `AA`. */
export function columnLetters(n: number): string {
  let s = '';
  for (let v = n; v > 0; v = Math.floor((v - 1) / 26)) s = String.fromCharCode(65 + ((v - 1) % 26)) + s;
  return s;
}

const CELL = /^([A-Za-z]{1,3})?(\d{1,8})?$/;

/** A sheet title as A1 notation wants it: quoted, with quotes doubled, whenever it is not a plain word. */
export function quoteSheet(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !CELL.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
}

type Cells = Omit<A1Range, 'sheet'>;

/** A1 (one cell), A1:F10, A1:F (rows to the end), A:F (whole columns), 2:500 (whole rows). */
function parseCells(cells: string): Cells | undefined {
  const [from, to, extra] = cells.split(':');
  if (extra !== undefined) return undefined;
  const a = CELL.exec(from ?? '');
  const b = to === undefined ? a : CELL.exec(to);
  if (!a || !b) return undefined;
  const shape = (m: RegExpExecArray) => (m[1] && m[2] ? 'cell' : m[1] ? 'column' : m[2] ? 'row' : 'none');
  const fits =
    to === undefined
      ? shape(a) === 'cell'
      : (shape(a) === 'cell' && (shape(b) === 'cell' || shape(b) === 'column')) ||
        (shape(a) === 'column' && shape(b) === 'column') ||
        (shape(a) === 'row' && shape(b) === 'row');
  if (!fits) return undefined;
  const startColumn = a[1] ? columnNumber(a[1]) : 1;
  const startRow = a[2] ? Number(a[2]) : 1;
  const endColumn = b[1] ? columnNumber(b[1]) : undefined;
  const endRow = b[2] ? Number(b[2]) : undefined;
  if (startRow < 1 || startRow > MAX_ROW || (endRow !== undefined && (endRow < startRow || endRow > MAX_ROW))) return undefined;
  if (startColumn > MAX_COLUMN || (endColumn !== undefined && (endColumn < startColumn || endColumn > MAX_COLUMN))) return undefined;
  return { startColumn, startRow, ...(endColumn !== undefined && { endColumn }), ...(endRow !== undefined && { endRow }) };
}

/**
 * Reads `Sheet1!A1:F`, `'My leads'!B2:H500`, `A:F` (the first tab), `Sheet1` (the whole tab)... as the Sheets
 * API does; undefined for anything else. A name alone is a tab unless it reads as cells.
 */
export function parseA1(input: string): A1Range | undefined {
  const text = input.trim();
  if (text === '' || text.length > 300) return undefined;
  const whole = { startColumn: 1, startRow: 1 };
  if (text.startsWith("'")) {
    const m = /^'((?:[^']|'')+)'(?:!(.+))?$/.exec(text);
    if (!m?.[1]) return undefined;
    const cells = m[2] === undefined ? whole : parseCells(m[2]);
    return cells && { sheet: m[1].replace(/''/g, "'"), ...cells };
  }
  const bang = text.lastIndexOf('!');
  if (bang < 0) return parseCells(text) ?? (/[:']/.test(text) ? undefined : { sheet: text, ...whole });
  const sheet = text.slice(0, bang);
  if (sheet === '' || /['!]/.test(sheet)) return undefined;
  const cells = parseCells(text.slice(bang + 1));
  return cells && { sheet, ...cells };
}

/** Writes a range back in A1 notation (`'My leads'!B2:H500`, `Sheet1!A1:F`); a range with no end is the tab from its start. */
export function formatA1(range: A1Range): string {
  const prefix = range.sheet !== undefined ? `${quoteSheet(range.sheet)}!` : '';
  const start = `${columnLetters(range.startColumn)}${range.startRow}`;
  const end =
    range.endColumn === undefined && range.endRow === undefined
      ? columnLetters(MAX_COLUMN)
      : `${columnLetters(range.endColumn ?? MAX_COLUMN)}${range.endRow ?? ''}`;
  return `${prefix}${start}:${end}`;
}
