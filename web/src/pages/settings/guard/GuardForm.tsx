import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../../api';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { formatNumber } from '../../../format';
import { fieldErrors } from '../channels/fieldErrors';
import { changes, checkGuard, draftOf, GuardDraft } from './guardChecks';
import { thresholdPercent } from './guardWords';
import { Guard, GUARD_DEFAULTS, GuardInput, GuardSender, guardPath, guardQueryKey } from './types';

type FieldProps = Parameters<React.ComponentProps<typeof Field>['children']>[0];

const D = GUARD_DEFAULTS;
const DEFAULTS_WORDS = `${thresholdPercent(D.bounceRate)} bounces, ${thresholdPercent(D.complaintRate)} complaints, ${thresholdPercent(D.rejectionRate)} rejected, over ${formatNumber(D.minSample)} messages`;
/** Back to the defaults: null follows them, even if they change later. The on/off switch stays as it is. */
const RESET: GuardInput = { bounceRate: null, complaintRate: null, rejectionRate: null, minSample: null };

/**
 * Changes a sender's guard: its thresholds (typed as percentages, sent as fractions), the sample they need
 * and whether it may pause the sender at all. Only what changed is sent; "Reset thresholds to defaults" sends nulls.
 */
export function GuardForm({
  sender,
  current,
  onDone,
  onCancel,
}: {
  sender: GuardSender;
  current: Guard;
  onDone: (saved: Guard, how: 'saved' | 'reset') => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const headingId = useId();
  const [draft, setDraft] = useState<GuardDraft>(() => draftOf(current.thresholds));
  const [enabled, setEnabled] = useState(current.enabled);
  // Checked as typed only after a first Save: no red before the person is done typing.
  const [submitted, setSubmitted] = useState(false);
  const checked = checkGuard(draft);

  const save = useMutation({
    mutationFn: ({ input }: { input: GuardInput; how: 'saved' | 'reset' }) => api<Guard>('PATCH', guardPath(sender), input),
    onSuccess: (saved, { how }) => {
      queryClient.setQueryData(guardQueryKey(sender), saved);
      onDone(saved, how);
    },
  });
  const server = fieldErrors(save.error);
  const error = (field: keyof GuardDraft) => (submitted && checked.errors?.[field]) || server[field];

  const set = (field: keyof GuardDraft) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setDraft((d) => ({ ...d, [field]: e.target.value }));
    // The API's answer was about the values sent: once they change it no longer applies.
    if (save.error) save.reset();
  };
  const percentInput = (field: 'bounceRate' | 'complaintRate' | 'rejectionRate') => (p: FieldProps) => (
    <input {...p} name={field} inputMode="decimal" autoComplete="off" value={draft[field]} onChange={set(field)} />
  );

  return (
    <form
      className="inline-form form guard-form"
      aria-labelledby={headingId}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (!checked.thresholds) return;
        const input = changes(current, checked.thresholds, enabled);
        if (Object.keys(input).length === 0) return onCancel();
        save.mutate({ input, how: 'saved' });
      }}
    >
      <h3 id={headingId}>Deliverability thresholds of {sender.name}</h3>
      <p className="muted">
        Over the last 24 hours, once enough messages went out, a rate above its threshold pauses {sender.name} for every campaign that sends
        with it, until you resume it.
      </p>
      <label className="check guard-switch">
        <input
          type="checkbox"
          role="switch"
          name="enabled"
          checked={enabled}
          onChange={(e) => {
            setEnabled(e.target.checked);
            if (save.error) save.reset();
          }}
        />
        Pause {sender.name} when a rate crosses its threshold
      </label>
      {!enabled && <p className="meta">Off: the rates are still counted and shown, but nothing pauses {sender.name}.</p>}
      <div className="form-row">
        <Field
          label="Bounces (%)"
          hint={`Accepted, then failed (bounces, undelivered texts), of accepted messages. Default ${thresholdPercent(D.bounceRate)}.`}
          error={error('bounceRate')}
        >
          {percentInput('bounceRate')}
        </Field>
        <Field
          label="Complaints (%)"
          hint={`Marked as spam, of accepted messages. Default ${thresholdPercent(D.complaintRate)} (Gmail’s limit).`}
          error={error('complaintRate')}
        >
          {percentInput('complaintRate')}
        </Field>
        <Field
          label="Rejected (%)"
          hint={`Refused by the provider when sent, of all sends. Default ${thresholdPercent(D.rejectionRate)}.`}
          error={error('rejectionRate')}
        >
          {percentInput('rejectionRate')}
        </Field>
        <Field
          label="Minimum messages"
          hint={`No rate counts before this many messages in the period. Default ${formatNumber(D.minSample)}.`}
          error={error('minSample')}
        >
          {(p) => (
            <input {...p} name="minSample" inputMode="numeric" autoComplete="off" value={draft.minSample} onChange={set('minSample')} />
          )}
        </Field>
      </div>
      {save.error && <ErrorBanner error={save.error} onDismiss={() => save.reset()} />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending && save.variables?.how === 'saved' ? 'Saving…' : 'Save thresholds'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={save.isPending}
          title={`Back to ${DEFAULTS_WORDS}; the on/off switch stays as saved`}
          onClick={() => save.mutate({ input: RESET, how: 'reset' })}
        >
          {save.isPending && save.variables?.how === 'reset' ? 'Resetting…' : 'Reset thresholds to defaults'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
