import type { AbMetric, AbTest, CampaignStep, StepChannel, VariantInput } from '../types';

/**
 * A step's A/B test as the wizard holds it (strings while typed). Variant A is the step's own template: its row keeps
 * only a percent, and `templateId` of the first row is ignored (the step's is sent, as the API demands).
 */
export interface VariantDraft {
  key: string;
  templateId: string;
  percent: string;
}

export type DecideUnit = 'hours' | 'days';

export interface AbTestDraft {
  /** Off: every lead gets a variant by its share. On: a sample is tested first and the rest waits for the winner. */
  on: boolean;
  samplePercent: string;
  metric: AbMetric;
  decideAfter: string;
  decideAfterUnit: DecideUnit;
  /** '' = the API's default (100). */
  minSample: string;
}

/** The API's bounds (backend campaigns.dto.ts, variants of a step). */
export const AB_LIMITS = {
  variants: { min: 2, max: 5 },
  percent: { min: 1, max: 99 },
  samplePercent: { min: 1, max: 99 },
  decideAfterSeconds: { min: 60, max: 2_592_000 },
  minSample: { min: 1, max: 100_000 },
} as const;
export const DEFAULT_MIN_SAMPLE = 100;
export const VARIANT_LABELS = ['A', 'B', 'C', 'D', 'E'] as const;
export const DECIDE_UNIT_SECONDS: Record<DecideUnit, number> = { hours: 3600, days: 86_400 };
export const METRIC_NAMES: Record<AbMetric, string> = { open: 'Opens', click: 'Clicks', reply: 'Replies', conversion: 'Conversions' };

/** What a winner may be judged by: opens and clicks are only tracked for email. */
export const metricsFor = (channel: StepChannel): AbMetric[] =>
  channel === 'email' ? ['open', 'click', 'reply', 'conversion'] : ['reply', 'conversion'];

let keys = 0;
export const newVariant = (templateId = '', percent = ''): VariantDraft => ({ key: `v${++keys}`, templateId, percent });

export const initialAbTest = (channel: StepChannel): AbTestDraft => ({
  on: false,
  samplePercent: '20',
  metric: metricsFor(channel)[0]!,
  decideAfter: '1',
  decideAfterUnit: 'days',
  minSample: '',
});

/** 100 split in `n` whole shares, the remainder to the first ones: 3 → 34, 33, 33. */
export function evenSplit(n: number): number[] {
  if (n <= 0) return [];
  const base = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => base + (i < 100 - base * n ? 1 : 0));
}

/** The variants with their percents evenly split (templates kept). */
export const splitEvenly = (variants: VariantDraft[]): VariantDraft[] =>
  evenSplit(variants.length).map((p, i) => ({ ...variants[i]!, percent: String(p) }));

/** Turning the test on: A (the step's template) and an empty B, half each. */
export const startVariants = (): VariantDraft[] => splitEvenly([newVariant(), newVariant()]);

/** The sum of the percents typed so far (a field that is not a number counts as 0). */
export const percentSum = (variants: VariantDraft[]) => variants.reduce((sum, v) => sum + (Number(v.percent) || 0), 0);

const isWhole = (value: string, { min, max }: { min: number; max: number }) => {
  const n = Number(value);
  return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
};

export const decideAfterSeconds = (t: Pick<AbTestDraft, 'decideAfter' | 'decideAfterUnit'>) =>
  Math.round(Number(t.decideAfter) * DECIDE_UNIT_SECONDS[t.decideAfterUnit]);

/** A saved number of seconds in the largest unit that gives a whole number (days when it can). */
export function decideAfterDraft(seconds: number): Pick<AbTestDraft, 'decideAfter' | 'decideAfterUnit'> {
  if (seconds % 86_400 === 0) return { decideAfter: String(seconds / 86_400), decideAfterUnit: 'days' };
  return { decideAfter: String(Math.round((seconds / 3600) * 1000) / 1000), decideAfterUnit: 'hours' };
}

/**
 * What keeps a step's A/B test from being saved, keyed for the fields: `variants-<step>` (the set: count, sum,
 * duplicates), `variant-<step>-<row>-template|percent`, `abTest-<step>-<field>`. The server's own rules, said first here.
 */
