import { formatNumber } from '../../../format';
import type { Warmup } from './types';

const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dayMonthYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** "12 Dec", with the year only when it is not this year's. */
export function shortDate(iso: string, now = new Date()): string {
  const d = new Date(iso);
  return (d.getFullYear() === now.getFullYear() ? dayMonth : dayMonthYear).format(d);
}

/**
 * Where a ramp stands, in one line: "Day 4 of the warm-up: 41 of today's 41 used (last 24 h) · reaches
 * 500/day on 12 Dec", or "Warm-up complete: 500/day". The day is the API's (0 on the first day).
 */
export function warmupSentence(w: Warmup, now = new Date()): string {
  if (w.complete) return `Warm-up complete: ${formatNumber(w.targetPerDay)}/day`;
  return (
    `Day ${w.day} of the warm-up: ${formatNumber(w.sentLast24h)} of today’s ${formatNumber(w.capToday)} used (last 24 h)` +
    ` · reaches ${formatNumber(w.targetPerDay)}/day on ${shortDate(w.completesAt, now)}`
  );
}
