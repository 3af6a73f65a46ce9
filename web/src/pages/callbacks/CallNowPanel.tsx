import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { notify } from '../../components/toast';
import { formatDateTime } from '../../format';
import type { CallbackCall, CallbackDetail } from './types';

const OUTCOME_LABELS: Record<NonNullable<CallbackCall['outcome']>, string> = {
  completed: 'answered',
  busy: 'busy',
  'no-answer': 'no answer',
  failed: 'failed',
};

/** What the latest attempt is doing or how it ended, in words. */
export function describeCall(c: CallbackCall): string {
  if (c.status === 'calling') return `Calling your phone ${c.agentPhone}; when you answer, ${c.leadPhone} is connected…`;
  if (c.agentAnswered === false) return `Your phone ${c.agentPhone} did not answer (${OUTCOME_LABELS[c.outcome ?? 'failed']}).`;
  if (c.leadAnswered) return `Connected with ${c.leadPhone} for ${c.leadDurationSeconds ?? 0} s (call ${c.durationSeconds ?? 0} s).`;
  if (c.leadAnswered === false) return `You answered; ${c.leadPhone} did not (${OUTCOME_LABELS[c.outcome ?? 'failed']}).`;
  return 'Ended; the lead leg was not reported.';
}

/**
 * "Call now": rings the signed-in agent's phone, then bridges the lead (POST /callbacks/{id}/call). The
 * detail page polls while an attempt is calling, so the attempt shows live until its outcome arrives.
 */
export function CallNowPanel({ callback }: { callback: CallbackDetail }) {
  const queryClient = useQueryClient();
  const latest = callback.calls[0];
  const callable = ['pending', 'assigned', 'in_progress', 'no_answer'].includes(callback.status) && callback.channel !== 'email';
  const call = useMutation({
    // One key per click: a retried request (network) places no second call.
    mutationFn: () => api<CallbackDetail>('POST', `/callbacks/${callback.id}/call`, undefined, { 'Idempotency-Key': crypto.randomUUID() }),
    onSuccess: (c) => {
      queryClient.setQueryData(['callback', callback.id], c);
      void queryClient.invalidateQueries({ queryKey: ['callbacks'] });
    },
    onError: (e) => notify.error(e, 'Call not started'),
  });
  return (
    <div className="call-now">
      {callable && (
        <button
          type="button"
          className="btn btn-primary"
          disabled={call.isPending || latest?.status === 'calling'}
          onClick={() => call.mutate()}
        >
          Call now
        </button>
      )}
      {latest && (
        <p role="status" className={`call-state call-${latest.status}`} data-outcome={latest.outcome ?? ''}>
          {describeCall(latest)} <span className="muted">Started {formatDateTime(latest.startedAt)}</span>
        </p>
      )}
    </div>
  );
}
