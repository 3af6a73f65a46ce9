import { AppError } from '../../common/errors/app-error';

export type Bucket = 'hour' | 'day';

export const DEFAULT_RANGE_DAYS = 30;
/** Hourly points for at most a month (744), daily ones for at most a year and a day. */
export const MAX_RANGE_DAYS: Record<Bucket, number> = { hour: 31, day: 366 };
const DAY_MS = 86_400_000;

export function parseBucket(raw: string | undefined, fallback: Bucket): Bucket {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'hour' || raw === 'day') return raw;
  throw new AppError('validation_failed', 'bucket must be hour or day');
}

/**
 * The organization's range: `from` (inclusive) and `to` (exclusive), ISO 8601; by default the last 30 days.
 * A malformed, reversed or too long range answers 400 `invalid_range`.
 */
export function parseRange(
  rawFrom: string | undefined,
  rawTo: string | undefined,
  bucket: Bucket,
  now = new Date(),
): { from: Date; to: Date } {
  const to = rawTo ? parseDate(rawTo, 'to') : now;
  const from = rawFrom ? parseDate(rawFrom, 'from') : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new AppError('invalid_range', 'from must be before to');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS[bucket] * DAY_MS) {
    throw new AppError('invalid_range', `A range with bucket=${bucket} spans at most ${MAX_RANGE_DAYS[bucket]} days`);
  }
  return { from, to };
}

function parseDate(raw: string, name: string): Date {
  // Dates only in ISO 8601 (a date, or a date and time), not whatever Date.parse guesses at.
  const date = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new AppError('invalid_range', `${name} is not an ISO 8601 date or time`);
  return date;
}
