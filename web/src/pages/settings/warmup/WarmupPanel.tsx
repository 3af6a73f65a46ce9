import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../../../api';
import { ConfirmButton } from '../../../components/ConfirmButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { ProgressBar } from '../../../components/ProgressBar';
import { notify } from '../../../components/toast';
import { formatNumber } from '../../../format';
import { Warmup, WarmupSender, warmupPath, warmupQueryKey } from './types';
import { WarmupForm } from './WarmupForm';
import { warmupSentence } from './warmupWords';

/** The sender's ramp, or null: the API answers 404 `not_found` for a sender without one (an unknown sender is another code). */
async function fetchWarmup(sender: WarmupSender): Promise<Warmup | null> {
  try {
    return await api<Warmup>('GET', warmupPath(sender));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === 'not_found') return null;
    throw error;
  }
}

/**
 * The "Warm-up" part of a channel or mailbox row: "Start warm-up" without a ramp; with one, where it stands
 * in words and a bar (today's cap on the way to the target), Change and Stop.
 */
export function WarmupPanel({ sender, canStart = true }: { sender: WarmupSender; canStart?: boolean }) {
  const queryClient = useQueryClient();
  const key = warmupQueryKey(sender);
  const warmup = useQuery({
    queryKey: key,
    queryFn: () => fetchWarmup(sender),
    // Sending moves "used (last 24 h)" and the day turns: a running ramp is re-read every minute.
    refetchInterval: (q) => (q.state.data && !q.state.data.complete ? 60_000 : false),
  });
  const [editing, setEditing] = useState(false);
  const stop = useMutation({
    mutationFn: () => api<void>('DELETE', warmupPath(sender)),
    onSuccess: () => {
      queryClient.setQueryData(key, null);
      notify.success(`Warm-up of ${sender.name} stopped: its own daily cap applies again`);
    },
    // Stopped elsewhere meanwhile, or not at all: show what the server has now.
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });

  if (warmup.error) return <p className="row-error">The warm-up could not be loaded: {warmup.error.message}</p>;
  if (warmup.data === undefined) return null;
  const w = warmup.data;

  if (editing)
    return (
      <WarmupForm
        sender={sender}
        current={w ?? undefined}
        onCancel={() => setEditing(false)}
        onDone={(saved) => {
          setEditing(false);
          notify.success(
            w
              ? `Warm-up of ${sender.name} changed: ${formatNumber(saved.capToday)} today`
              : `Warm-up of ${sender.name} started: ${formatNumber(saved.capToday)} today`,
          );
        }}
      />
    );

  if (!w)
    return canStart ? (
      <div className="warmup" data-testid="warmup">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setEditing(true)}
          aria-label={`Start a warm-up of ${sender.name}`}
          title="Start with a low daily cap that grows each day, so providers learn to trust this sender"
        >
          Start warm-up
        </button>
      </div>
    ) : null;

  // The sender's own cap still applies: say so when it, not the ramp, is what limits today.
  const ownCapLower = sender.dailyCap !== undefined && sender.dailyCap < w.capToday;
  return (
    <div className="warmup" data-testid="warmup" aria-busy={stop.isPending}>
      <p className="warmup-line" data-testid="warmup-progress">
        {warmupSentence(w)}
        {ownCapLower && <span className="muted"> · its own cap of {formatNumber(sender.dailyCap!)}/day is lower</span>}
      </p>
      {!w.complete && (
        <ProgressBar
          done={w.capToday}
          total={w.targetPerDay}
          label={`Warm-up of ${sender.name}: today’s cap on the way to the target`}
          text={`${formatNumber(w.capToday)}/day of ${formatNumber(w.targetPerDay)}/day`}
        />
      )}
      <div className="warmup-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setEditing(true)}
          disabled={stop.isPending}
          aria-label={`Change the warm-up of ${sender.name}`}
        >
          Change
        </button>
        <ConfirmButton
          danger
          className="btn btn-small btn-danger-ghost"
          title={`Stop the warm-up of ${sender.name}?`}
          message="Its own daily cap applies again at once, so campaigns sending with it may speed up."
          confirmLabel="Stop warm-up"
          onConfirm={() => stop.mutate()}
          disabled={stop.isPending}
          ariaLabel={`Stop the warm-up of ${sender.name}`}
        >
          {stop.isPending ? 'Stopping…' : 'Stop warm-up'}
        </ConfirmButton>
      </div>
      {stop.error && <ErrorBanner error={stop.error} onDismiss={() => stop.reset()} />}
    </div>
  );
}
