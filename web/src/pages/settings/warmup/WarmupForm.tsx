import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../../api';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { formatNumber } from '../../../format';
import { fieldErrors } from '../channels/fieldErrors';
import { Warmup, WarmupInput, WarmupSender, warmupPath, warmupQueryKey } from './types';
import { checkWarmup, daysToTarget, WarmupDraft } from './warmupChecks';
import { shortDate } from './warmupWords';

const DAY_MS = 86_400_000;

/** A first ramp: gentle enough for a new domain or number, up to the sender's own cap when it has one. */
function defaults(sender: WarmupSender): WarmupDraft {
  const target = sender.dailyCap ?? 500;
  return { startPerDay: String(Math.min(20, target)), growthPercent: '20', targetPerDay: String(target) };
}

/**
 * Starts a warm-up (`current` absent) or changes one. A change sends no start time, so the ramp keeps its
 * day and the new numbers apply from today; a start begins now.
 */
export function WarmupForm({
  sender,
  current,
  onDone,
  onCancel,
}: {
  sender: WarmupSender;
  current?: Warmup;
  onDone: (w: Warmup) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const headingId = useId();
  const [draft, setDraft] = useState<WarmupDraft>(() =>
    current
      ? {
          startPerDay: String(current.startPerDay),
          growthPercent: String(current.growthPercent),
          targetPerDay: String(current.targetPerDay),
        }
      : defaults(sender),
  );
  // Checked as typed only after a first Save: no red before the person is done typing.
  const [submitted, setSubmitted] = useState(false);
  const checked = checkWarmup(draft);
  // A new ramp starts when saved: the preview dates it from when the form opened, close enough for a day count.
  const [openedAt] = useState(() => Date.now());

  const save = useMutation({
    mutationFn: (input: WarmupInput) => api<Warmup>('PUT', warmupPath(sender), input),
    onSuccess: (w) => {
      queryClient.setQueryData(warmupQueryKey(sender), w);
      onDone(w);
    },
  });
  const server = fieldErrors(save.error);
  const error = (field: keyof WarmupDraft) => (submitted && checked.errors?.[field]) || server[field];

  const set = (field: keyof WarmupDraft) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setDraft((d) => ({ ...d, [field]: e.target.value }));
    // The API's answer was about the values sent: once they change it no longer applies.
    if (save.error) save.reset();
  };

  // A target above the sender's own cap is allowed, but the lower of the two is what sends: say so there.
  const aboveOwnCap = sender.dailyCap !== undefined && checked.input !== undefined && checked.input.targetPerDay > sender.dailyCap;
  const targetHint = aboveOwnCap
    ? `${sender.name}’s own daily cap (${formatNumber(sender.dailyCap!)}) still applies.`
    : 'The daily cap once the ramp is over.';
  let preview: string | null = null;
  if (checked.input) {
    const days = daysToTarget(checked.input);
    const startedAt = current ? new Date(current.startedAt).getTime() : openedAt;
    const target = `${formatNumber(checked.input.targetPerDay)}/day`;
    preview =
      current && current.day >= days
        ? `Today is day ${current.day}: the cap is ${target} from now on.`
        : `${current ? `Today is day ${current.day}. ` : ''}Reaches ${target} on day ${days} (${shortDate(new Date(startedAt + days * DAY_MS).toISOString())}).`;
  }

  return (
    <form
      className="inline-form form warmup-form"
      aria-labelledby={headingId}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (checked.input) save.mutate(checked.input);
      }}
    >
      <h3 id={headingId}>{current ? `Change the warm-up of ${sender.name}` : `Start a warm-up of ${sender.name}`}</h3>
      <p className="muted">
        The daily cap starts low and grows each day, so providers learn to trust a new sender. It counts every campaign that sends with it.
      </p>
      <div className="form-row">
        <Field label="First day (messages)" hint="The cap on day 0." error={error('startPerDay')}>
          {(p) => (
            <input
              {...p}
              name="startPerDay"
              inputMode="numeric"
              autoComplete="off"
              value={draft.startPerDay}
              onChange={set('startPerDay')}
            />
          )}
        </Field>
        <Field label="Daily growth (%)" hint="How much the cap grows each day." error={error('growthPercent')}>
          {(p) => (
            <input
              {...p}
              name="growthPercent"
              inputMode="decimal"
              autoComplete="off"
              value={draft.growthPercent}
              onChange={set('growthPercent')}
            />
          )}
        </Field>
        <Field label="Target per day" hint={targetHint} error={error('targetPerDay')}>
          {(p) => (
            <input
              {...p}
              name="targetPerDay"
              inputMode="numeric"
              autoComplete="off"
              value={draft.targetPerDay}
              onChange={set('targetPerDay')}
            />
          )}
        </Field>
      </div>
      {preview && (
        <p className="meta" aria-live="polite">
          {preview}
        </p>
      )}
      {save.error && <ErrorBanner error={save.error} onDismiss={() => save.reset()} />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : current ? 'Save changes' : 'Start warm-up'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
