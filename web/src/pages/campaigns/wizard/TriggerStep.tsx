import { useId } from 'react';
import { Field } from '../../../components/Field';
import { formatNumber } from '../../../format';
import type { EventName } from '../../events/types';
import { useEventNames } from '../../events/useEventNames';
import { CONDITION_OPERATORS, ConditionOperator } from '../types';
import {
  CAP_LIMITS,
  ConditionDraft,
  ExitDraft,
  newCondition,
  newExit,
  NUMERIC_OPERATORS,
  ReentryUnit,
  TRIGGER_LIMITS,
  TriggerDraft,
  VALUELESS_OPERATORS,
  ValueKind,
  WizardState,
} from './wizard-state';

export const OPERATOR_LABELS: Record<ConditionOperator, string> = {
  equals: 'equals',
  not_equals: 'does not equal',
  contains: 'contains',
  greater_than: 'is greater than',
  less_than: 'is less than',
  exists: 'exists',
  not_exists: 'does not exist',
};

/** The suggestions list an event name input points to (`list=`): each name with how often it was seen. */
function EventNameOptions({ id, names }: { id: string; names: EventName[] | undefined }) {
  return (
    <datalist id={id}>
      {names?.map((n) => (
        <option key={n.name} value={n.name}>
          {`${formatNumber(n.count)} in the last 30 days`}
        </option>
      ))}
    </datalist>
  );
}

