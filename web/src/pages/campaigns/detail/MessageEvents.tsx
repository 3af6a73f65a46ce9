import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api } from '../../../api';
import { MessageStatusBadge } from '../../../components/CampaignStatusBadge';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Loading } from '../../../components/Loading';
import { formatDateTime } from '../../../format';
import type { CampaignMessage } from '../types';
import { skippedText } from '../skip-reasons';

interface MessageEvent {
  id: string;
  source: string;
  type: string;
  occurredAt: string;
  summary: Record<string, string | number | boolean | null>;
}

/** One recipient's message: its error, and what the provider and tracking reported, oldest first. */
export function MessageEvents({ campaignId, messageId, onClose }: { campaignId: string; messageId: string; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const detail = useQuery({
    queryKey: ['campaign-message-events', campaignId, messageId],
    queryFn: () =>
      api<{ message: CampaignMessage; events: MessageEvent[] }>('GET', `/campaigns/${campaignId}/messages/${messageId}/events`),
  });
  useEffect(() => heading.current?.focus(), [messageId]);
  const m = detail.data?.message;
  const events = detail.data?.events ?? [];
  return (
    <section className="card" aria-labelledby="message-heading" data-testid="message-events">
      <div className="section-head">
        <h2 id="message-heading" ref={heading} tabIndex={-1}>
          Message to {m?.to ?? '…'}
        </h2>
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          Close
        </button>
      </div>
      {detail.isPending && <Loading what="the message" />}
      {detail.error && <ErrorBanner error={detail.error} />}
      {m && (
        <>
          <p>
            <MessageStatusBadge status={m.status} /> Step {m.position + 1} · {m.attempts} attempt{m.attempts === 1 ? '' : 's'}
            {m.providerMessageId && (
              <>
                {' '}
                · provider id <span className="mono">{m.providerMessageId}</span>
              </>
            )}
          </p>
          {(m.errorCode || m.errorMessage || m.skipReason) && (
            <p className="row-error">
              {m.skipReason ? skippedText(m.skipReason) : `${m.errorMessage ?? ''}${m.errorCode ? ` (${m.errorCode})` : ''}`}
            </p>
          )}
          {events.length === 0 ? (
            <p className="muted">No provider or tracking event yet.</p>
          ) : (
            <ol className="rows" aria-label="Events">
              {events.map((e) => (
                <li className="row" key={e.id}>
                  <div className="row-main">
                    <div className="row-title">
                      <strong>{e.type}</strong> <span className="muted">{e.source}</span>
                    </div>
                    <p className="meta">
                      {formatDateTime(e.occurredAt)}
                      {Object.entries(e.summary).map(([k, v]) => (
                        <span key={k}>
                          {' '}
                          · {k}: <span className="mono">{String(v)}</span>
                        </span>
                      ))}
                    </p>
                  </div>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
