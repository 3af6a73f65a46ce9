import { Link, useSearchParams } from 'react-router';
import { Column, DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { formatRelative } from '../../format';
import { useCursorList } from '../../hooks/useCursorList';
import { snippet } from './draft';
import { CHANNEL_LABELS, Template, TEMPLATE_CHANNELS } from './types';
import './templates.css';

const COLUMNS: Column<Template>[] = [
  { key: 'name', header: 'Name', cell: (t) => <Link to={`/templates/${t.id}`}>{t.name}</Link> },
  { key: 'channel', header: 'Channel', cell: (t) => <span className="badge badge-type">{CHANNEL_LABELS[t.channel]}</span> },
  { key: 'snippet', header: 'Content', cell: (t) => <span className="template-snippet">{snippet(t)}</span>, secondary: true },
  {
    key: 'updated',
    header: 'Updated',
    cell: (t) => (
      <time dateTime={t.updatedAt} title={new Date(t.updatedAt).toLocaleString()}>
        {formatRelative(t.updatedAt)}
      </time>
    ),
  },
];

/** /templates: the organization's message templates, filtered by channel (kept in the address, so it survives a reload). */
export function TemplatesPage() {
  const [params, setParams] = useSearchParams();
  const channel = TEMPLATE_CHANNELS.find((c) => c === params.get('channel'));
  const list = useCursorList<Template>(['templates'], '/templates', { channel });
  const newLink = (
    <Link className="btn btn-primary" to={channel ? `/templates/new?channel=${channel}` : '/templates/new'}>
      New template
    </Link>
  );
  const libraryLink = (
    <Link className="btn" to={channel ? `/templates/library?channel=${channel}` : '/templates/library'}>
      Start from the library
    </Link>
  );
  return (
    <div className="page page-wide">
      <PageHeader
        title="Templates"
        subtitle="Liquid messages your campaign steps send, one per channel."
        actions={
          <>
            {libraryLink}
            {newLink}
          </>
        }
      />
      <div className="toolbar">
        <div className="field">
          <label htmlFor="template-channel-filter">Channel</label>
          <select
            id="template-channel-filter"
            value={channel ?? ''}
            onChange={(e) => setParams(e.target.value ? { channel: e.target.value } : {}, { replace: true })}
          >
            <option value="">All channels</option>
            {TEMPLATE_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <DataTable
        caption="Templates"
        columns={COLUMNS}
        rows={list.items}
        rowKey={(t) => t.id}
        rowTestId="template-row"
        isLoading={list.isPending}
        error={list.error}
        empty={
          <EmptyState
            title={channel ? `No ${CHANNEL_LABELS[channel]} template yet` : 'No template yet'}
            action={
              <>
                {libraryLink}
                {newLink}
              </>
            }
          >
            A template is the message a campaign step sends, personalised with Liquid such as {'{{ lead.first_name }}'}.
          </EmptyState>
        }
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
