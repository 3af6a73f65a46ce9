import { ANALYTICS_COUNT_KEYS, type AnalyticsCountKey } from '@cadence/contracts';

/**
 * Folding rollup rows into counts and rates. The rollup metrics are written by the triggers of migration
 * 1796200000000-campaign-analytics; this is the one place that names them for readers.
 */
export const COUNT_KEYS = ANALYTICS_COUNT_KEYS;
export type CountKey = AnalyticsCountKey;
export type Counts = Record<CountKey, number>;

export const RATE_KEYS = ['open', 'click', 'reply', 'bounce', 'unsubscribe', 'complaint', 'conversion'] as const;
export type Rates = Record<(typeof RATE_KEYS)[number], number | null>;

const METRIC_TO_KEY: Record<string, CountKey> = {
  sent: 'sent',
  delivered: 'delivered',
  failed: 'failed',
  unknown: 'unknown',
  opened: 'opened',
  clicked: 'clicked',
  replied: 'replied',
  unsubscribed: 'unsubscribed',
  bounced: 'bounced',
  complained: 'complained',
  read: 'read',
  answered: 'answered',
  opened_machine: 'machineOpened',
  clicked_machine: 'machineClicked',
};

export function emptyCounts(): Counts {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Counts;
}

/** Adds one rollup row (metric, summed delta) to counts; `skipped:<reason>` also to the per-reason map. */
export function addMetric(counts: Counts, metric: string, n: number, skippedByReason?: Record<string, number>): void {
  if (metric.startsWith('skipped:')) {
    counts.skipped += n;
    if (skippedByReason) {
      const reason = metric.slice('skipped:'.length);
      skippedByReason[reason] = (skippedByReason[reason] ?? 0) + n;
    }
    return;
  }
  const key = METRIC_TO_KEY[metric];
  if (key) counts[key] += n;
}

/** Rates over delivered messages (0..1, four decimals); null while nothing is delivered. */
export function ratesOf(c: Counts): Rates {
  const over = (n: number) => (c.delivered > 0 ? Math.round((n / c.delivered) * 10_000) / 10_000 : null);
  return {
    open: over(c.opened),
    click: over(c.clicked),
    reply: over(c.replied),
    bounce: over(c.bounced),
    unsubscribe: over(c.unsubscribed),
    complaint: over(c.complained),
    conversion: over(c.conversions),
  };
}
