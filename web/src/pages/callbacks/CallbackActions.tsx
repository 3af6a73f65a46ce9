import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { notify } from '../../components/toast';
import type { Team } from '../settings/types';
import { canComplete, isOpen, type Callback, type CallbackDetail } from './types';

/** Assign (a member or round-robin) and complete with a resolution: the same controls in the queue and on the detail page. */
export function CallbackActions({ callback }: { callback: Callback }) {
  const queryClient = useQueryClient();
  const team = useQuery({ queryKey: ['team'], queryFn: () => api<Team>('GET', '/users') });
  const [completing, setCompleting] = useState(false);
  const [resolution, setResolution] = useState('');
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: ['callbacks'] });
    void queryClient.invalidateQueries({ queryKey: ['callback', callback.id] });
    void queryClient.invalidateQueries({ queryKey: ['callbacks-summary'] });
  };
  const assign = useMutation({
    mutationFn: (body: { assigneeId?: string; roundRobin?: boolean }) =>
      api<CallbackDetail>('POST', `/callbacks/${callback.id}/assign`, body),
    onSuccess: (c) => {
      notify.success(`Assigned to ${c.assignee?.name ?? c.assignee?.email}`);
      done();
    },
    onError: (e) => notify.error(e, 'Not assigned'),
  });
  const complete = useMutation({
    mutationFn: () => api<CallbackDetail>('POST', `/callbacks/${callback.id}/complete`, { resolution: resolution.trim() }),
    onSuccess: () => {
      notify.success('Completed');
      setCompleting(false);
      done();
    },
    onError: (e) => notify.error(e, 'Not completed'),
  });
  const label = `callback for ${callback.address}`;
  return (
    <div className="callback-actions">
      {(isOpen(callback.status) || callback.status === 'no_answer') && (
        <select
          aria-label={`Assign ${label}`}
          value=""
          disabled={assign.isPending}
          onChange={(e) => assign.mutate(e.target.value === 'round-robin' ? { roundRobin: true } : { assigneeId: e.target.value })}
        >
          <option value="">{callback.assignee ? 'Reassign…' : 'Assign…'}</option>
          <option value="round-robin">Round-robin</option>
          {(team.data?.items ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name ?? m.email}
            </option>
          ))}
        </select>
      )}
      {canComplete(callback.status) &&
        (completing ? (
          <form
            className="callback-complete"
            onSubmit={(e) => {
              e.preventDefault();
              if (resolution.trim()) complete.mutate();
            }}
          >
            <input
              aria-label={`Resolution of ${label}`}
              placeholder="What came of it"
              maxLength={2000}
              required
              value={resolution}
              onChange={(e) => setResolution(e.target.value)}
            />
            <button type="submit" className="btn btn-primary" disabled={complete.isPending || !resolution.trim()}>
              Save
            </button>
            <button type="button" className="btn" onClick={() => setCompleting(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button type="button" className="btn" onClick={() => setCompleting(true)}>
            Complete
          </button>
        ))}
    </div>
  );
}
