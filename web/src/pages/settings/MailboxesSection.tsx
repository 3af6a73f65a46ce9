import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, ApiError, EmailAccount, TestResult } from '../../api';
import { Banner } from '../../components/Banner';
import { StatusBadge } from '../../components/StatusBadge';
import { ResultLine } from './ResultLine';
import type { Flash } from './flash';
import { GuardPanel } from './guard/GuardPanel';
import { WarmupPanel } from './warmup/WarmupPanel';

const SCOPE_NAMES: Record<string, string> = {
  'https://www.googleapis.com/auth/gmail.send': 'Send',
  'https://www.googleapis.com/auth/gmail.readonly': 'Read (reply detection)',
};

export function MailboxesSection({ onFlash }: { onFlash: (f: Flash) => void }) {
  const accounts = useQuery({ queryKey: ['email-accounts'], queryFn: () => api<{ items: EmailAccount[] }>('GET', '/email-accounts') });
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="section-head">
        <div>
          <h2 id={headingId}>Mailboxes</h2>
          <p className="muted">Gmail and Google Workspace mailboxes your email campaigns send from.</p>
          <details className="scopes-explained">
            <summary>What Cadence asks Google for, and why</summary>
            <ul>
              <li>
                <strong>gmail.send</strong>: sends your campaign emails from this mailbox, threaded as one conversation per lead.
              </li>
              <li>
                <strong>gmail.readonly</strong>: reads the messages that arrive in the inbox after you connect (the mailbox history, then
                each new message) to recognise replies, out-of-office answers and bounces: a reply stops that lead&apos;s follow-ups, an
                out-of-office does not, a bounce suppresses the address. Only messages from people your campaigns wrote to are kept; mail is
                never changed, labelled or deleted. The narrower gmail.metadata would give headers only, and the reply&apos;s text,
                out-of-office wording and bounce reports are in the body.
              </li>
            </ul>
          </details>
        </div>
        <a className="btn btn-primary" href="/auth/gmail/connect">
          Connect Gmail
        </a>
      </div>
      {accounts.isPending && <p role="status">Loading mailboxes…</p>}
      {accounts.error && <Banner tone="error">Mailboxes could not be loaded: {accounts.error.message}</Banner>}
      {accounts.data && accounts.data.items.length === 0 && (
        <p className="empty">No mailbox yet. Connect the Gmail or Google Workspace mailbox you send from.</p>
      )}
      {accounts.data && accounts.data.items.length > 0 && (
        <ul className="rows" aria-label="Connected mailboxes">
          {accounts.data.items.map((a) => (
            <MailboxRow key={a.id} account={a} onFlash={onFlash} />
          ))}
        </ul>
      )}
    </section>
  );
}

function MailboxRow({ account: a, onFlash }: { account: EmailAccount; onFlash: (f: Flash) => void }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<TestResult | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['email-accounts'] });
  const onError = (e: Error) => setResult({ ok: false, message: e instanceof ApiError ? e.message : 'Something went wrong' });

  const test = useMutation({
    mutationFn: () => api<TestResult>('POST', `/email-accounts/${a.id}/test`),
    onSuccess: (r) => setResult(r),
    onError,
    onSettled: refresh,
  });
  const primary = useMutation({
    mutationFn: () => api<EmailAccount>('POST', `/email-accounts/${a.id}/primary`),
    onError,
    onSettled: refresh,
  });
  const disconnect = useMutation({
    mutationFn: () => api<EmailAccount & { message: string }>('POST', `/email-accounts/${a.id}/disconnect`),
    onSuccess: (r) => {
      setConfirming(false);
      onFlash({ tone: 'success', text: `${a.email}: ${r.message}` });
    },
    onError,
    onSettled: refresh,
  });
  const busy = test.isPending || primary.isPending || disconnect.isPending;
  const scopes = a.scopes.map((s) => SCOPE_NAMES[s]).filter(Boolean);

  return (
    <li className="row" data-testid="mailbox" data-email={a.email} aria-busy={busy}>
      <div className="row-main">
        <div className="row-title">
          <span className="email">{a.email}</span>
          <StatusBadge status={a.status} />
          {a.isPrimary && <span className="badge badge-primary">Primary</span>}
        </div>
        <p className="meta">
          Gmail · up to {a.dailyCap.toLocaleString('en')} emails per 24 hours
          {scopes.length > 0 && <> · Access: {scopes.join(', ')}</>}
        </p>
        {a.status === 'connected' && (
          <p className="meta" data-testid="replies-checked">
            {a.repliesCheckedAt ? `Replies checked ${new Date(a.repliesCheckedAt).toLocaleString()}` : 'Replies not checked yet'}
          </p>
        )}
        {a.status === 'connected' && a.repliesError && <p className="row-error">Reading replies failed: {a.repliesError}</p>}
        {a.status !== 'connected' && a.lastError && result?.message !== a.lastError && <p className="row-error">{a.lastError}</p>}
        {result && <ResultLine result={result} />}
        {/* A disconnected mailbox sends nothing: no new ramp for it, but one it had is still shown. */}
        <WarmupPanel sender={{ kind: 'mailbox', id: a.id, name: a.email, dailyCap: a.dailyCap }} canStart={a.status !== 'disconnected'} />
        <GuardPanel sender={{ kind: 'mailbox', id: a.id, name: a.email }} />
      </div>
      <div className="row-actions">
        {a.status !== 'connected' && (
          <a className="btn btn-primary" href={`/auth/gmail/connect?accountId=${a.id}`} aria-label={`Reconnect ${a.email}`}>
            Reconnect
          </a>
        )}
        {a.status === 'connected' && (
          <button type="button" className="btn" onClick={() => test.mutate()} disabled={busy} aria-label={`Test connection of ${a.email}`}>
            {test.isPending ? 'Testing…' : 'Test connection'}
          </button>
        )}
        {a.status === 'connected' && !a.isPrimary && (
          <button
            type="button"
            className="btn"
            onClick={() => primary.mutate()}
            disabled={busy}
            aria-label={`Make ${a.email} the primary mailbox`}
          >
            Make primary
          </button>
        )}
        {a.status !== 'disconnected' && !confirming && (
          <button
            type="button"
            className="btn btn-danger-ghost"
            onClick={() => setConfirming(true)}
            disabled={busy}
            aria-label={`Disconnect ${a.email}`}
          >
            Disconnect
          </button>
        )}
        {confirming && (
          <div className="confirm" role="group" aria-label={`Confirm disconnecting ${a.email}`}>
            <span>Revoke access and delete its tokens?</span>
            <button type="button" className="btn btn-danger" onClick={() => disconnect.mutate()} disabled={busy} autoFocus>
              {disconnect.isPending ? 'Disconnecting…' : 'Yes, disconnect'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        )}
      </div>
    </li>
  );
}
