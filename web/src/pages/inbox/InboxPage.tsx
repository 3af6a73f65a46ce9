import './inbox.css';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatRelative } from '../../format';
import { useCursorList } from '../../hooks/useCursorList';
import { ConversationThread } from './ConversationThread';
import { CHANNEL_LABELS, Conversation, CONVERSATION_STATUSES, leadName, STATUS_LABELS } from './types';

/** Replies to campaigns, one conversation per lead and sender: the list (filters, unread in bold) and the open thread. */
export function InboxPage() {
  const [params, setParams] = useSearchParams();
  const filters = {
    status: params.get('status') ?? 'open',
    unread: params.get('unread') ?? '',
    channel: params.get('channel') ?? '',
    search: params.get('search') ?? '',
  };
  const [search, setSearch] = useState(filters.search);
  const selected = params.get('c');
  const list = useCursorList<Conversation>(['conversations'], '/conversations', {
    status: filters.status === 'all' ? undefined : filters.status,
    unread: filters.unread || undefined,
    channel: filters.channel || undefined,
    search: filters.search || undefined,
  });
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };

  return (
    <div className="page page-wide">
      <PageHeader title="Inbox" subtitle="Replies to your campaigns. Answers go out from the same mailbox or number." />
      <div className="inbox">
        <section className="card inbox-list" aria-labelledby="inbox-list-title">
          <h2 id="inbox-list-title" className="sr-only">
            Conversations
          </h2>
          <form
            className="inbox-filters"
            role="search"
            aria-label="Filter conversations"
            onSubmit={(e) => {
              e.preventDefault();
              set({ search: search.trim() });
            }}
          >
            <Field label="Status">
              {(p) => (
                <select {...p} value={filters.status} onChange={(e) => set({ status: e.target.value })}>
                  {CONVERSATION_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {STATUS_LABELS[s]}
                    </option>
                  ))}
                  <option value="all">All</option>
                </select>
              )}
            </Field>
            <Field label="Channel">
              {(p) => (
                <select {...p} value={filters.channel} onChange={(e) => set({ channel: e.target.value })}>
                  <option value="">All</option>
                  {Object.entries(CHANNEL_LABELS).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <label className="inbox-unread">
              <input
                type="checkbox"
                checked={filters.unread === 'true'}
                onChange={(e) => set({ unread: e.target.checked ? 'true' : '' })}
              />{' '}
              Unread only
            </label>
            <Field label="Search">
              {(p) => (
                <input
                  {...p}
                  type="search"
                  placeholder="Name, number, address, text"
                  value={search}
                  onChange={(e) => setSearch(e.target.value)}
                />
              )}
            </Field>
          </form>
          {list.error ? (
            <ErrorBanner error={list.error} />
          ) : list.isPending ? (
            <Loading what="conversations" />
          ) : list.items?.length ? (
            <ul className="conversation-list" aria-label="Conversations">
              {list.items.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    data-testid="conversation-row"
                    className={`conversation-row${c.unreadCount > 0 ? ' unread' : ''}${c.id === selected ? ' selected' : ''}`}
                    aria-current={c.id === selected ? 'true' : undefined}
                    onClick={() => set({ c: c.id })}
                  >
                    <span className="conversation-who">
                      {leadName(c)}
                      {c.unreadCount > 0 && (
                        <span className="unread-count" aria-label={`${c.unreadCount} unread`}>
                          {c.unreadCount}
                        </span>
                      )}
                    </span>
                    <span className="conversation-meta">
                      {CHANNEL_LABELS[c.channel] ?? c.channel} · {STATUS_LABELS[c.status]} · {formatRelative(c.lastActivityAt)}
                      {c.assignee && ` · ${c.assignee.name ?? c.assignee.email}`}
                    </span>
                    <span className="conversation-preview">{c.lastPreview}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="No conversations">Replies to your campaigns show up here.</EmptyState>
          )}
          {list.hasNextPage && (
            <button type="button" className="btn" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )}
        </section>
        <section className="card inbox-thread" aria-label="Thread">
          {selected ? <ConversationThread id={selected} key={selected} /> : <p className="muted">Choose a conversation to read it.</p>}
        </section>
      </div>
    </div>
  );
}
