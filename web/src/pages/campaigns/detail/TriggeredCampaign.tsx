import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../../api';
import { Column, DataTable } from '../../../components/DataTable';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { LeadLink } from '../../../components/LeadLink';
import { formatDateTimeSeconds, formatNumber } from '../../../format';
import { useCursorList } from '../../../hooks/useCursorList';
import { useDocumentVisible } from '../../../hooks/useDocumentVisible';
import { EventsTable } from '../../events/EventsTable';
import type { LeadEvent } from '../../events/types';
import { TriggerDescription } from '../TriggerDescription';
import '../triggers.css';
import { Campaign, CampaignStatus, Enrollment, ENROLLMENT_STATUSES, EnrollmentStatus, EnrollmentSummary } from '../types';

/** How often the enrollments and events are re-read while the campaign can still enroll or move leads along. */
export const LIVE_REFRESH_MS = 3000;
const LIVE_STATUSES: CampaignStatus[] = ['active', 'paused', 'scheduled'];
const PAGE = 25;

const ENROLLMENT: Record<EnrollmentStatus, { label: string; tone: 'primary' | 'ok' | 'warn' }> = {
  active: { label: 'Active', tone: 'primary' },
  completed: { label: 'Completed', tone: 'ok' },
  exited: { label: 'Exited', tone: 'warn' },
};

export function EnrollmentStatusBadge({ status }: { status: EnrollmentStatus }) {
  const s = ENROLLMENT[status] ?? { label: status, tone: 'primary' };
  return (
    <span className={`badge badge-${s.tone}`} data-status={status}>
      {s.label}
    </span>
  );
}

/** The trigger in words: which event enrolls whom, re-entry, what makes a lead leave, the frequency cap. */
export function TriggerCard({ campaign: c }: { campaign: Campaign }) {
  if (!c.trigger) return null;
  return (
    <section className="card" aria-labelledby="trigger-heading">
      <div className="section-head">
        <h2 id="trigger-heading">Trigger</h2>
        <span className="muted">
          {c.status === 'active'
            ? 'Listening: each matching event enrolls its lead'
            : c.status === 'draft'
              ? 'Starts listening at launch'
              : ''}
        </span>
      </div>
      <TriggerDescription trigger={c.trigger} frequencyCap={c.settings.frequencyCap} />
    </section>
  );
}

