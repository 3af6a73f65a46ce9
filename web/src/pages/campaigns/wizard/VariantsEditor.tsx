import { Field } from '../../../components/Field';
import type { AbMetric } from '../types';
import type { TemplateSummary } from './wizard-api';
import type { StepDraft } from './wizard-state';
import {
  AB_LIMITS,
  DecideUnit,
  DEFAULT_MIN_SAMPLE,
  METRIC_NAMES,
  metricsFor,
  newVariant,
  percentSum,
  splitEvenly,
  startVariants,
  VARIANT_LABELS,
} from './variants';

/**
 * A step's A/B test: 2 to 5 variants (A is the step's template) with their share of the leads, and optionally a test
 * on a sample first, the rest waiting for the winner by the chosen metric. The checks mirror the server's.
 */
export function VariantsEditor({
  step,
  index,
  templates,
  problems,
  onChange,
}: {
  step: StepDraft;
  index: number;
  templates: TemplateSummary[] | undefined;
  problems: Record<string, string>;
  onChange: (patch: Partial<StepDraft>) => void;
}) {
  const label = `Step ${index + 1}`;
  const vs = step.variants;
  const on = vs.length > 0;
  const t = step.abTest;
  const setVariant = (j: number, patch: Partial<(typeof vs)[number]>) =>
    onChange({ variants: vs.map((v, k) => (k === j ? { ...v, ...patch } : v)) });
  const setTest = (patch: Partial<typeof t>) => onChange({ abTest: { ...t, ...patch } });
  const sum = percentSum(vs);
  const templateA = templates?.find((x) => x.id === step.templateId)?.name;
  const problem = (key: string) => problems[key];
  return (
    <fieldset className="ab-test" data-testid="ab-test">
      <legend className="sr-only">{label} A/B test</legend>
      <label className="check">
        <input type="checkbox" checked={on} onChange={(e) => onChange({ variants: e.target.checked ? startVariants() : [] })} />
        A/B test: send 2 to 5 variants of this step
      </label>
      {on && (
        <>
          <div className="ab-variants">
            {vs.map((v, j) => {
              const name = VARIANT_LABELS[j]!;
              return (
                <div className="ab-variant" key={v.key} data-testid="variant-row" data-label={name}>
                  <span className="ab-variant-label" aria-hidden="true">
                    {name}
                  </span>
                  {j === 0 ? (
                    <div className="field ab-variant-a">
                      <span className="ab-variant-a-label">Variant A template</span>
                      <p data-testid="variant-a-template">{templateA ?? 'The step’s template (choose it above)'}</p>
                      {problem(`variant-${index}-0-template`) && <p className="field-error">{problem(`variant-${index}-0-template`)}</p>}
                    </div>
                  ) : (
                    <Field label={`${label} variant ${name} template`} error={problem(`variant-${index}-${j}-template`)}>
                      {(p) => (
                        <select {...p} value={v.templateId} onChange={(e) => setVariant(j, { templateId: e.target.value })}>
                          <option value="">Choose a template…</option>
                          {templates?.map((x) => (
                            <option key={x.id} value={x.id}>
                              {x.name}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                  )}
                  <Field label={`${label} variant ${name} percent`} error={problem(`variant-${index}-${j}-percent`)}>
                    {(p) => (
                      <input
                        {...p}
                        type="number"
                        min={AB_LIMITS.percent.min}
                        max={AB_LIMITS.percent.max}
                        step={1}
                        value={v.percent}
                        onChange={(e) => setVariant(j, { percent: e.target.value })}
                      />
                    )}
                  </Field>
                  {j > 0 && (
                    <button
                      type="button"
                      className="btn btn-small btn-danger-ghost"
                      onClick={() => onChange({ variants: vs.filter((_, k) => k !== j) })}
                      disabled={vs.length <= AB_LIMITS.variants.min}
                      aria-label={`Remove ${label} variant ${name}`}
                    >
                      Remove
                    </button>
                  )}
                </div>
              );
            })}
          </div>
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-small"
              disabled={vs.length >= AB_LIMITS.variants.max}
              onClick={() => onChange({ variants: [...vs, newVariant()] })}
            >
              + Add a variant
            </button>
            <button type="button" className="btn btn-small" onClick={() => onChange({ variants: splitEvenly(vs) })}>
              Split evenly
            </button>
            <span className={sum === 100 ? 'row-ok ab-sum' : 'field-error ab-sum'} role="status" data-testid={`variants-sum-${index}`}>
              {sum === 100 ? 'Total 100%' : `Total ${sum}%: must total 100%`}
            </span>
          </div>
          {problem(`variants-${index}`) && <p className="field-error">{problem(`variants-${index}`)}</p>}
          <label className="check">
            <input type="checkbox" checked={t.on} onChange={(e) => setTest({ on: e.target.checked })} />
            Test on a sample first: the rest of the leads wait and get the winner
          </label>
          {t.on && (
            <div className="form-row ab-sample">
              <Field
                label={`${label} sample (%)`}
                hint="Of the leads, split between the variants"
                error={problem(`abTest-${index}-samplePercent`)}
              >
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={AB_LIMITS.samplePercent.min}
                    max={AB_LIMITS.samplePercent.max}
                    step={1}
                    value={t.samplePercent}
                    onChange={(e) => setTest({ samplePercent: e.target.value })}
                  />
                )}
              </Field>
              <Field
                label={`${label} winner by`}
                hint={step.channel === 'email' ? undefined : 'Opens and clicks are tracked for email only'}
                error={problem(`abTest-${index}-metric`)}
              >
                {(p) => (
                  <select {...p} value={t.metric} onChange={(e) => setTest({ metric: e.target.value as AbMetric })}>
                    {metricsFor(step.channel).map((m) => (
                      <option key={m} value={m}>
                        {METRIC_NAMES[m]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={`${label} decide after`} error={problem(`abTest-${index}-decideAfter`)}>
                {(p) => (
                  <span className="ab-decide">
                    <input
                      {...p}
                      type="number"
                      min={0}
                      step="any"
                      value={t.decideAfter}
                      onChange={(e) => setTest({ decideAfter: e.target.value })}
                    />
                    <select
                      aria-label={`${label} decide after unit`}
                      value={t.decideAfterUnit}
                      onChange={(e) => setTest({ decideAfterUnit: e.target.value as DecideUnit })}
                    >
                      <option value="hours">hours</option>
                      <option value="days">days</option>
                    </select>
                  </span>
                )}
              </Field>
              <Field
                label={`${label} minimum per variant`}
                hint={`Messages each variant needs before a winner is named (default ${DEFAULT_MIN_SAMPLE})`}
                error={problem(`abTest-${index}-minSample`)}
              >
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={AB_LIMITS.minSample.min}
                    max={AB_LIMITS.minSample.max}
                    step={1}
                    placeholder={String(DEFAULT_MIN_SAMPLE)}
                    value={t.minSample}
                    onChange={(e) => setTest({ minSample: e.target.value })}
                  />
                )}
              </Field>
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}
