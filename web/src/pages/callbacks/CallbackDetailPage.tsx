import './callbacks.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { notify } from '../../components/toast';
import { formatDateTime } from '../../format';
import { CallbackActions } from './CallbackActions';
import { CallNowPanel } from './CallNowPanel';
import { CallbackStatusBadge, PriorityBadge, SlaCell } from './CallbackBadges';
import { NEXT_STATUSES, SOURCE_LABELS, STATUS_LABELS, who, type CallbackDetail, type CallbackStatus } from './types';
import { useNow } from '../../hooks/useNow';

/** One callback request: who and why, the priority and its reasons, the SLA, the actions, and every change and attempt. */
export function CallbackDetailPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const now = useNow();
  const [resolution, setResolution] = useState('');
  const callback = useQuery({
    queryKey: ['callback', id],
    queryFn: () => api<CallbackDetail>('GET', `/callbacks/${id}`),
    // While a "call now" attempt is under way its outcome arrives from Twilio: poll until it has.
    refetchInterval: (q) => (q.state.data?.calls?.[0]?.status === 'calling' ? 1500 : false),
  });
  const move = useMutation({
    mutationFn: (status: CallbackStatus) =>
      api<CallbackDetail>('PUT', `/callbacks/${id}/status`, { status, resolution: resolution.trim() || undefined }),
    onSuccess: (c) => {
      notify.success(`Now ${STATUS_LABELS[c.status].toLowerCase()}`);
      setResolution('');
      void queryClient.invalidateQueries({ queryKey: ['callback', id] });
      void queryClient.invalidateQueries({ queryKey: ['callbacks'] });
    },
    onError: (e) => notify.error(e, 'Status not changed'),
  });

  if (callback.error) return <ErrorBanner error={callback.error} />;
  if (!callback.data) return <Loading what="the callback request" />;
  const c = callback.data;
  const next = NEXT_STATUSES[c.status];
  return (
    <div className="page">
      <PageHeader
        title={`Call back ${who(c)}`}
        subtitle={<span className="mono">{c.address}</span>}
        back={<Link to="/callbacks">← Callbacks</Link>}
      />
      <section className="card" aria-labelledby="callback-facts">
        <h2 id="callback-facts">Request</h2>
        <dl className="callback-facts">
          <dt>Status</dt>
          <dd>
            <CallbackStatusBadge status={c.status} />
          </dd>
          <dt>Priority</dt>
          <dd>
            <PriorityBadge callback={c} />
            <ul aria-label="Why this priority">
              {c.scoreReasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </dd>
          <dt>SLA</dt>
          <dd>
            <SlaCell callback={c} now={now} /> <span className="muted">(due {formatDateTime(c.dueAt)})</span>
          </dd>
          <dt>Source</dt>
          <dd>{SOURCE_LABELS[c.source] ?? c.source}</dd>
          <dt>Reason</dt>
          <dd>{c.reason || '—'}</dd>
          <dt>Channel</dt>
          <dd>{c.channel}</dd>
          {c.windowStart && (
            <>
              <dt>Wanted</dt>
              <dd>
                {formatDateTime(c.windowStart)} – {formatDateTime(c.windowEnd)}{' '}
                {c.timezone && <span className="muted">({c.timezone})</span>}
              </dd>
            </>
          )}
          <dt>Agent</dt>
          <dd>{c.assignee?.name ?? c.assignee?.email ?? 'Nobody'}</dd>
          {c.lead && (
            <>
              <dt>Lead</dt>
              <dd>
                <Link to={`/leads/${c.lead.id}`}>{who(c)}</Link>
              </dd>
            </>
          )}
          {c.conversationId && (
            <>
              <dt>Conversation</dt>
              <dd>
                <Link to={`/inbox?c=${c.conversationId}&status=all`}>Answer in writing in the inbox</Link>
              </dd>
            </>
          )}
          {c.notes && (
            <>
              <dt>Notes</dt>
              <dd>{c.notes}</dd>
            </>
          )}
          {c.resolution && (
            <>
              <dt>Resolution</dt>
              <dd>{c.resolution}</dd>
            </>
          )}
        </dl>
      </section>
      <section className="card" aria-labelledby="callback-actions">
        <h2 id="callback-actions">Actions</h2>
        <CallNowPanel callback={c} />
        <CallbackActions callback={c} />
        {next.length > 0 && (
          <div className="callback-actions">
            <Field label="Note for the change (optional)">
              {(p) => <input {...p} maxLength={2000} value={resolution} onChange={(e) => setResolution(e.target.value)} />}
            </Field>
            {next.map((s) => (
              <button key={s} type="button" className="btn" disabled={move.isPending} onClick={() => move.mutate(s)}>
                Mark {STATUS_LABELS[s].toLowerCase()}
              </button>
            ))}
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="callback-activity">
        <h2 id="callback-activity">Activity</h2>
        <ol className="activity-log" aria-label="Activity log">
          {c.activities.map((a) => (
            <li key={a.id} data-kind={a.kind}>
              <div>{a.summary}</div>
              <div className="activity-meta">
                {formatDateTime(a.at)} · {a.actor}
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