/** Property conditions (all must hold): path, operator, and a typed value unless the operator needs none. */
function ConditionRows({
  label,
  conditions,
  problems,
  problemPrefix,
  onChange,
}: {
  /** "Condition" or "Exit 1 condition": each field is labelled "<label> <n> property" etc. */
  label: string;
  conditions: ConditionDraft[];
  problems: Record<string, string>;
  problemPrefix: string;
  onChange: (conditions: ConditionDraft[]) => void;
}) {
  const set = (i: number, patch: Partial<ConditionDraft>) => onChange(conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <div className="trigger-conditions">
      {conditions.map((c, i) => {
        const name = `${label} ${i + 1}`;
        const valueless = VALUELESS_OPERATORS.includes(c.operator);
        const numeric = NUMERIC_OPERATORS.includes(c.operator);
        const kind: ValueKind = numeric ? 'number' : c.valueKind;
        return (
          <div className="trigger-condition" key={c.key} data-testid="trigger-condition">
            <Field label={`${name} property`} error={problems[`${problemPrefix}property-${i}`]}>
              {(p) => (
                <input
                  {...p}
                  value={c.property}
                  maxLength={TRIGGER_LIMITS.property}
                  placeholder="plan, cart.total"
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => set(i, { property: e.target.value })}
                />
              )}
            </Field>
            <Field label={`${name} operator`}>
              {(p) => (
                <select {...p} value={c.operator} onChange={(e) => set(i, { operator: e.target.value as ConditionOperator })}>
                  {CONDITION_OPERATORS.map((o) => (
                    <option key={o} value={o}>
                      {OPERATOR_LABELS[o]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {!valueless && !numeric && (
              <Field label={`${name} type`}>
                {(p) => (
                  <select
                    {...p}
                    value={c.valueKind}
                    onChange={(e) => {
                      const valueKind = e.target.value as ValueKind;
                      set(i, { valueKind, value: valueKind === 'boolean' ? 'true' : c.value });
                    }}
                  >
                    <option value="text">Text</option>
                    <option value="number">Number</option>
                    <option value="boolean">True / false</option>
                  </select>
                )}
              </Field>
            )}
            {!valueless && (
              <Field label={`${name} value`} error={problems[`${problemPrefix}value-${i}`]}>
                {(p) =>
                  kind === 'boolean' ? (
                    <select {...p} value={c.value} onChange={(e) => set(i, { value: e.target.value })}>
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </select>
                  ) : (
                    <input
                      {...p}
                      type={kind === 'number' ? 'number' : 'text'}
                      step="any"
                      value={c.value}
                      autoComplete="off"
                      onChange={(e) => set(i, { value: e.target.value })}
                    />
                  )
                }
              </Field>
            )}
            <button
              type="button"
              className="btn btn-small btn-danger-ghost trigger-remove"
              onClick={() => onChange(conditions.filter((_, j) => j !== i))}
              aria-label={`Remove ${name}`}
            >
              Remove
            </button>
          </div>
        );
      })}
      {problems[`${problemPrefix}conditions`] && <p className="field-error">{problems[`${problemPrefix}conditions`]}</p>}
      <div>
        <button
          type="button"
          className="btn btn-small"
          disabled={conditions.length >= TRIGGER_LIMITS.conditions}
          onClick={() => onChange([...conditions, newCondition()])}
        >
          + Add a condition{label === 'Condition' ? '' : ` to ${label.replace(/ condition$/, '')}`}
        </button>
      </div>
    </div>
  );
}

function ExitRows({
  exits,
  problems,
  namesId,
  onChange,
}: {
  exits: ExitDraft[];
  problems: Record<string, string>;
  namesId: string;
  onChange: (exits: ExitDraft[]) => void;
}) {
  const set = (i: number, patch: Partial<ExitDraft>) => onChange(exits.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  return (
    <>
      {exits.length === 0 && <p className="muted">None: an enrolled lead goes through every step.</p>}
      {exits.map((exit, i) => (
        <div className="trigger-exit" key={exit.key} data-testid="trigger-exit">
          <div className="trigger-exit-head">
            <Field label={`Exit event ${i + 1} name`} error={problems[`exit-${i}-event`]}>
              {(p) => (
                <input
                  {...p}
                  list={namesId}
                  value={exit.event}
                  maxLength={100}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => set(i, { event: e.target.value })}
                />
              )}
            </Field>
            <button
              type="button"
              className="btn btn-small btn-danger-ghost trigger-remove"
              onClick={() => onChange(exits.filter((_, j) => j !== i))}
              aria-label={`Remove exit event ${i + 1}`}
            >
              Remove
            </button>
          </div>
          <ConditionRows
            label={`Exit ${i + 1} condition`}
            conditions={exit.conditions}
            problems={problems}
            problemPrefix={`exit-${i}-`}
            onChange={(conditions) => set(i, { conditions })}
          />
        </div>
      ))}
      {problems.exitOn && <p className="field-error">{problems.exitOn}</p>}
      <div>
        <button
          type="button"
          className="btn"
          disabled={exits.length >= TRIGGER_LIMITS.exitOn}
          onClick={() => onChange([...exits, newExit()])}
        >
          + Add an exit event
        </button>
      </div>
    </>
  );
}

/**
 * A triggered campaign's trigger: the event that enrolls its lead (names seen recently are suggested), the
 * property conditions, whether a lead may enroll again, the events that make a lead leave, and the frequency cap.
 */
export function TriggerStep({
  state,
  problems,
  onChange,
}: {
  state: WizardState;
  problems: Record<string, string>;
  onChange: (patch: Partial<WizardState>) => void;
}) {
  const t = state.trigger;
  const set = (patch: Partial<TriggerDraft>) => onChange({ trigger: { ...t, ...patch } });
  const names = useEventNames();
  const namesId = useId();
  return (
    <div className="form">
      <EventNameOptions id={namesId} names={names.data} />
      <fieldset className="card">
        <legend>The event</legend>
        <Field
          label="Event name"
          error={problems.event}
          hint={
            names.data?.length
              ? 'Names your systems sent in the last 30 days are suggested.'
              : 'The name your systems send with POST /api/v1/events or the n8n Cadence Event node (e.g. signup).'
          }
        >
          {(p) => (
            <input
              {...p}
              list={namesId}
              value={t.event}
              maxLength={100}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => set({ event: e.target.value })}
            />
          )}
        </Field>
        <p className="muted">Only if every condition holds on the event’s properties (none: every such event enrolls).</p>
        <ConditionRows
          label="Condition"
          conditions={t.conditions}
          problems={problems}
          problemPrefix=""
          onChange={(conditions) => set({ conditions })}
        />
      </fieldset>

      <fieldset className="card">
        <legend>Re-entry</legend>
        <div className="wizard-choices">
          <label className="check">
            <input type="radio" name="reentry" checked={t.reentry === 'never'} onChange={() => set({ reentry: 'never' })} />
            Never: a lead enrolls once, ever
          </label>
          <label className="check">
            <input type="radio" name="reentry" checked={t.reentry === 'after_exit'} onChange={() => set({ reentry: 'after_exit' })} />
            Again, once the lead’s previous enrollment has ended (completed or exited)
          </label>
        </div>
        {t.reentry === 'after_exit' && (
          <div className="form-row">
            <Field
              label="Minimum time between entries"
              error={problems.reentryAfter}
              hint="Counted from the previous entry; empty: no minimum"
            >
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={0}
                  step="any"
                  value={t.reentryAfter}
                  onChange={(e) => set({ reentryAfter: e.target.value })}
                />
              )}
            </Field>
            <Field label="Unit">
              {(p) => (
                <select {...p} value={t.reentryAfterUnit} onChange={(e) => set({ reentryAfterUnit: e.target.value as ReentryUnit })}>
                  <option value="minutes">Minutes</option>
                  <option value="hours">Hours</option>
                  <option value="days">Days</option>
                </select>
              )}
            </Field>
          </div>
        )}
      </fieldset>

      <fieldset className="card">
        <legend>Leaving the campaign</legend>
        <p className="muted">An exit event ends the lead’s enrollment: its remaining steps are skipped and it shows as exited.</p>
        <ExitRows exits={t.exitOn} problems={problems} namesId={namesId} onChange={(exitOn) => set({ exitOn })} />
      </fieldset>

      <fieldset className="card">
        <legend>Frequency cap</legend>
        <p className="muted">
          A message of this campaign is skipped when its lead already got this many messages on that channel, from any campaign, in the
          period. Empty: no cap.
        </p>
        {problems.frequencyCap && <p className="field-error">{problems.frequencyCap}</p>}
        <div className="form-row">
          <Field
            label="Messages per lead and channel"
            error={problems.capLimit}
            hint={`${CAP_LIMITS.limit.min} to ${CAP_LIMITS.limit.max}`}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={CAP_LIMITS.limit.min}
                max={CAP_LIMITS.limit.max}
                step={1}
                value={t.capLimit}
                onChange={(e) => set({ capLimit: e.target.value })}
              />
            )}
          </Field>
          <Field
            label="Period (hours)"
            error={problems.capPeriodHours}
            hint={`${CAP_LIMITS.periodHours.min} to ${CAP_LIMITS.periodHours.max.toLocaleString()}`}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={CAP_LIMITS.periodHours.min}
                max={CAP_LIMITS.periodHours.max}
                step={1}
                value={t.capPeriodHours}
                onChange={(e) => set({ capPeriodHours: e.target.value })}
              />
            )}
          </Field>
        </div>
      </fieldset>
    </div>
  );
}
