import './callbacks.css';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, withQuery } from '../../api';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { CallbackActions } from './CallbackActions';
import { CallbackStatusBadge, PriorityBadge, SlaCell } from './CallbackBadges';
import { CALLBACK_STATUSES, SOURCE_LABELS, STATUS_LABELS, who, type Callback, type CallbackSummary } from './types';
import { useNow } from '../../hooks/useNow';

const REFRESH_MS = 30_000;

/**
 * The callback queue: leads handed to a person, by priority then due time (or due time first), with
 * SLA countdowns, overdue highlighted, and assign/complete in the row. `?mine=true` is "my callbacks".
 */
export function CallbacksPage() {
  const [params, setParams] = useSearchParams();
  const filters = {
    status: params.get('status') ?? 'open',
    mine: params.get('mine') === 'true',
    overdue: params.get('overdue') === 'true',
    sort: params.get('sort') ?? 'priority',
  };
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };
  const now = useNow();
  const list = useQuery({
    queryKey: ['callbacks', filters],
    queryFn: () =>
      api<{ items: Callback[] }>(
        'GET',
        withQuery('/callbacks', {
          status: filters.status === 'all' ? undefined : filters.status,
          assigneeId: filters.mine ? 'me' : undefined,
          overdue: filters.overdue ? 'true' : undefined,
          sort: filters.sort,
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
  const summary = useQuery({
    queryKey: ['callbacks-summary'],
    queryFn: () => api<CallbackSummary>('GET', '/callbacks/summary'),
    refetchInterval: REFRESH_MS,
  });
  const sortHeader = (key: string, label: string) => (
    <button type="button" className="sort-button" aria-pressed={filters.sort === key} onClick={() => set({ sort: key })}>
      {label}
      {filters.sort === key ? ' ▾' : ''}
    </button>
  );

  const columns: Column<Callback>[] = [
    { key: 'priority', header: sortHeader('priority', 'Priority'), cell: (c) => <PriorityBadge callback={c} /> },
    {
      key: 'lead',
      header: 'Who',
      cell: (c) => (
        <Link to={`/callbacks/${c.id}`}>
          {who(c)}
          <span className="muted mono"> {c.address}</span>
        </Link>
      ),
    },
    {
      key: 'reason',
      header: 'Why',
      cell: (c) => `${SOURCE_LABELS[c.source] ?? c.source}${c.reason ? ` — ${c.reason}` : ''}`,
      secondary: true,
    },
    { key: 'due', header: sortHeader('due', 'Due'), cell: (c) => <SlaCell callback={c} now={now} /> },
    { key: 'status', header: 'Status', cell: (c) => <CallbackStatusBadge status={c.status} /> },
    { key: 'assignee', header: 'Agent', cell: (c) => c.assignee?.name ?? c.assignee?.email ?? <span className="muted">Nobody</span> },
    { key: 'actions', header: <span className="sr-only">Actions</span>, cell: (c) => <CallbackActions callback={c} /> },
  ];

  return (
    <div className="page page-wide">
      <PageHeader
        title={filters.mine ? 'My callbacks' : 'Callbacks'}
        subtitle="Leads who asked to talk to a person: from replies, unanswered calls and forms, most urgent first."
      />
      {summary.data && (
        <div className="callback-summary card" aria-label="Queue summary">
          <span>
            <strong>
              {(summary.data.byStatus.pending ?? 0) + (summary.data.byStatus.assigned ?? 0) + (summary.data.byStatus.in_progress ?? 0)}
            </strong>{' '}
            open
          </span>
          <span>
            <strong>{summary.data.openByCategory.urgent}</strong> urgent
          </span>
          <span>
            <strong>{summary.data.unassigned}</strong> unassigned
          </span>
          <span>
            <strong data-testid="overdue-count">{summary.data.overdue}</strong> overdue
          </span>
          <span>
            <strong>{summary.data.slaBreaches}</strong> SLA breaches
          </span>
        </div>
      )}
      <div className="callback-filters" role="search" aria-label="Filter callbacks">
        <Field label="Status">
          {(p) => (
            <select {...p} value={filters.status} onChange={(e) => set({ status: e.target.value })}>
              <option value="open">Open</option>
              {CALLBACK_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
              <option value="all">All</option>
            </select>
          )}
        </Field>
        <Field label="Sort by">
          {(p) => (
            <select {...p} value={filters.sort} onChange={(e) => set({ sort: e.target.value })}>
              <option value="priority">Priority, then due</option>
              <option value="due">Due time</option>
              <option value="created">Newest</option>
            </select>
          )}
        </Field>
        <label className="inline">
          <input type="checkbox" checked={filters.mine} onChange={(e) => set({ mine: e.target.checked ? 'true' : '' })} /> My callbacks
        </label>
        <label className="inline">
          <input type="checkbox" checked={filters.overdue} onChange={(e) => set({ overdue: e.target.checked ? 'true' : '' })} /> Overdue
          only
        </label>
      </div>
      <DataTable
        caption="Callback requests"
        columns={columns}
        rows={list.data?.items}
        rowKey={(c) => c.id}
        isLoading={list.isPending}
        error={list.error}
        rowTestId="callback-row"
        empty={<EmptyState title="Nothing to call back">Requests from replies, unanswered calls and forms show up here.</EmptyState>}
      />
    </div>
  );
}
