import { Link, useSearchParams } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { formatNumber } from '../../format';
import { useCursorList } from '../../hooks/useCursorList';
import { useDocumentVisible } from '../../hooks/useDocumentVisible';
import { curlExampleLines } from './curl-example';
import { EventsTable } from './EventsTable';
import type { LeadEvent } from './types';
import { useEventNames } from './useEventNames';

/** The list is re-read this often while the tab is in view. */
const REFRESH_MS = 5000;

function HowToSend() {
  return (
    <div className="empty-state" data-testid="events-empty">
      <p className="empty-title">No event yet</p>
      <p className="muted">
        Events are what your systems report about a lead (a signup, a purchase…). Each one can enroll its lead in a triggered campaign.
      </p>
      <div className="event-how">
        <p>
          Send one with an API key (<Link to="/settings">Settings → API keys</Link>); the lead is named by <code>email</code>,{' '}
          <code>phone</code> or <code>leadId</code> and must exist:
        </p>
        <pre data-testid="curl-example">{curlExampleLines(window.location.origin).join('\n')}</pre>
        <p>
          From n8n, the <strong>Cadence Event</strong> node records events in batches from any workflow (a CRM, a shop, a form).
        </p>
      </div>
    </div>
  );
}

/** The organization's recent events, newest first, live, filtered by name. */
export function EventsPage() {
  const [params, setParams] = useSearchParams();
  const name = params.get('name') ?? '';
  const visible = useDocumentVisible();
  const names = useEventNames(REFRESH_MS);
  const list = useCursorList<LeadEvent>(['events'], '/events', { name }, 50, REFRESH_MS);
  const known = names.data ?? [];
  return (
    <div className="page page-wide">
      <PageHeader
        title="Events"
        subtitle="What your systems report about leads, newest first: each matching event enrolls its lead in a triggered campaign."
      />
      <div className="toolbar">
        <Field label="Event name" hint={names.error ? undefined : 'Names seen in the last 30 days'}>
          {(p) => (
            <select {...p} value={name} onChange={(e) => setParams(e.target.value ? { name: e.target.value } : {}, { replace: true })}>
              <option value="">All events</option>
              {/* A name from the address that is not among the recent ones stays selectable. */}
              {name && !known.some((n) => n.name === name) && <option value={name}>{name}</option>}
              {known.map((n) => (
                <option key={n.name} value={n.name}>
                  {n.name} ({formatNumber(n.count)})
                </option>
              ))}
            </select>
          )}
        </Field>
        <span className="live-note" role="status" data-testid="live-note">
          {visible ? `Live: refreshed every ${REFRESH_MS / 1000} s` : 'Live updates paused while this tab is hidden'}
        </span>
      </div>
      {names.error && <ErrorBanner error={names.error} />}
      <EventsTable
        caption="Events, newest first"
        events={list.items}
        isLoading={list.isPending}
        error={list.error}
        empty={name ? <EmptyState title={`No “${name}” event`}>Choose another name, or all events.</EmptyState> : <HowToSend />}
        footer={
          list.hasNextPage && (
            <button type="button" className="btn" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )
        }
      />
    </div>
  );
}
