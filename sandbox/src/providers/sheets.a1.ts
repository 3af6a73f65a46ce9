/**
 * A1 notation as the Sheets API reads it, independently of the backend's reader (the sandbox is the other side of
 * the wire): `Sheet1!A1:F`, `'My sheet'!B2:H50`, `A:F`, `2:10`, `Sheet1`, `A1`. Ranges are resolved against a tab's
 * grid: open ends reach its last row or column; a range past the grid is Google's "exceeds grid limits".
 */
export interface ResolvedRange {
  sheet: string | undefined;
  r1: number;
  c1: number;
  /** Undefined: to the end of the grid. */
  r2?: number;
  c2?: number;
}

const letters = (s: string) => [...s.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

export function toLetters(n: number): string {
  let s = '';
  for (let v = n; v > 0; v = Math.floor((v - 1) / 26)) s = String.fromCharCode(65 + ((v - 1) % 26)) + s;
  return s;
}

function cells(text: string): Omit<ResolvedRange, 'sheet'> | undefined {
  const m = /^(?:([A-Za-z]{1,3})(\d+)?|(\d+))(?::(?:([A-Za-z]{1,3})(\d+)?|(\d+)))?$/.exec(text);
  if (!m) return undefined;
  const [, col1, row1, onlyRow1, col2, row2, onlyRow2] = m;
  const hasEnd = col2 !== undefined || onlyRow2 !== undefined;
  if (!hasEnd) {
    if (col1 === undefined || row1 === undefined) return undefined;
    return { r1: Number(row1), c1: letters(col1), r2: Number(row1), c2: letters(col1) };
  }
  if (onlyRow1 !== undefined) {
    if (onlyRow2 === undefined) return undefined;
    return { r1: Number(onlyRow1), c1: 1, r2: Number(onlyRow2) };
  }
  if (col2 === undefined) return undefined;
  // A:F (whole columns), A1:F (to the last row), A1:F9.
  if (row1 === undefined && row2 !== undefined) return undefined;
  return {
    r1: row1 === undefined ? 1 : Number(row1),
    c1: letters(col1),
    c2: letters(col2),
    ...(row2 !== undefined && { r2: Number(row2) }),
  };
}

export function parseRange(text: string): ResolvedRange | undefined {
  const quoted = /^'((?:[^']|'')+)'(?:!(.+))?$/.exec(text);
  if (quoted) {
    const sheet = quoted[1].replace(/''/g, "'");
    if (quoted[2] === undefined) return { sheet, r1: 1, c1: 1 };
    const c = cells(quoted[2]);
    return c && { sheet, ...c };
  }
  const bang = text.lastIndexOf('!');
  if (bang > 0) {
    const c = cells(text.slice(bang + 1));
    return c && { sheet: text.slice(0, bang), ...c };
  }
  if (bang === 0) return undefined;
  const c = cells(text);
  if (c) return { sheet: undefined, ...c };
  // A bare name is a tab (Google looks it up by title).
  return text.includes(':') ? undefined : { sheet: text, r1: 1, c1: 1 };
}

export function quoteTitle(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
}
