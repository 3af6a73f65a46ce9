import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../../api';
import { ConfirmButton } from '../../../components/ConfirmButton';
import { notify } from '../../../components/toast';
import type { Campaign } from '../types';

type Action = 'launch' | 'pause' | 'resume' | 'cancel';

/** What can be done with the campaign in its status; each asks first, and the page follows without a reload. */
export function CampaignActions({ campaign: c }: { campaign: Campaign }) {
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: (action: Action) => api<Partial<Campaign>>('POST', `/campaigns/${c.id}/${action}`),
    onSuccess: (answer, action) => {
      queryClient.setQueryData<Campaign>(['campaign', c.id], (old) => (old ? { ...old, ...answer } : old));
      void queryClient.invalidateQueries({ queryKey: ['campaign', c.id] });
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      notify.success(
        { launch: 'Campaign launched', pause: 'Campaign paused', resume: 'Campaign resumed', cancel: 'Campaign cancelled' }[action],
      );
    },
    onError: (error, action) => notify.error(error, `Could not ${action} the campaign`),
  });
  const retry = useMutation({
    mutationFn: () =>
      api<{ retried: number; notRetried: Array<{ count: number }>; status: Campaign['status'] }>('POST', `/campaigns/${c.id}/retry`, {}),
    onSuccess: (answer) => {
      void queryClient.invalidateQueries({ queryKey: ['campaign', c.id] });
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      const left = answer.notRetried.reduce((n, x) => n + x.count, 0);
      notify.success(
        `${answer.retried.toLocaleString()} failed message${answer.retried === 1 ? '' : 's'} queued again` +
          (left ? `; ${left.toLocaleString()} not retried (their error does not prove nothing arrived)` : ''),
      );
    },
    onError: (error) => notify.error(error, 'Could not retry the failed messages'),
  });
  const busy = act.isPending || retry.isPending;
  const canRetry = c.type === 'blast' && ['active', 'paused', 'completed'].includes(c.status) && c.counts.failed > 0;
  const canCancel = ['draft', 'scheduled', 'active', 'paused'].includes(c.status);
  return (
    <>
      {c.status === 'draft' && (
        <Link className="btn" to={`/campaigns/${c.id}/edit`}>
          Edit
        </Link>
      )}
      {c.status === 'draft' && (
        <ConfirmButton
          className="btn btn-primary"
          title="Launch this campaign?"
          message={
            c.type === 'triggered'
              ? `“${c.name}” starts listening: launching enrolls nobody at once; each matching “${c.trigger?.event ?? ''}” event enrolls its lead.`
              : `“${c.name}” starts sending to its audience${c.settings.startAt ? ' at its start time' : ' now'}.`
          }
          confirmLabel="Launch"
          disabled={busy}
          onConfirm={() => act.mutate('launch')}
        >
          Launch
        </ConfirmButton>
      )}
      {(c.status === 'active' || c.status === 'scheduled') && (
        <ConfirmButton
          title="Pause this campaign?"
          message={
            c.type === 'triggered'
              ? 'Nobody enrolls and no new message is sent until you resume it (events are still recorded); messages already on their way finish.'
              : 'No new message is sent until you resume it; messages already on their way finish.'
          }
          confirmLabel="Pause"
          disabled={busy}
          onConfirm={() => act.mutate('pause')}
        >
          Pause
        </ConfirmButton>
      )}
      {c.status === 'paused' && (
        <ConfirmButton
          className="btn btn-primary"
          title="Resume this campaign?"
          message="Sending continues where it stopped."
          confirmLabel="Resume"
          disabled={busy}
          onConfirm={() => act.mutate('resume')}
        >
          Resume
        </ConfirmButton>
      )}
      {canRetry && (
        <ConfirmButton
          title="Retry the failed messages?"
          message="Only failures whose error proves nothing reached the recipient (rate limits, a paused template, undeliverable) are sent once more; the others stay failed and can be exported."
          confirmLabel="Retry failed"
          disabled={busy}
          onConfirm={() => retry.mutate()}
        >
          Retry failed
        </ConfirmButton>
      )}
      {canCancel && (
        <ConfirmButton
          danger
          title="Cancel this campaign?"
          message="Messages not sent yet are skipped and the campaign ends. This cannot be undone."
          confirmLabel="Cancel campaign"
          disabled={busy}
          onConfirm={() => act.mutate('cancel')}
        >
          Cancel
        </ConfirmButton>
      )}
    </>
  );
}
