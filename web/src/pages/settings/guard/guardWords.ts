import { formatDateTime, formatNumber } from '../../../format';
import type { Guard, GuardMetrics, GuardThresholds } from './types';

const DAY_MS = 86_400_000;
const twoDecimals = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const threeDecimals = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** A measured rate as a percentage: "1.2 %", "0.25 %" (small rates keep a second decimal), "0 %". */
export const ratePercent = (fraction: number) => `${(fraction < 0.01 ? twoDecimals : oneDecimal).format(fraction * 100)} %`;
/** A threshold as set: "5 %", "0.3 %", "0.125 %" (the API keeps five decimals of the fraction). */
export const thresholdPercent = (fraction: number) => `${threeDecimals.format(fraction * 100)} %`;

/** "Bounces 1.2 % of 480 (pauses at 5 %) · Complaints 0 % (0.3 %) · Rejected 0 % (10 %)". */
export function ratesSentence(m: GuardMetrics, t: GuardThresholds): string {
  return (
    `Bounces ${ratePercent(m.bounceRate)} of ${formatNumber(m.sent)} (pauses at ${thresholdPercent(t.bounceRate)})` +
    ` · Complaints ${ratePercent(m.complaintRate)} (${thresholdPercent(t.complaintRate)})` +
    ` · Rejected ${ratePercent(m.rejectionRate)} (${thresholdPercent(t.rejectionRate)})`
  );
}

/**
 * What the count covers: a day, or less since an operator resumed the sender (the count restarts then).
 * A minute of slack: `since` is the server's "24 hours ago" at the time it answered.
 */
export function periodWords(m: GuardMetrics, now = Date.now()): string {
  const since = Date.parse(m.since);
  return now - since < DAY_MS - 60_000 ? `since the resume on ${formatDateTime(m.since)}` : 'last 24 h';
}

/**
 * Why the rates do not count yet, or null. The guard judges the rejection rate over every send and the
 * bounce and complaint rates over accepted messages (backend guard-verdict.ts), each once `minSample` is reached.
 */
export function sampleNote(m: GuardMetrics, t: GuardThresholds): string | null {
  const attempts = m.sent + m.rejected;
  if (attempts < t.minSample) return `Not enough messages yet to judge (${formatNumber(attempts)} of ${formatNumber(t.minSample)})`;
  if (m.sent < t.minSample)
    return `Not enough accepted messages yet to judge bounces and complaints (${formatNumber(m.sent)} of ${formatNumber(t.minSample)})`;
  return null;
}

/** "Paused by the deliverability guard on 3 Dec 2026, 14:05: bounce rate 6.0 % over 100 messages (threshold 5.0 %)". */
export function pausedSentence(g: Guard): string {
  const when = `Paused by the deliverability guard on ${formatDateTime(g.pausedAt)}`;
  return g.reason ? `${when}: ${g.reason}` : `${when}.`;
}
