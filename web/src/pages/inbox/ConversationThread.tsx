import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { notify } from '../../components/toast';
import { useNow } from '../../hooks/useNow';
import { formatDateTime } from '../../format';
import type { Team } from '../settings/types';
import { CHANNEL_LABELS, Conversation, CONVERSATION_STATUSES, leadName, STATUS_LABELS, Thread, ThreadEntry } from './types';

/** Statuses of a reply still on its way: the thread refreshes until it settles. */
const IN_FLIGHT = new Set(['queued', 'leased', 'sending']);
const REFRESH_MS = 2000;

/** One conversation: the messages both ways in order, who handles it, its status, and the reply box. */
export function ConversationThread({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const thread = useQuery({
    queryKey: ['conversation', id],
    queryFn: () => api<Thread>('GET', `/conversations/${id}`),
    refetchInterval: (q) => (q.state.data?.entries.some((e) => e.direction === 'outbound' && IN_FLIGHT.has(e.status)) ? REFRESH_MS : false),
  });
  const team = useQuery({ queryKey: ['team'], queryFn: () => api<Team>('GET', '/users') });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['conversations'] });
    void queryClient.invalidateQueries({ queryKey: ['conversation', id] });
    void queryClient.invalidateQueries({ queryKey: ['inbox-summary'] });
  };
  const update = useMutation({
    mutationFn: (body: { status?: string; assigneeId?: string | null }) => api<Conversation>('PATCH', `/conversations/${id}`, body),
    onSuccess: refresh,
    onError: (e) => notify.error(e, 'The conversation was not updated'),
  });
  const markRead = useMutation({ mutationFn: () => api<Conversation>('POST', `/conversations/${id}/read`), onSuccess: refresh });

  // Opening a conversation reads it.
  const unread = thread.data?.unreadCount ?? 0;
  const { mutate: read } = markRead;
  useEffect(() => {
    if (unread > 0) read();
  }, [unread, read]);

  if (thread.error) return <ErrorBanner error={thread.error} />;
  if (!thread.data) return <Loading what="the conversation" />;
  const c = thread.data;
  return (
    <div className="thread">
      <header className="thread-header">
        <div>
          <h2>{leadName(c)}</h2>
          <p className="muted">
            {CHANNEL_LABELS[c.channel] ?? c.channel} · <span className="mono">{c.address}</span>
          </p>
        </div>
        <div className="thread-controls">
          <Field label="Status">
            {(p) => (
              <select {...p} value={c.status} disabled={update.isPending} onChange={(e) => update.mutate({ status: e.target.value })}>
                {CONVERSATION_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Assigned to">
            {(p) => (
              <select
                {...p}
                value={c.assignee?.id ?? ''}
                disabled={update.isPending}
                onChange={(e) => update.mutate({ assigneeId: e.target.value || null })}
              >
                <option value="">Nobody</option>
                {(team.data?.items ?? []).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name ?? m.email}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </header>
      <ol className="thread-entries" aria-label="Messages">
        {c.entries.map((e) => (
          <Entry key={e.id} e={e} />
        ))}
      </ol>
      <ReplyBox conversation={c} onSent={refresh} />
    </div>
  );
}

function Entry({ e }: { e: ThreadEntry }) {
  const who = e.direction === 'inbound' ? 'Them' : e.isReply ? 'You' : (e.campaignName ?? 'Campaign');
  return (
    <li
      className={`entry entry-${e.direction}${e.autoReason ? ' entry-auto' : ''}`}
      data-testid="thread-entry"
      data-direction={e.direction}
    >
      <div className="entry-meta">
        <strong>{who}</strong> · {formatDateTime(e.at)}
        {e.direction === 'outbound' && (
          <>
            {' '}
            · <span data-testid="entry-status">{e.status}</span>
          </>
        )}
        {e.autoReason && (
          <span className="badge badge-muted" title={e.autoReason}>
            Automatic reply
          </span>
        )}
      </div>
      {e.subject && <div className="entry-subject">{e.subject}</div>}
      <div className="entry-text">{e.text ?? <span className="muted">Campaign message ({e.campaignName})</span>}</div>
      {e.problem && <div className="entry-problem">{e.problem}</div>}
    </li>
  );
}

function ReplyBox({ conversation, onSent }: { conversation: Thread; onSent: () => void }) {
  const [text, setText] = useState('');
  // One key per reply being written: a retried click or a lost answer never sends it twice.
  const key = useRef(crypto.randomUUID());
  const send = useMutation({
    mutationFn: () => api('POST', `/conversations/${conversation.id}/messages`, { text }, { 'idempotency-key': key.current }),
    onSuccess: () => {
      setText('');
      key.current = crypto.randomUUID();
      notify.success('Reply queued: it goes out through your campaign sender');
      onSent();
    },
    onError: (e) => notify.error(e, 'The reply was not sent'),
  });
  const now = useNow();
  if (!conversation.lead) return <p className="muted">No lead has this address: add it as a lead to answer.</p>;
  const closesAt = conversation.replyWindowClosesAt ? Date.parse(conversation.replyWindowClosesAt) : null;
  if (conversation.channel === 'whatsapp' && (closesAt === null || closesAt <= now)) {
    return (
      <p className="muted" data-testid="wa-window-closed">
        {closesAt === null
          ? 'The lead has not written on WhatsApp yet: only an approved template can be sent, from a campaign.'
          : `WhatsApp's 24-hour window closed ${formatDateTime(conversation.replyWindowClosesAt)}: free text is allowed only within 24 hours of the lead's last message. Send an approved template from a campaign instead.`}
      </p>
    );
  }
  return (
    <form
      className="reply-box"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) send.mutate();
      }}
    >
      {conversation.channel === 'whatsapp' && (
        <p className="muted" data-testid="wa-window-open">
          WhatsApp allows free text until {formatDateTime(conversation.replyWindowClosesAt)} (24 hours after the lead&apos;s last message).
        </p>
      )}
      <Field label="Reply">
        {(p) => (
          <textarea
            {...p}
            rows={3}
            maxLength={conversation.channel === 'whatsapp' ? 4096 : 10000}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={send.isPending || !text.trim()}>
        {send.isPending ? 'Sending…' : 'Send reply'}
      </button>
    </form>
  );
}
