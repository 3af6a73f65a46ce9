import { useState } from 'react';
import { withQuery } from '../../../api';
import { MessageStatusBadge, messageStatusLabel } from '../../../components/CampaignStatusBadge';
import { Column, DataTable } from '../../../components/DataTable';
import { EmptyState } from '../../../components/EmptyState';
import { Field } from '../../../components/Field';
import { formatDateTime } from '../../../format';
import { useCursorList } from '../../../hooks/useCursorList';
import { CampaignMessage, MESSAGE_STATUSES, MessageStatus, StatusCounts } from '../types';
import { MessageEvents } from './MessageEvents';
import { skippedText } from '../skip-reasons';

/** The campaign's recipients, one message each, by status, 50 at a time; the export takes all of them (or one status). */
export function RecipientsTable({ campaignId, counts }: { campaignId: string; counts: StatusCounts }) {
  const [status, setStatus] = useState<MessageStatus | ''>('');
  const [open, setOpen] = useState<string | null>(null);
  const list = useCursorList<CampaignMessage>(['campaign-messages', campaignId], `/campaigns/${campaignId}/messages`, { status });
  const columns: Column<CampaignMessage>[] = [
    { key: 'to', header: 'Recipient', cell: (m) => <span className="mono">{m.to ?? '—'}</span> },
    { key: 'step', header: 'Step', secondary: true, cell: (m) => m.position + 1 },
    { key: 'status', header: 'Status', cell: (m) => <MessageStatusBadge status={m.status} /> },
    {
      key: 'error',
      header: 'Error',
      cell: (m) =>
        m.skipReason ? skippedText(m.skipReason) : m.errorMessage ? `${m.errorMessage}${m.errorCode ? ` (${m.errorCode})` : ''}` : '',
    },
    { key: 'sent', header: 'Sent', secondary: true, cell: (m) => formatDateTime(m.sentAt) },
    { key: 'delivered', header: 'Delivered', secondary: true, cell: (m) => formatDateTime(m.deliveredAt) },
    {
      key: 'events',
      header: <span className="sr-only">Events</span>,
      cell: (m) => (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setOpen(m.id)}
          aria-label={`Events of the message to ${m.to ?? m.id}`}
        >
          Events
        </button>
      ),
    },
  ];
  const exportHref = withQuery(`/api/v1/campaigns/${campaignId}/messages.csv`, { status });
  return (
    <section className="card" aria-labelledby="recipients-heading">
      <div className="section-head">
        <h2 id="recipients-heading">Recipients</h2>
        <a className="btn" href={exportHref} download>
          {status ? `Export ${messageStatusLabel(status).toLowerCase()} (CSV)` : 'Export all (CSV)'}
        </a>
      </div>
      <div className="toolbar">
        <Field label="Status">
          {(props) => (
            <select {...props} value={status} onChange={(e) => setStatus(e.target.value as MessageStatus | '')}>
              <option value="">All ({counts.total.toLocaleString()})</option>
              {MESSAGE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {messageStatusLabel(s)} ({counts[s].toLocaleString()})
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="button" className="btn" onClick={() => void list.refetch()} disabled={list.isFetching}>
          {list.isFetching && !list.isFetchingNextPage ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <DataTable
        caption="Recipients"
        columns={columns}
        rows={list.items}
        rowKey={(m) => m.id}
        rowTestId="recipient"
        isLoading={list.isPending}
        error={list.error}
        empty={<EmptyState title={status ? `No ${messageStatusLabel(status).toLowerCase()} message` : 'No recipient yet'} />}
        footer={
          list.hasNextPage && (
            <button type="button" className="btn" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )
        }
      />
      {open && <MessageEvents campaignId={campaignId} messageId={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