function LoadMore({ list }: { list: { isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  return (
    <button type="button" className="btn" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
      {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
    </button>
  );
}

/**
 * A triggered campaign's enrollments: the counts by status and a live log of the latest enrollments and of
 * the events that enrolled or ended one, newest first, re-read every few seconds while the tab is in view.
 */
export function EnrollmentLog({ campaign: c }: { campaign: Campaign }) {
  const visible = useDocumentVisible();
  const [status, setStatus] = useState<EnrollmentStatus | ''>('');
  const live = LIVE_STATUSES.includes(c.status);
  const refresh = live ? LIVE_REFRESH_MS : false;
  const summary = useQuery({
    queryKey: ['campaign-enrollment-summary', c.id],
    queryFn: () => api<EnrollmentSummary>('GET', `/campaigns/${c.id}/enrollments/summary`),
    refetchInterval: refresh,
    refetchIntervalInBackground: false,
  });
  const enrollments = useCursorList<Enrollment>(
    ['campaign-enrollments', c.id],
    `/campaigns/${c.id}/enrollments`,
    { status },
    PAGE,
    refresh,
  );
  const events = useCursorList<LeadEvent>(['campaign-trigger-events', c.id], '/events', { campaignId: c.id }, PAGE, refresh);
  const exitNames = new Set((c.trigger?.exitOn ?? []).map((e) => e.event));
  const s = summary.data;
  // A new enrollment brings messages, an exit skips some: the recipients and the per-step counts follow.
  const queryClient = useQueryClient();
  const seen = s ? `${s.total}/${s.exited}/${s.completed}` : null;
  const lastSeen = useRef(seen);
  useEffect(() => {
    if (lastSeen.current && seen && seen !== lastSeen.current) {
      void queryClient.invalidateQueries({ queryKey: ['campaign-messages', c.id] });
      void queryClient.invalidateQueries({ queryKey: ['campaign-step-counts', c.id] });
    }
    lastSeen.current = seen;
  }, [seen, c.id, queryClient]);

  const columns: Column<Enrollment>[] = [
    {
      key: 'lead',
      header: 'Lead',
      cell: (e) => (
        <div>
          <LeadLink lead={e.lead} />
          {e.entry > 1 && <div className="meta">Entry {e.entry}</div>}
        </div>
      ),
    },
    { key: 'status', header: 'Status', cell: (e) => <EnrollmentStatusBadge status={e.status} /> },
    { key: 'entered', header: 'Entered', cell: (e) => formatDateTimeSeconds(e.enrolledAt) },
    { key: 'ended', header: 'Ended', cell: (e) => (e.endedAt ? formatDateTimeSeconds(e.endedAt) : '—') },
    {
      key: 'events',
      header: 'Events',
      cell: (e) => (
        <span className="mono">
          {e.eventName}
          {e.exitEventName && <> → {e.exitEventName}</>}
        </span>
      ),
    },
  ];

  const updated = Math.max(enrollments.dataUpdatedAt, events.dataUpdatedAt);
  return (
    <section className="card" aria-labelledby="enrollments-heading">
      <div className="section-head">
        <h2 id="enrollments-heading">Enrollments</h2>
        <span className="live-note" role="status" data-testid="live-note">
          {!live
            ? 'Not enrolling'
            : !visible
              ? 'Live updates paused while this tab is hidden'
              : `Live: refreshed every ${LIVE_REFRESH_MS / 1000} s${updated ? ` · updated ${new Date(updated).toLocaleTimeString()}` : ''}`}
        </span>
      </div>
      {summary.error ? (
        <ErrorBanner error={summary.error} />
      ) : (
        <dl className="stats" aria-label="Enrollments by status" data-testid="enrollment-summary">
          {(['total', ...ENROLLMENT_STATUSES] as const).map((k) => (
            <div className="stat" key={k} data-status={k}>
              <dt className="stat-label">{k === 'total' ? 'Enrolled' : ENROLLMENT[k].label}</dt>
              <dd className="stat-value">{s ? formatNumber(s[k]) : '…'}</dd>
            </div>
          ))}
        </dl>
      )}

      <section aria-labelledby="recent-enrollments-heading" className="live-section">
        <div className="section-head">
          <h3 id="recent-enrollments-heading">Recent enrollments</h3>
          <Field label="Enrollment status">
            {(p) => (
              <select {...p} value={status} onChange={(e) => setStatus(e.target.value as EnrollmentStatus | '')}>
                <option value="">All</option>
                {ENROLLMENT_STATUSES.map((st) => (
                  <option key={st} value={st}>
                    {ENROLLMENT[st].label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <DataTable
          caption="Recent enrollments, newest first"
          columns={columns}
          rows={enrollments.items}
          rowKey={(e) => e.id}
          rowTestId="enrollment"
          isLoading={enrollments.isPending}
          error={enrollments.error}
          empty={
            <EmptyState title={status ? `No ${ENROLLMENT[status].label.toLowerCase()} enrollment` : 'Nobody enrolled yet'}>
              {c.trigger &&
                !status &&
                `Each “${c.trigger.event}” event that matches the trigger enrolls its lead while the campaign is active.`}
            </EmptyState>
          }
          footer={enrollments.hasNextPage && <LoadMore list={enrollments} />}
        />
      </section>

      <section aria-labelledby="recent-events-heading" className="live-section">
        <h3 id="recent-events-heading">Recent events</h3>
        <p className="muted">The events that enrolled a lead in this campaign or ended an enrollment.</p>
        <EventsTable
          caption="Events that enrolled or ended an enrollment, newest first"
          events={events.items}
          isLoading={events.isPending}
          error={events.error}
          rowTestId="campaign-event"
          tag={(e) =>
            e.name === c.trigger?.event ? (
              <span className="badge badge-primary">entry</span>
            ) : exitNames.has(e.name) ? (
              <span className="badge badge-warn">exit</span>
            ) : null
          }
          empty={<EmptyState title="No event has touched this campaign yet" />}
          footer={events.hasNextPage && <LoadMore list={events} />}
        />
      </section>
    </section>
  );
}
