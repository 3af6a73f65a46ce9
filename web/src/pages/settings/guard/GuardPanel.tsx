import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../../../api';
import { ConfirmButton } from '../../../components/ConfirmButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { notify } from '../../../components/toast';
import { formatNumber } from '../../../format';
import { GuardForm } from './GuardForm';
import { pausedSentence, periodWords, ratesSentence, sampleNote } from './guardWords';
import { fetchGuard, Guard, guardAnchor, GUARD_REFRESH_MS, GuardSender, guardPath, guardQueryKey } from './types';

/**
 * The "Deliverability" part of a channel or mailbox row: its rates against the thresholds, whether enough
 * messages went out to judge, and, when the guard paused the sender, the reason in red with "Resume sending".
 */
export function GuardPanel({ sender }: { sender: GuardSender }) {
  const queryClient = useQueryClient();
  const key = guardQueryKey(sender);
  const guard = useQuery({ queryKey: key, queryFn: () => fetchGuard(sender), refetchInterval: GUARD_REFRESH_MS });
  const [editing, setEditing] = useState(false);
  // The campaign page's "Resume it in Settings" links to this sender: bring it into view once it is shown.
  const anchor = guardAnchor(sender);
  const shown = useRef<HTMLDivElement>(null);
  const loaded = guard.data !== undefined;
  useEffect(() => {
    if (loaded && window.location.hash === `#${anchor}`) shown.current?.scrollIntoView({ block: 'center' });
  }, [loaded, anchor]);
  const resume = useMutation({
    mutationFn: () => api<Guard>('POST', `${guardPath(sender)}/resume`),
    onSuccess: (g) => {
      queryClient.setQueryData(key, g);
      notify.success(`${sender.name} sends again: its campaigns resume, and its rates count afresh from now`);
    },
    onError: (error) => {
      // Resumed elsewhere meanwhile: nothing went wrong, the page was only behind.
      if (error instanceof ApiError && error.code === 'sender_not_paused') {
        resume.reset();
        notify.info(`${sender.name} was already sending again`);
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });

  if (guard.error) return <p className="row-error">The deliverability guard could not be loaded: {guard.error.message}</p>;
  if (!guard.data) return null;
  const g = guard.data;

  if (editing)
    return (
      <GuardForm
        sender={sender}
        current={g}
        onCancel={() => setEditing(false)}
        onDone={(saved, how) => {
          setEditing(false);
          notify.success(
            how === 'reset'
              ? `Deliverability thresholds of ${sender.name} are back to the defaults`
              : saved.enabled
                ? `Deliverability thresholds of ${sender.name} saved`
                : `Deliverability guard of ${sender.name} saved, and off: it will not pause ${sender.name}`,
          );
        }}
      />
    );

  const paused = g.state === 'paused';
  const note = sampleNote(g.metrics, g.thresholds);
  return (
    <div id={anchor} ref={shown} className={paused ? 'guard guard-paused' : 'guard'} data-testid="guard" aria-busy={resume.isPending}>
      {paused && (
        <div className="guard-alert" data-testid="guard-paused">
          <p className="guard-reason">{pausedSentence(g)}</p>
          <p className="guard-consequence">Every campaign that sends with {sender.name} waits until you resume it.</p>
          <ConfirmButton
            className="btn btn-small btn-primary"
            title={`Resume sending with ${sender.name}?`}
            message={
              <>
                <p>Campaigns that send with {sender.name} start sending again at once.</p>
                <p>
                  The guard counts its rates afresh from now, so the messages that paused it no longer count. If the cause is not fixed, it
                  pauses {sender.name} again once {formatNumber(g.thresholds.minSample)} new messages show the same.
                </p>
              </>
            }
            confirmLabel="Resume sending"
            onConfirm={() => resume.mutate()}
            disabled={resume.isPending}
            ariaLabel={`Resume sending with ${sender.name}`}
          >
            {resume.isPending ? 'Resuming…' : 'Resume sending'}
          </ConfirmButton>
        </div>
      )}
      <p className="guard-line" data-testid="guard-rates">
        <span className="guard-label">Deliverability</span> <span className="muted">({periodWords(g.metrics)})</span>:{' '}
        {ratesSentence(g.metrics, g.thresholds)}
      </p>
      {note && (
        <p className="meta" data-testid="guard-sample">
          {note}
        </p>
      )}
      {!g.enabled && (
        <p className="meta" data-testid="guard-off">
          Guard off: the rates are counted, but it never pauses {sender.name}.
        </p>
      )}
      <div className="guard-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setEditing(true)}
          disabled={resume.isPending}
          aria-label={`Adjust the deliverability thresholds of ${sender.name}`}
        >
          Adjust thresholds
        </button>
      </div>
      {resume.error && <ErrorBanner error={resume.error} onDismiss={() => resume.reset()} />}
    </div>
  );
}
