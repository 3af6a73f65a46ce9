/** What an A/B step tests on a sample before the rest get the winner (campaign_steps.ab_test). */
export const AB_METRICS = ['open', 'click', 'reply', 'conversion'] as const;
export type AbMetric = (typeof AB_METRICS)[number];

export interface AbTest {
  samplePercent: number;
  metric: AbMetric;
  decideAfterSeconds: number;
  minSamplePerVariant: number;
}

export const DEFAULT_MIN_SAMPLE_PER_VARIANT = 100;

/** The metric a step's variants are compared on: the test's, else replies (sms, whatsapp, voice) or opens (email). */
export function comparedMetric(channel: string, abTest: AbTest | null): AbMetric {
  return abTest?.metric ?? (channel === 'email' ? 'open' : 'reply');
}
