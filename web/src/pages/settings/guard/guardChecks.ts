import type { Guard, GuardInput, GuardThresholds } from './types';

/** The form's thresholds as typed: percentages, and a whole number of messages. */
export interface GuardDraft {
  bounceRate: string;
  complaintRate: string;
  rejectionRate: string;
  minSample: string;
}

export type GuardDraftErrors = Partial<Record<keyof GuardDraft, string>>;

const RATES = ['bounceRate', 'complaintRate', 'rejectionRate'] as const;
const WHOLE = /^\d+$/;
/** At most three decimals: the API keeps the fraction to five (numeric(6,5)), 0.125 % = 0.00125. */
const PERCENT = /^\d+(\.\d{1,3})?$/;

/** A fraction as the form shows it: 0.05 → "5", 0.003 → "0.3" (rounded, so 0.1 · 100 reads "10", not "10.000000000000002"). */
export const toPercentText = (fraction: number) => String(Math.round(fraction * 100_000) / 1000);
/** "0.3" → 0.003, exact to the five decimals the API keeps. */
const toFraction = (percent: string) => Math.round(Number(percent) * 1000) / 100_000;

export const draftOf = (t: GuardThresholds): GuardDraft => ({
  bounceRate: toPercentText(t.bounceRate),
  complaintRate: toPercentText(t.complaintRate),
  rejectionRate: toPercentText(t.rejectionRate),
  minSample: String(t.minSample),
});

/**
 * The API's rules (backend guard.dto.ts: rates 0.0001 to 1, a sample of 20 to 1,000,000), checked before
 * sending so a mistake is named at its field at once; the API checks again and its answer lands at the same fields.
 */
export function checkGuard(
  draft: GuardDraft,
): { thresholds: GuardThresholds; errors?: undefined } | { thresholds?: undefined; errors: GuardDraftErrors } {
  const errors: GuardDraftErrors = {};
  const thresholds = {} as GuardThresholds;
  for (const field of RATES) {
    // "5 %" and "0,3" read as typed.
    const text = draft[field].trim().replace(/\s*%$/, '').replace(',', '.');
    if (!PERCENT.test(text) || Number(text) < 0.01 || Number(text) > 100)
      errors[field] = 'Enter a percentage from 0.01 to 100, with at most three decimals.';
    else thresholds[field] = toFraction(text);
  }
  const sample = draft.minSample.trim().replace(/[,\s]/g, '');
  if (!WHOLE.test(sample) || Number(sample) < 20 || Number(sample) > 1_000_000)
    errors.minSample = 'Enter a whole number of messages from 20 to 1,000,000.';
  else thresholds.minSample = Number(sample);
  return Object.keys(errors).length ? { errors } : { thresholds };
}

/**
 * Only what changed: a threshold left as shown is not sent, so one that follows the default keeps
 * following it (the API answers the values in force, not whether each is the sender's own).
 */
export function changes(current: Guard, thresholds: GuardThresholds, enabled: boolean): GuardInput {
  const input: GuardInput = {};
  if (enabled !== current.enabled) input.enabled = enabled;
  for (const field of [...RATES, 'minSample'] as const)
    if (thresholds[field] !== current.thresholds[field]) input[field] = thresholds[field];
  return input;
}
