import { formatDateTime, formatNumber } from '../../../format';
import type { AbMetric, AbTest, StepVariant } from '../types';

/** One variant's numbers (`GET /campaigns/{id}/variants`); `rate` is the test's metric over delivered, 0–1. */
export interface VariantResult extends StepVariant {
  templateName: string;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  converted: number;
  rate: number | null;
}

export interface VariantSignificance {
  metric: AbMetric;
  leaderVariantId: string;
  pValue: number | null;
  confident: boolean;
}

/** One A/B step: split (no test), testing (a sample, the rest waiting) or decided (the winner goes to the rest). */
export interface StepVariantResults {
  position: number;
  stepId: string;
  abTest: AbTest | null;
  status: 'split' | 'testing' | 'decided';
  winnerVariantId: string | null;
  decidedAt: string | null;
  decidesAt: string | null;
  waiting: number;
  variants: VariantResult[];
  significance: VariantSignificance | null;
}

export interface CampaignVariantResults {
  steps: StepVariantResults[];
}

/** The step's state in words: "Testing until …, 120 waiting for the winner", "Decided … : B won", "Split by share". */
export function variantStatusText(s: StepVariantResults, now = Date.now()): string {
  const label = (id: string | null) => s.variants.find((v) => v.id === id)?.label;
  if (s.status === 'testing') {
    const waiting = `${formatNumber(s.waiting)} waiting for the winner`;
    // Past its time the server still waits for each variant's minimum sends (or every sample message's outcome).
    if (s.decidesAt && Date.parse(s.decidesAt) <= now) {
      const min = s.abTest?.minSamplePerVariant ?? 100;
      return `Testing: due since ${formatDateTime(s.decidesAt)}, decided once each variant has ${formatNumber(min)} sends or the sample is done; ${waiting}`;
    }
    return s.decidesAt ? `Testing until ${formatDateTime(s.decidesAt)}, ${waiting}` : `Testing: the sample is on its way, ${waiting}`;
  }
  if (s.status === 'decided') {
    const winner = label(s.winnerVariantId);
    return `Decided ${formatDateTime(s.decidedAt)}${winner ? `: ${winner} won` : ''}`;
  }
  return 'Split: every lead gets a variant by its share';
}

const P_DIGITS = 2;
/** "p = 0.23"; below 0.01 "p < 0.01" (more digits say nothing a reader can use). */
export function formatPValue(p: number): string {
  return p < 0.01 ? 'p < 0.01' : `p = ${p.toFixed(P_DIGITS)}`;
}

/**
 * "95 % confident B beats A" once significant; else "not yet significant (p = 0.23)". The server tests the leader
 * against the runner-up (the next best rate, ties to the earlier variant): with three or more variants, that one is named.
 */
export function significanceText(s: Pick<StepVariantResults, 'significance' | 'variants'>): string | null {
  const sig = s.significance;
  if (!sig) return null;
  const leader = s.variants.find((v) => v.id === sig.leaderVariantId);
  if (sig.confident && leader) {
    const others = s.variants.filter((v) => v.id !== leader.id);
    const runnerUp = [...others].sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1))[0];
    if (!runnerUp) return null;
    return `95 % confident ${leader.label} beats ${runnerUp.label}${others.length > 1 ? ' (the runner-up)' : ''}`;
  }
  return sig.pValue === null ? 'not yet significant' : `not yet significant (${formatPValue(sig.pValue)})`;
}
