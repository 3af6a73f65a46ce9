import { EntityManager, In } from 'typeorm';
import { AppError } from '../../../common/errors/app-error';
import { Template, TemplateChannel } from '../../templates/template.entity';
import type { CampaignStepDto } from '../campaigns.dto';
import { CampaignStep } from '../campaign-step.entity';
import { AbTest, DEFAULT_MIN_SAMPLE_PER_VARIANT } from './ab-test';
import { CampaignStepVariant, VARIANT_LABELS } from './campaign-step-variant.entity';

function invalid(message: string, field: string): AppError {
  return new AppError('validation_failed', message, [{ field, message }]);
}

export interface CheckedVariants {
  variants: Array<{ templateId: string; percent: number }>;
  abTest: AbTest | null;
}

/** What the DTO cannot check about a step's variants: shares, duplicates, the templates' organization and channel. */
export async function checkStepVariants(
  m: EntityManager,
  organizationId: string,
  step: Pick<CampaignStepDto, 'templateId' | 'variants' | 'abTest'>,
  channel: TemplateChannel,
  field: string,
): Promise<CheckedVariants> {
  const variants = step.variants ?? [];
  if (step.abTest && variants.length === 0) throw invalid(`${field}.abTest: an A/B test needs variants`, `${field}.abTest`);
  if (variants.length === 0) return { variants: [], abTest: null };
  if (variants[0].templateId.toLowerCase() !== step.templateId.toLowerCase())
    throw invalid(`${field}.variants[0].templateId: variant A must be the step's templateId`, `${field}.variants[0].templateId`);
  const total = variants.reduce((sum, v) => sum + v.percent, 0);
  if (total !== 100) throw invalid(`${field}.variants: the percents sum to ${total}, not 100`, `${field}.variants`);
  const seen = new Set<string>();
  for (const [i, v] of variants.entries()) {
    const id = v.templateId.toLowerCase();
    if (seen.has(id)) throw invalid(`${field}.variants[${i}].templateId: the same template twice`, `${field}.variants[${i}].templateId`);
    seen.add(id);
  }
  const templates = await m.find(Template, { select: { id: true, channel: true }, where: { organizationId, id: In([...seen]) } });
  const byId = new Map(templates.map((t) => [t.id, t]));
  for (const [i, v] of variants.entries()) {
    const template = byId.get(v.templateId.toLowerCase());
    const at = `${field}.variants[${i}].templateId`;
    if (!template) throw invalid(`${at}: no such template`, at);
    if (template.channel !== channel) throw invalid(`${at}: the template is for ${template.channel}, not ${channel}`, at);
  }
  const ab = step.abTest;
  if (ab && (ab.metric === 'open' || ab.metric === 'click') && channel !== 'email')
    throw invalid(`${field}.abTest.metric: ${ab.metric} is measured for email only`, `${field}.abTest.metric`);
  return {
    variants: variants.map((v) => ({ templateId: v.templateId.toLowerCase(), percent: v.percent })),
    abTest: ab
      ? {
          samplePercent: ab.samplePercent,
          metric: ab.metric,
          decideAfterSeconds: ab.decideAfterSeconds,
          minSamplePerVariant: ab.minSamplePerVariant ?? DEFAULT_MIN_SAMPLE_PER_VARIANT,
        }
      : null,
  };
}

/** Saves the variants of freshly saved steps (labels A… in order). */
export async function saveStepVariants(m: EntityManager, steps: Array<{ step: CampaignStep; variants: CheckedVariants['variants'] }>) {
  const rows = steps.flatMap(({ step, variants }) =>
    variants.map((v, position) =>
      m.create(CampaignStepVariant, {
        organizationId: step.organizationId,
        stepId: step.id,
        templateId: v.templateId,
        percent: v.percent,
        position,
        label: VARIANT_LABELS[position],
      }),
    ),
  );
  if (rows.length > 0) await m.save(rows);
}

/** The variants of some steps, in order, per step id. */
export async function variantsOfSteps(
  m: EntityManager,
  organizationId: string,
  stepIds: string[],
): Promise<Map<string, CampaignStepVariant[]>> {
  const out = new Map<string, CampaignStepVariant[]>();
  if (stepIds.length === 0) return out;
  const rows = await m.find(CampaignStepVariant, { where: { organizationId, stepId: In(stepIds) }, order: { position: 'ASC' } });
  for (const r of rows) out.set(r.stepId, [...(out.get(r.stepId) ?? []), r]);
  return out;
}
