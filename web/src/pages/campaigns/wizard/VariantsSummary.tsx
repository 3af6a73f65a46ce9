import { useTemplates } from './wizard-api';
import { CHANNEL_NAMES, StepDraft, WizardState } from './wizard-state';
import { decideAfterSeconds, DEFAULT_MIN_SAMPLE, decideAfterWords, METRIC_NAMES, VARIANT_LABELS } from './variants';

/** The Review step's A/B tests, one line per step that has variants: the split, and the sample test if any. */
export function VariantsSummary({ state }: { state: WizardState }) {
  const tested = state.steps.map((step, i) => ({ step, i })).filter(({ step }) => step.variants.length > 0);
  if (tested.length === 0) return null;
  return (
    <section className="card" aria-labelledby="variants-review-heading" data-testid="review-variants">
      <h2 id="variants-review-heading">A/B tests</h2>
      <ul>
        {tested.map(({ step, i }) => (
          <StepVariantsLine key={step.key} step={step} index={i} />
        ))}
      </ul>
    </section>
  );
}

function StepVariantsLine({ step, index }: { step: StepDraft; index: number }) {
  const templates = useTemplates(step.channel);
  const name = (id: string) => templates.data?.find((t) => t.id === id)?.name ?? '…';
  const split = step.variants
    .map((v, j) => `${VARIANT_LABELS[j]} ${name(j === 0 ? step.templateId : v.templateId)} ${v.percent}%`)
    .join(' · ');
  const t = step.abTest;
  return (
    <li data-testid={`review-variants-${index}`}>
      Step {index + 1} ({CHANNEL_NAMES[step.channel]}): {split}.{' '}
      {t.on
        ? `Tested on ${t.samplePercent}% of the leads, winner by ${METRIC_NAMES[t.metric].toLowerCase()} after ${decideAfterWords(decideAfterSeconds(t))} (at least ${t.minSample || DEFAULT_MIN_SAMPLE} messages per variant); the rest get the winner.`
        : 'Every lead gets a variant by these shares.'}
    </li>
  );
}
