import { ApiError } from '../../../api';
import type { CampaignSettings } from '../types';

/**
 * The problems a refused save names per settings field (`settings.voicemailScript`, `settings.sendWindow.end`),
 * keyed as the Settings step keys its own (`voicemailScript`, `sendWindow.end`) to sit under the field: a Liquid
 * error with its line and column (`template_invalid`) or a validation message (`validation_failed`). Only those about a value still as it was
 * sent: once the user changes the field, the server has not judged it yet.
 */
export function settingsProblems(error: unknown, sent: CampaignSettings | undefined, now: CampaignSettings): Record<string, string> {
  if (!(error instanceof ApiError) || !sent || !Array.isArray(error.details)) return {};
  // A nested field (`sendWindow.end`) is judged with its setting as a whole (an end is refused for its start):
  // any change to the window ends the verdict.
  const value = (s: CampaignSettings, key: string) => JSON.stringify((s as Record<string, unknown>)[key.split('.')[0]!]);
  const out: Record<string, string> = {};
  for (const d of error.details as Array<{ field?: unknown; message?: unknown; line?: unknown; column?: unknown }>) {
    if (typeof d?.field !== 'string' || !d.field.startsWith('settings.') || typeof d.message !== 'string') continue;
    const key = d.field.slice('settings.'.length);
    if (value(sent, key) !== value(now, key)) continue;
    const where = typeof d.line === 'number' && d.line > 0 ? `Line ${d.line}, column ${String(d.column)}: ` : '';
    out[key] = out[key] ? `${out[key]}; ${where}${d.message}` : `${where}${d.message}`;
  }
  return out;
}

interface SentStep {
  variants?: unknown;
  abTest?: unknown;
}

/**
 * The problems a refused save names about a step's A/B test (`steps[0].variants[1].percent`, `steps[0].variants`,
 * `steps[0].abTest.metric`), keyed as the Steps step keys its own (`variant-0-1-percent`, `variants-0`,
 * `abTest-0-metric`): only while that step's variants and test are still as sent.
 */
export function variantServerProblems(error: unknown, sent: SentStep[] | undefined, now: SentStep[]): Record<string, string> {
  if (!(error instanceof ApiError) || !sent || !Array.isArray(error.details)) return {};
  const same = (i: number) => JSON.stringify([sent[i]?.variants, sent[i]?.abTest]) === JSON.stringify([now[i]?.variants, now[i]?.abTest]);
  const out: Record<string, string> = {};
  for (const d of error.details as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof d?.field !== 'string' || typeof d.message !== 'string') continue;
    const m = /^steps\[(\d+)\]\.(variants|abTest)(?:\[(\d+)\])?(?:\.(\w+))?/.exec(d.field);
    if (!m) continue;
    const i = Number(m[1]);
    if (!same(i)) continue;
    let key: string;
    if (m[2] === 'abTest') key = m[4] ? `abTest-${i}-${ABTEST_FIELDS[m[4]] ?? m[4]}` : `variants-${i}`;
    else if (m[3] !== undefined) key = `variant-${i}-${m[3]}-${m[4] === 'templateId' ? 'template' : 'percent'}`;
    else key = `variants-${i}`;
    out[key] = out[key] ? `${out[key]}; ${d.message}` : d.message;
  }
  return out;
}

/** The API's abTest fields → the wizard's field keys. */
const ABTEST_FIELDS: Record<string, string> = {
  samplePercent: 'samplePercent',
  metric: 'metric',
  decideAfterSeconds: 'decideAfter',
  minSamplePerVariant: 'minSample',
};
