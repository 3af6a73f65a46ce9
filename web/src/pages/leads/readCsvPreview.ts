import Papa from 'papaparse';

/** How much of the file the page reads to show the header and first rows: the rest goes to the server untouched. */
export const PREVIEW_BYTES = 64 * 1024;
export const PREVIEW_ROWS = 5;

export interface CsvPreview {
  headers: string[];
  rows: string[][];
  /** The source's own number of each row (a sheet range may start below row 1); default: the header is row 1. */
  rowNumbers?: number[];
  /** Why the file cannot be imported as it is (no header, a column named twice). */
  problem?: string;
}

/**
 * The header and first rows of a CSV, read locally from its first 64 KB. Decoded like the server does:
 * UTF-8 unless those bytes are not, then Windows-1252 (Excel's "CSV" on Windows); the delimiter is guessed.
 */
export async function readCsvPreview(file: File): Promise<CsvPreview> {
  const bytes = new Uint8Array(await file.slice(0, PREVIEW_BYTES).arrayBuffer());
  let text: string;
  try {
    // `stream` keeps a character cut in two by the 64 KB boundary from counting as invalid UTF-8.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { preview: PREVIEW_ROWS + 1, skipEmptyLines: 'greedy' });
  const [header, ...rows] = parsed.data;
  if (!header || header.every((h) => h.trim() === '')) return { headers: [], rows: [], problem: 'The file has no header row.' };
  const headers = header.map((h) => h.trim());
  const seen = new Map<string, number>();
  let problem: string | undefined;
  // Compared case-insensitively, as the server does; unnamed columns are allowed (and ignored).
  headers.forEach((h, i) => {
    const key = h.toLowerCase();
    if (h !== '' && seen.has(key))
      problem ??= `The header names “${h}” twice (columns ${seen.get(key)! + 1} and ${i + 1}): rename or remove one.`;
    seen.set(key, i);
  });
  return { headers, rows: rows.map((r) => headers.map((_, i) => (r[i] ?? '').trim())), problem };
}
