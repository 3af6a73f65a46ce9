/**
 * Two-proportion z-test (pooled), two-sided: is the leader's rate different from the runner-up's beyond
 * chance? Answers the p-value (1 when there is nothing to compare: no sends, or no variation at all).
 */
export function twoProportionPValue(successA: number, totalA: number, successB: number, totalB: number): number {
  if (totalA <= 0 || totalB <= 0) return 1;
  const pooled = (successA + successB) / (totalA + totalB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / totalA + 1 / totalB));
  if (se === 0) return 1;
  const z = (successA / totalA - successB / totalB) / se;
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, error < 1.5e-7: ample for a 0.05 threshold). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export interface VariantRate {
  id: string;
  success: number;
  total: number;
}

/** The leader (highest rate; ties: the earlier variant) against the runner-up; null with fewer than two variants sent. */
export function significance(variants: readonly VariantRate[]): { leaderVariantId: string; pValue: number; confident: boolean } | null {
  const ranked = variants
    .map((v, i) => ({ ...v, i, rate: v.total > 0 ? v.success / v.total : -1 }))
    .filter((v) => v.total > 0)
    .sort((a, b) => b.rate - a.rate || a.i - b.i);
  if (ranked.length < 2) return null;
  const [leader, runnerUp] = ranked;
  const pValue = twoProportionPValue(leader.success, leader.total, runnerUp.success, runnerUp.total);
  return { leaderVariantId: leader.id, pValue, confident: pValue < 0.05 };
}

/** The variant with the highest rate (ties: the earlier one); undefined when none was sent. */
export function leader(variants: readonly VariantRate[]): string | undefined {
  let best: { id: string; rate: number } | undefined;
  for (const v of variants) {
    if (v.total <= 0) continue;
    const rate = v.success / v.total;
    if (!best || rate > best.rate) best = { id: v.id, rate };
  }
  return best?.id;
}
