import { CsvError, Options, parse } from 'csv-parse';
import { Readable, Transform } from 'node:stream';
import { AppError } from '../errors/app-error';

export interface CsvRowError {
  /** 1-based record number in the file, the header being row 1: what a spreadsheet shows. */
  row: number;
  code: string;
  message: string;
}

export interface CsvRecord {
  row: number;
  values: Record<string, string>;
}

const BINARY_SIGNATURES: Array<[string, Buffer]> = [
  ['a ZIP or XLSX workbook', Buffer.from([0x50, 0x4b, 0x03, 0x04])],
  ['a legacy Excel workbook', Buffer.from([0xd0, 0xcf, 0x11, 0xe0])],
  ['a PDF document', Buffer.from('%PDF')],
  ['a PNG image', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
  ['a gzip archive', Buffer.from([0x1f, 0x8b])],
];

/** Refuses what is plainly not CSV before any row is read, so the user gets one clear error. */
function sniff(first: Buffer): void {
  for (const [what, signature] of BINARY_SIGNATURES) {
    if (first.subarray(0, signature.length).equals(signature)) {
      throw new AppError('invalid_csv', `The file looks like ${what}, not CSV: export it as CSV (UTF-8) and try again`);
    }
  }
  // Mostly NUL bytes: UTF-16 or binary, not a CSV with a few damaged rows (those are reported row by row).
  const sample = first.subarray(0, 4096);
  if (sample.filter((byte) => byte === 0).length > sample.length / 10)
    throw new AppError('invalid_csv', 'The file contains binary data (NUL bytes); CSV must be UTF-8 text');
  const head = first
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('{') || head.startsWith('['))
    throw new AppError('invalid_csv', 'The body is JSON, not CSV: send JSON to POST /api/v1/leads instead');
}

/**
 * The file's encoding, from its first 4 KB: UTF-8 unless they are not valid UTF-8, in which case it is
 * taken for Windows-1252 (what Excel on Windows exports as "CSV"), whose every byte is a character.
 */
function detectEncoding(first: Buffer): 'utf-8' | 'windows-1252' {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(first, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** Re-encodes a Windows-1252 stream as UTF-8 for the parser. */
function fromWindows1252(): Transform {
  const decoder = new TextDecoder('windows-1252');
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      cb(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(cb) {
      cb(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
}

/** What makes a record unusable though it parsed: bytes that are not text. */
function damaged(values: Record<string, string>): CsvRowError['code'] | undefined {
  for (const value of Object.values(values)) {
    if (value.includes('\u0000')) return 'csv_nul_byte';
    if (value.includes('\uFFFD')) return 'csv_invalid_utf8';
  }
  return undefined;
}

/** Picks the delimiter the header line uses most, so ;-separated exports from European Excel work too. */
function detectDelimiter(first: Buffer): string {
  const line = first.subarray(0, 65536).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t', '|'].map((d) => [d, line.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

/** Waits for the first bytes, checks them, and answers a stream that still yields them. */
async function peek(source: Readable, maxBytes: number): Promise<{ first: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let total = 0;
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  while (total < 4096) {
    const next = (await iterator.next()) as IteratorResult<Buffer | string>;
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    total += chunk.length;
  }
  const first = Buffer.concat(chunks);
  let seen = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > maxBytes) cb(new AppError('payload_too_large', `The file is larger than ${maxBytes} bytes`));
      else cb(null, chunk);
    },
  });
  const rest = Readable.from(
    (async function* () {
      yield first;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Buffer;
    })(),
  );
  rest.on('error', (error) => limit.destroy(error));
  return { first, stream: rest.pipe(limit) };
}

/**
 * Streams CSV records with their row numbers. Malformed records (bad quoting, wrong column count)
 * are reported through `onError` and skipped; parsing continues with the next record.
 */
export async function* readCsv(
  source: Readable,
  opts: { maxBytes: number; onHeader: (header: string[]) => void; onError: (error: CsvRowError) => void },
): AsyncGenerator<CsvRecord> {
  const { first, stream } = await peek(source, opts.maxBytes);
  if (
    first.length === 0 ||
    first
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim() === ''
  )
    throw new AppError('invalid_csv', 'The file is empty');
  sniff(first);
  let header: string[] | undefined;
  let duplicate: string | undefined;
  const encoding = detectEncoding(first.subarray(0, 4096));
  const options: Options = {
    bom: true,
    delimiter: detectDelimiter(first),
    columns: (names: string[]) => {
      header = names.map((n) => String(n).trim());
      const seen = new Map<string, number>();
      header.forEach((name, index) => {
        const key = name.toLowerCase();
        const earlier = seen.get(key);
        // The last column of a name would silently win: refuse instead, naming both.
        if (earlier !== undefined && name !== '') {
          duplicate ??= `The header names "${name}" twice (columns ${earlier + 1} and ${index + 1}); rename or remove one`;
        }
        seen.set(key, index);
      });
      if (!duplicate) opts.onHeader(header);
      return header;
    },
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    skip_records_with_error: true,
    trim: true,
    max_record_size: 1024 * 1024,
    info: true,
  };
  const parser = parse(options);
  // Rows are numbered by the file's own lines (where the record ends), so they match what an editor shows
  // even with blank lines or quoted line breaks before them.
  parser.on('skip', (error: CsvError & { lines?: number }) => {
    opts.onError({ row: error.lines ?? 0, code: 'csv_malformed_row', message: error.message });
  });
  const input = encoding === 'windows-1252' ? stream.pipe(fromWindows1252()) : stream;
  stream.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    if (duplicate) {
      stream.destroy();
      throw new AppError('invalid_csv', duplicate);
    }
    const problem = damaged(item.record);
    if (problem) {
      opts.onError({
        row: item.info.lines,
        code: problem,
        message: problem === 'csv_nul_byte' ? 'The row contains a NUL byte' : 'The row is not valid UTF-8 text',
      });
      continue;
    }
    yield { row: item.info.lines, values: item.record };
  }
  if (duplicate) throw new AppError('invalid_csv', duplicate);
  if (!header) throw new AppError('invalid_csv', 'The file has no header row');
}
