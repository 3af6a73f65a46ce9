import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { Loading } from '../../../components/Loading';
import type { StepChannel } from '../types';
import { senderOptions, useSenders, useTemplates } from './wizard-api';
import { CHANNEL_NAMES, CHANNELS, MAX_STEPS, newStep, StepDraft, WizardState } from './wizard-state';
import { TemplatePreview } from './TemplatePreview';
import { initialAbTest } from './variants';
import { VariantsEditor } from './VariantsEditor';

function StepEditor({
  step,
  index,
  count,
  sequence,
  triggered,
  problems,
  senders,
  onChange,
  onMove,
  onRemove,
}: {
  step: StepDraft;
  index: number;
  count: number;
  sequence: boolean;
  /** A triggered campaign: the first step's delay counts from the event that enrolled the lead. */
  triggered: boolean;
  problems: Record<string, string>;
  senders: ReturnType<typeof useSenders>;
  onChange: (patch: Partial<StepDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const templates = useTemplates(step.channel);
  const options = senderOptions(senders.data, step.channel);
  const label = `Step ${index + 1}`;
  return (
    <fieldset className="card wizard-step-card" data-testid="wizard-step">
      <legend>{label}</legend>
      {sequence && (
        <div className="wizard-step-head">
          <span className="muted">
            {index === 0 ? (triggered ? 'Sent first, after the event' : 'Sent first') : 'Sent after the previous step'}
          </span>
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => onMove(-1)}
              disabled={index === 0}
              aria-label={`Move ${label} up`}
            >
              ↑ Up
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => onMove(1)}
              disabled={index === count - 1}
              aria-label={`Move ${label} down`}
            >
              ↓ Down
            </button>
            <button
              type="button"
              className="btn btn-small btn-danger-ghost"
              onClick={onRemove}
              disabled={count === 1}
              aria-label={`Remove ${label}`}
            >
              Remove
            </button>
          </div>
        </div>
      )}
      <div className="form-row">
        <Field label={`${label} channel`}>
          {(p) => (
            <select
              {...p}
              value={step.channel}
              onChange={(e) => {
                const channel = e.target.value as StepChannel;
                // Another channel's templates: the variants and the test (its metric) start over.
                onChange({ channel, sender: '', templateId: '', variants: [], abTest: initialAbTest(channel) });
              }}
            >
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_NAMES[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={`${label} sender`}
          error={problems[`sender-${index}`]}
          hint={
            !senders.isPending && options.length === 0
              ? `No ${CHANNEL_NAMES[step.channel]} sender yet: connect one in Settings.`
              : undefined
          }
        >
          {(p) => (
            <select {...p} value={step.sender} onChange={(e) => onChange({ sender: e.target.value })}>
              <option value="">Choose a sender…</option>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={`${label} template`}
          error={problems[`template-${index}`]}
          hint={templates.data?.length === 0 ? `No ${CHANNEL_NAMES[step.channel]} template yet: write one in Templates.` : undefined}
        >
          {(p) => (
            <select {...p} value={step.templateId} onChange={(e) => onChange({ templateId: e.target.value })}>
              <option value="">Choose a template…</option>
              {templates.data?.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {templates.error && <ErrorBanner error={templates.error} />}
      <div className="form-row">
        <Field label={`${label} delay (days)`} error={problems[`delay-${index}`]}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={365}
              step={1}
              value={step.delayDays}
              onChange={(e) => onChange({ delayDays: e.target.value })}
            />
          )}
        </Field>
        <Field
          label={`${label} delay (hours)`}
          hint={
            index > 0
              ? 'After the previous step’s outcome'
              : triggered
                ? 'After the event that enrolled the lead'
                : 'After launch (or the start time)'
          }
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={8760}
              step="any"
              value={step.delayHours}
              onChange={(e) => onChange({ delayHours: e.target.value })}
            />
          )}
        </Field>
      </div>
      {index > 0 && (
        <label className="check">
          <input type="checkbox" checked={step.noReply} onChange={(e) => onChange({ noReply: e.target.checked })} />
          Only if the lead has not replied (no_reply)
        </label>
      )}
      <VariantsEditor step={step} index={index} templates={templates.data} problems={problems} onChange={onChange} />
      {step.templateId && <TemplatePreview templateId={step.templateId} />}
    </fieldset>
  );
}

export function StepsStep({
  state,
  problems,
  onChange,
}: {
  state: WizardState;
  problems: Record<string, string>;
  onChange: (patch: Partial<WizardState>) => void;
}) {
  const senders = useSenders();
  const steps = state.steps;
  const set = (next: StepDraft[]) => onChange({ steps: next });
  const sequence = state.type !== 'blast';
  const triggered = state.type === 'triggered';
  return (
    <div className="form">
      {senders.isPending && <Loading what="senders" />}
      {senders.error && <ErrorBanner error={senders.error} />}
      {problems.steps && <p className="field-error">{problems.steps}</p>}
      {steps.map((step, i) => (
        <StepEditor
          key={step.key}
          step={step}
          index={i}
          count={steps.length}
          sequence={sequence}
          triggered={triggered}
          problems={problems}
          senders={senders}
          onChange={(patch) => set(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)))}
          onMove={(by) => {
            const next = [...steps];
            [next[i], next[i + by]] = [next[i + by]!, next[i]!];
            set(next);
          }}
          onRemove={() => set(steps.filter((_, j) => j !== i))}
        />
      ))}
      {sequence && (
        <div>
          <button
            type="button"
            className="btn"
            disabled={steps.length >= MAX_STEPS}
            onClick={() => {
              const last = steps[steps.length - 1]!;
              set([...steps, { ...newStep(last.channel, last.sender), delayDays: '1', noReply: true }]);
            }}
          >
            + Add a step
          </button>
          <span className="muted">
            {' '}
            {steps.length} of {MAX_STEPS}
          </span>
        </div>
      )}
    </div>
  );
}
