import { Field } from '../../../components/Field';
import type { WizardState } from './wizard-state';

export function NameTypeStep({
  state,
  problems,
  onChange,
}: {
  state: WizardState;
  problems: Record<string, string>;
  onChange: (patch: Partial<WizardState>) => void;
}) {
  return (
    <div className="card form">
      <Field label="Campaign name" error={problems.name}>
        {(p) => <input {...p} value={state.name} maxLength={200} onChange={(e) => onChange({ name: e.target.value })} autoComplete="off" />}
      </Field>
      <fieldset>
        <legend>Type</legend>
        <div className="wizard-choices">
          <label className="check">
            <input
              type="radio"
              name="campaign-type"
              checked={state.type === 'blast'}
              onChange={() => onChange({ type: 'blast', steps: state.steps.slice(0, 1) })}
            />
            Blast: one message to everyone, once
          </label>
          <label className="check">
            <input type="radio" name="campaign-type" checked={state.type === 'sequence'} onChange={() => onChange({ type: 'sequence' })} />
            Sequence: up to 20 steps, each after a delay
          </label>
          <label className="check">
            <input
              type="radio"
              name="campaign-type"
              checked={state.type === 'triggered'}
              onChange={() => onChange({ type: 'triggered' })}
            />
            Triggered by an event: each matching event enrolls its lead in the steps
          </label>
        </div>
      </fieldset>
    </div>
  );
}
