import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../../../api';
import { notify } from '../../../components/toast';
import type { Campaign } from '../types';

/**
 * "Duplicate": a new draft with the same steps, audience, senders and settings (POST /campaigns/:id/duplicate),
 * opened in the wizard. Usable from any page that shows a campaign (the detail page, the wizard of a launched one).
 */
export function DuplicateCampaignButton({ campaignId, className = 'btn' }: { campaignId: string; className?: string }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const duplicate = useMutation<Campaign, ApiError>({
    mutationFn: () => api<Campaign>('POST', `/campaigns/${campaignId}/duplicate`),
    onSuccess: (copy) => {
      queryClient.setQueryData(['campaign', copy.id], copy);
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      notify.success(`“${copy.name}” created as a draft`);
      void navigate(`/campaigns/${copy.id}/edit`);
    },
    onError: (error) => notify.error(error, 'Could not duplicate the campaign'),
  });
  return (
    <button type="button" className={className} onClick={() => duplicate.mutate()} disabled={duplicate.isPending}>
      {duplicate.isPending ? 'Duplicating…' : 'Duplicate'}
    </button>
  );
}
