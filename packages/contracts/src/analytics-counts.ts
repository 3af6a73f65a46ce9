/**
 * The counts every analytics answer carries (totals, per step / channel / template, per bucket), in the
 * order the API and the web app's CSV export list them. Free of zod: the web app imports this file.
 */
export const ANALYTICS_COUNT_KEYS = [
  'sent',
  'delivered',
  'failed',
  'unknown',
  'skipped',
  'opened',
  'clicked',
  'replied',
  'unsubscribed',
  'bounced',
  'complained',
  'read',
  'answered',
  'machineOpened',
  'machineClicked',
  'conversions',
] as const;
export type AnalyticsCountKey = (typeof ANALYTICS_COUNT_KEYS)[number];
