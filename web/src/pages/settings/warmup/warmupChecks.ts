import type { WarmupInput } from './types';

/** The form's values as typed. */
export interface WarmupDraft {
  startPerDay: string;
  growthPercent: string;
  targetPerDay: string;
}

export type WarmupDraftErrors = Partial<Record<keyof WarmupDraft, string>>;

const WHOLE = /^\d+$/;
/** At most two decimals, as the API stores the percentage (numeric(6,2)). */
const PERCENT = /^\d+(\.\d{1,2})?$/;

/**
 * The API's rules for a ramp (backend warmup.dto.ts and warmup.service.ts), checked before sending so a
 * mistake is named at its field at once; the API checks again and its answer lands at the same fields.
 */
export function checkWarmup(
  draft: WarmupDraft,
): { input: WarmupInput; errors?: undefined } | { input?: undefined; errors: WarmupDraftErrors } {
  const errors: WarmupDraftErrors = {};
  const start = draft.startPerDay.trim();
  const growth = draft.growthPercent.trim().replace(/\s*%$/, '');
  const target = draft.targetPerDay.trim();

  if (!WHOLE.test(start) || Number(start) < 1 || Number(start) > 1_000_000)
    errors.startPerDay = 'Enter a whole number of messages from 1 to 1,000,000.';
  if (!PERCENT.test(growth) || Number(growth) < 1 || Number(growth) > 100)
    errors.growthPercent = 'Enter a percentage from 1 to 100, with at most two decimals.';
  if (!WHOLE.test(target) || Number(target) < 1 || Number(target) > 10_000_000)
    errors.targetPerDay = 'Enter a whole number of messages from 1 to 10,000,000.';
  else if (!errors.startPerDay && Number(target) < Number(start))
    errors.targetPerDay = `Must be at least the first day’s ${Number(start).toLocaleString()}: the ramp only grows.`;

  if (Object.keys(errors).length) return { errors };
  return { input: { startPerDay: Number(start), growthPercent: Number(growth), targetPerDay: Number(target) } };
}

/**
 * The first day whose cap is the target, as the backend computes it (warmup-ramp.ts: the start grown by the
 * percentage each day, floored to whole messages), for the form's preview before anything is saved.
 */
export function daysToTarget({ startPerDay, growthPercent, targetPerDay }: WarmupInput): number {
  let day = 0;
  // Growth of at least 1 % reaches any target the API allows within about 1,400 days: the bound only guards the loop.
  while (day < 5_000 && Math.min(targetPerDay, Math.floor(startPerDay * Math.pow(1 + growthPercent / 100, day))) < targetPerDay) day++;
  return day;
}
