/**
 * Defaults from the providers' published guidance: Gmail's sender guidelines keep spam complaints under
 * 0.3 %; AWS SES and Mailgun review accounts whose bounce rate passes 5 %; a tenth of sends refused by the
 * provider's API means the sender itself is broken (bad credentials, a blocked number). Rates count over
 * the last 24 hours (since the last resume), once at least `minSample` messages went out.
 */
export const GUARD_DEFAULTS = { bounceRate: 0.05, complaintRate: 0.003, rejectionRate: 0.1, minSample: 200 };

export type GuardThresholds = typeof GUARD_DEFAULTS;

export interface GuardMetrics {
  /** Start of the counted period. */
  since: string;
  /** Messages the provider accepted (the denominator of bounce and complaint rates). */
  sent: number;
  /** Accepted, then reported failed by the provider: bounces, undelivered texts. */
  bounced: number;
  complained: number;
  /** Refused by the provider's API when sent. */
  rejected: number;
}

export interface GuardRates {
  bounceRate: number;
  complaintRate: number;
  rejectionRate: number;
}

export function guardRates(m: GuardMetrics): GuardRates {
  const attempts = m.sent + m.rejected;
  return {
    bounceRate: m.sent ? m.bounced / m.sent : 0,
    complaintRate: m.sent ? m.complained / m.sent : 0,
    rejectionRate: attempts ? m.rejected / attempts : 0,
  };
}

const percent = (r: number) => `${(r * 100).toFixed(r < 0.01 ? 2 : 1)} %`;

/** Why the guard pauses the sender, or undefined: the first rate past its threshold, over a large enough sample. */
export function guardVerdict(m: GuardMetrics, t: GuardThresholds): string | undefined {
  const rates = guardRates(m);
  const attempts = m.sent + m.rejected;
  if (attempts < t.minSample) return undefined;
  if (m.sent >= t.minSample && rates.complaintRate > t.complaintRate)
    return `complaint rate ${percent(rates.complaintRate)} over ${m.sent} messages (threshold ${percent(t.complaintRate)})`;
  if (m.sent >= t.minSample && rates.bounceRate > t.bounceRate)
    return `bounce rate ${percent(rates.bounceRate)} over ${m.sent} messages (threshold ${percent(t.bounceRate)})`;
  if (rates.rejectionRate > t.rejectionRate)
    return `provider rejection rate ${percent(rates.rejectionRate)} over ${attempts} sends (threshold ${percent(t.rejectionRate)})`;
  return undefined;
}
