import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, TestResult } from '../../../api';
import { ConfirmButton } from '../../../components/ConfirmButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { StatusBadge } from '../../../components/StatusBadge';
import { notify } from '../../../components/toast';
import { formatDateTime } from '../../../format';
import { ResultLine } from '../ResultLine';
import type { ChannelDetail } from '../types';
import { GuardPanel } from '../guard/GuardPanel';
import { WarmupPanel } from '../warmup/WarmupPanel';
import { ChannelForm } from './ChannelForm';
import { CHANNEL_TYPES } from './channelFields';
import { WebhookUrls } from './WebhookUrls';

/** One channel: its status and last test, its warm-up and deliverability guard, Test / Edit / Remove, and where the provider calls back. */
export function ChannelRow({ channel: c, showWebhooks }: { channel: ChannelDetail; showWebhooks?: boolean }) {
  const queryClient = useQueryClient();
  const [result, setResult] = useState<TestResult | null>(null);
  const [editing, setEditing] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['channels'] });
  const test = useMutation({
    mutationFn: () => api<TestResult>('POST', `/channels/${c.id}/test`),
    onSuccess: (r) => setResult(r),
    onError: (e: Error & { code?: string }) => setResult({ ok: false, code: e.code, message: e.message }),
    onSettled: refresh,
  });
  // Mailgun: the receiving route that forwards replies here (Routes API), so they need not be set up by hand.
  const route = useMutation({
    mutationFn: () => api<TestResult>('POST', `/channels/${c.id}/inbound-route`),
    onSuccess: (r) => setResult(r),
    onError: (e: Error & { code?: string }) => setResult({ ok: false, code: e.code, message: e.message }),
  });
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/channels/${c.id}`),
    onSuccess: () => {
      notify.success(`${c.name} was removed`);
      void refresh();
    },
  });
  const sender = (c.config.from ?? c.config.messagingServiceSid ?? c.config.domain ?? c.config.phoneNumberId) as string | undefined;
  const busy = test.isPending || remove.isPending || route.isPending;
  const dailyCap = typeof c.config.dailyCap === 'number' ? c.config.dailyCap : undefined;

  if (editing)
    return (
      <li className="row row-wide" data-testid="channel" data-name={c.name}>
        <ChannelForm
          channel={c}
          onCancel={() => setEditing(false)}
          onDone={(saved) => {
            setEditing(false);
            setResult(null);
            notify.success(`${saved.name} saved: test it again to check the new settings`);
          }}
        />
      </li>
    );

  return (
    <li className="row row-wide" data-testid="channel" data-name={c.name} aria-busy={busy}>
      <div className="row-main">
        <div className="row-title">
          <span className="email">{c.name}</span>
          <span className="badge badge-type">{CHANNEL_TYPES[c.type].label}</span>
          <StatusBadge status={c.status} />
        </div>
        <p className="meta">
          {sender && <>{sender} · </>}
          {c.lastTestedAt ? `Last tested ${formatDateTime(c.lastTestedAt)}` : 'Never tested'}
        </p>
        {!result && c.status === 'error' && c.lastError && <p className="row-error">{c.lastError}</p>}
        {result && <ResultLine result={result} />}
        {remove.error && <ErrorBanner error={remove.error} onDismiss={() => remove.reset()} />}
        <WarmupPanel sender={{ kind: 'channel', id: c.id, name: c.name, dailyCap }} />
        <GuardPanel sender={{ kind: 'channel', id: c.id, name: c.name }} />
        <WebhookUrls channel={c} open={showWebhooks} />
      </div>
      <div className="row-actions">
        <button type="button" className="btn" onClick={() => test.mutate()} disabled={busy} aria-label={`Test connection of ${c.name}`}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        {c.type === 'mailgun' && (
          <button
            type="button"
            className="btn"
            onClick={() => route.mutate()}
            disabled={busy}
            aria-label={`Create the inbound route of ${c.name}`}
            title="Creates a Mailgun route that forwards replies, out-of-office answers and bounces to Cadence"
          >
            {route.isPending ? 'Creating route…' : 'Receive replies'}
          </button>
        )}
        <button type="button" className="btn" onClick={() => setEditing(true)} disabled={busy} aria-label={`Edit ${c.name}`}>
          Edit
        </button>
        <ConfirmButton
          danger
          title={`Remove ${c.name}?`}
          message="Its stored credentials are deleted. A channel that a campaign sends with cannot be removed."
          confirmLabel="Remove channel"
          onConfirm={() => remove.mutate()}
          disabled={busy}
          ariaLabel={`Remove ${c.name}`}
        >
          {remove.isPending ? 'Removing…' : 'Remove'}
        </ConfirmButton>
      </div>
    </li>
  );
}
