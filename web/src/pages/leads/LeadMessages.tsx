import { Link } from 'react-router';
import { Column, DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../format';
import { useCursorList } from '../../hooks/useCursorList';
import { LeadMessage } from './types';

const COLUMNS: Column<LeadMessage>[] = [
  {
    key: 'campaign',
    header: 'Campaign',
    cell: (m) =>
      m.campaign.conversationId ? (
        <Link to={`/inbox?status=all&c=${m.campaign.conversationId}`}>Inbox reply</Link>
      ) : (
        <Link to={`/campaigns/${m.campaign.id}`}>{m.campaign.name}</Link>
      ),
  },
  { key: 'step', header: 'Step', cell: (m) => `Step ${m.position + 1}`, secondary: true },
  { key: 'channel', header: 'Channel', cell: (m) => m.channel },
  { key: 'status', header: 'Status', cell: (m) => <StatusBadge status={m.status} /> },
  { key: 'sent', header: 'Sent', cell: (m) => formatDateTime(m.sentAt), secondary: true },
  { key: 'delivered', header: 'Delivered', cell: (m) => formatDateTime(m.deliveredAt), secondary: true },
  {
    key: 'error',
    header: 'Error',
    cell: (m) =>
      m.errorCode || m.errorMessage ? (
        <span>
          {m.errorCode && <code className="mono">{m.errorCode}</code>} {m.errorMessage}
        </span>
      ) : m.skipReason ? (
        <span className="muted">Skipped: {m.skipReason}</span>
      ) : (
        ''
      ),
  },
];

/** The lead's messages across campaigns, newest first (GET /leads/:id/messages). */
export function LeadMessages({ leadId }: { leadId: string }) {
  const list = useCursorList<LeadMessage>(['leads', 'messages', leadId], `/leads/${leadId}/messages`);
  return (
    <section className="card" aria-labelledby="lead-messages-title">
      <h2 id="lead-messages-title">Messages</h2>
      <DataTable
        caption="Messages to this lead, newest first"
        columns={COLUMNS}
        rows={list.items}
        rowKey={(m) => m.id}
        rowTestId="lead-message"
        isLoading={list.isPending}
        error={list.error}
        empty={<EmptyState title="No messages yet">Messages appear here once a campaign that includes this lead is launched.</EmptyState>}
        footer={
          list.hasNextPage ? (
            <button type="button" className="btn" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          ) : undefined
        }
      />
    </section>
  );
}
