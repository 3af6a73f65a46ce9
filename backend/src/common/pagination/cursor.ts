import { AppError } from '../errors/app-error';

/**
 * Keyset pagination over (created_at, id). The timestamp travels as PostgreSQL text so microseconds
 * survive the round trip (a JS Date would truncate them and skip rows created in the same millisecond).
 */
export interface Cursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) && !Number.isNaN(Date.parse(createdAt))) {
      return { createdAt, id };
    }
  } catch {
    // fall through to the stable error below
  }
  throw new AppError('invalid_cursor', 'The cursor is not valid; pass back the `nextCursor` of a previous page');
}

export function parseLimit(raw: unknown, fallback = 50, max = 500): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new AppError('validation_failed', `limit must be an integer from 1 to ${max}`);
  return n;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Newest-first keyset pages in raw SQL (`ORDER BY <alias>.created_at DESC, <alias>.id DESC`): the WHERE
 * condition for the rows after `cursor`, its two values appended to `params`.
 */
export function olderThanCursor(alias: string, cursor: string, params: unknown[]): string {
  const c = decodeCursor(cursor);
  params.push(c.createdAt, c.id);
  return `(${alias}.created_at, ${alias}.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
}

/** A page from `limit + 1` rows selected with `created_at::text AS cursor_ts`: the extra row says there is a next page. */
export function newestFirstPage<R extends { id: string; cursor_ts: string }, T>(rows: R[], limit: number, present: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = rows.length > limit ? items.at(-1) : undefined;
  return { items: items.map(present), nextCursor: last ? encodeCursor({ createdAt: last.cursor_ts, id: last.id }) : null };
}
