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
  const busy = act.isPending;
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
          message={`“${c.name}” starts sending to its audience${c.settings.startAt ? ' at its start time' : ' now'}.`}
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
          message="No new message is sent until you resume it; messages already on their way finish."
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