export function variantProblems(
  step: { channel: StepChannel; templateId: string; variants: VariantDraft[]; abTest: AbTestDraft },
  i: number,
): Record<string, string> {
  const p: Record<string, string> = {};
  const vs = step.variants;
  if (vs.length === 0) return p;
  if (vs.length < AB_LIMITS.variants.min || vs.length > AB_LIMITS.variants.max) p[`variants-${i}`] = 'An A/B test has 2 to 5 variants';
  const templates = vs.map((v, j) => (j === 0 ? step.templateId : v.templateId));
  vs.forEach((v, j) => {
    const label = VARIANT_LABELS[j] ?? String(j + 1);
    if (j > 0 && !v.templateId) p[`variant-${i}-${j}-template`] = `Variant ${label}: choose a template`;
    else if (j > 0 && templates.indexOf(v.templateId) < j)
      p[`variant-${i}-${j}-template`] = `Variant ${label}: the same template as variant ${VARIANT_LABELS[templates.indexOf(v.templateId)]}`;
    if (!isWhole(v.percent, AB_LIMITS.percent)) p[`variant-${i}-${j}-percent`] = `Variant ${label}: a whole percent from 1 to 99`;
  });
  const sum = percentSum(vs);
  if (!p[`variants-${i}`] && sum !== 100) p[`variants-${i}`] = `The variants’ percents must total 100% (now ${sum}%)`;
  const t = step.abTest;
  if (!t.on) return p;
  if (!isWhole(t.samplePercent, AB_LIMITS.samplePercent)) p[`abTest-${i}-samplePercent`] = 'Sample: a whole percent from 1 to 99';
  if (!metricsFor(step.channel).includes(t.metric))
    p[`abTest-${i}-metric`] = 'Opens and clicks are only tracked for email: judge by replies or conversions';
  const seconds = decideAfterSeconds(t);
  if (t.decideAfter.trim() === '' || !Number.isFinite(seconds) || seconds < 60 || seconds > 2_592_000)
    p[`abTest-${i}-decideAfter`] = 'Decide after: from 1 minute up to 30 days';
  if (t.minSample.trim() !== '' && !isWhole(t.minSample, AB_LIMITS.minSample))
    p[`abTest-${i}-minSample`] = 'Minimum per variant: a whole number from 1 to 100,000';
  return p;
}

/** The step's `variants` and `abTest` for POST / PATCH /campaigns; nothing when the step has no test. */
export function variantsInput(step: { templateId: string; variants: VariantDraft[]; abTest: AbTestDraft }): {
  variants?: VariantInput[];
  abTest?: AbTest;
} {
  if (step.variants.length === 0) return {};
  const variants = step.variants.map((v, j) => ({ templateId: j === 0 ? step.templateId : v.templateId, percent: Number(v.percent) }));
  const t = step.abTest;
  if (!t.on) return { variants };
  return {
    variants,
    abTest: {
      samplePercent: Number(t.samplePercent),
      metric: t.metric,
      decideAfterSeconds: decideAfterSeconds(t),
      ...(t.minSample.trim() !== '' && { minSamplePerVariant: Number(t.minSample) }),
    },
  };
}

/** A saved step's test back into the wizard. */
export function variantsDraft(step: Pick<CampaignStep, 'channel' | 'variants' | 'abTest'>): {
  variants: VariantDraft[];
  abTest: AbTestDraft;
} {
  const variants = (step.variants ?? []).map((v) => newVariant(v.templateId, String(v.percent)));
  const t = step.abTest;
  if (!t) return { variants, abTest: initialAbTest(step.channel) };
  return {
    variants,
    abTest: {
      on: true,
      samplePercent: String(t.samplePercent),
      metric: t.metric,
      ...decideAfterDraft(t.decideAfterSeconds),
      minSample: t.minSamplePerVariant === undefined || t.minSamplePerVariant === DEFAULT_MIN_SAMPLE ? '' : String(t.minSamplePerVariant),
    },
  };
}

/** "after 1 day", "after 6 hours", "after 90 minutes". */
export function decideAfterWords(seconds: number): string {
  const unit = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
  if (seconds % 86_400 === 0) return unit(seconds / 86_400, 'day');
  if (seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  return unit(Math.round(seconds / 60), 'minute');
}
