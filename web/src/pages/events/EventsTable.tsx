import './events.css';
import { Column, DataTable } from '../../components/DataTable';
import { LeadLink } from '../../components/LeadLink';
import { formatDateTimeSeconds } from '../../format';
import type { LeadEvent } from './types';

/** Properties as compact JSON; past a line, a disclosure opens them pretty-printed. */
export function EventProperties({ properties }: { properties: Record<string, unknown> | null }) {
  if (!properties || Object.keys(properties).length === 0) return <span className="muted">—</span>;
  const compact = JSON.stringify(properties);
  if (compact.length <= 60) return <code className="event-props">{compact}</code>;
  return (
    <details className="event-props">
      <summary>
        <code>{`${compact.slice(0, 57)}…`}</code>
      </summary>
      <pre>{JSON.stringify(properties, null, 2)}</pre>
    </details>
  );
}

/**
 * Events, newest first: name, lead, properties, when it occurred and when it arrived. `tag` adds a word
 * per event (the campaign page marks its trigger and exit events).
 */
export function EventsTable({
  caption,
  events,
  isLoading,
  error,
  empty,
  footer,
  tag,
  rowTestId = 'event',
}: {
  caption: string;
  events: LeadEvent[] | undefined;
  isLoading: boolean;
  error: unknown;
  empty: React.ReactNode;
  footer?: React.ReactNode;
  tag?: (event: LeadEvent) => React.ReactNode;
  rowTestId?: string;
}) {
  const columns: Column<LeadEvent>[] = [
    {
      key: 'name',
      header: 'Event',
      cell: (e) => (
        <span>
          <strong className="mono">{e.name}</strong>
          {tag && <> {tag(e)}</>}
        </span>
      ),
    },
    { key: 'lead', header: 'Lead', cell: (e) => <LeadLink lead={e.lead} /> },
    { key: 'properties', header: 'Properties', cell: (e) => <EventProperties properties={e.properties} /> },
    {
      key: 'occurred',
      header: 'Occurred',
      cell: (e) => (
        <time dateTime={e.occurredAt} title={`Received ${formatDateTimeSeconds(e.receivedAt)}`}>
          {formatDateTimeSeconds(e.occurredAt)}
        </time>
      ),
    },
    { key: 'received', header: 'Received', secondary: true, cell: (e) => formatDateTimeSeconds(e.receivedAt) },
  ];
  return (
    <DataTable
      caption={caption}
      columns={columns}
      rows={events}
      rowKey={(e) => e.id}
      rowTestId={rowTestId}
      isLoading={isLoading}
      error={error}
      empty={empty}
      footer={footer}
    />
  );
}
