/**
 * One CSV cell per RFC 4180 (quoted when it holds a comma, a quote or a line break; quotes doubled),
 * neutralized against formula injection: a value a spreadsheet would run as a formula (starting with
 * =, +, -, @, tab or carriage return) gets a leading apostrophe, so it is shown as text.
 */
export function csvCell(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== String(value) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: Array<string | number | Date | null | undefined>): string => `${cells.map(csvCell).join(',')}\r\n`;
