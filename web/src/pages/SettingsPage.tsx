import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, ApiError, Channel, EmailAccount, TestResult } from '../api';
import { Banner } from '../components/Banner';
import { StatusBadge } from '../components/StatusBadge';

const GMAIL_ERRORS: Record<string, (email?: string) => string> = {
  access_denied: () => 'Gmail was not connected: access was not granted on Google’s consent screen. Click “Connect Gmail” to try again.',
  send_scope_missing: (email) =>
    `${email ?? 'The mailbox'} was connected without permission to send email, so it cannot send. Click “Reconnect” and keep “Send email on your behalf” ticked.`,
  state_invalid: () =>
    'That connection attempt could not be verified (it expired, was already used, or was started in another browser). Please try again.',
  google_error: () => 'Google could not complete the connection. Please try again in a moment.',
  google_not_configured: () => 'Google OAuth is not configured on this server (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET).',
};

const SCOPE_NAMES: Record<string, string> = {
  'https://www.googleapis.com/auth/gmail.send': 'Send',
  'https://www.googleapis.com/auth/gmail.readonly': 'Read (reply detection)',
  'https://www.googleapis.com/auth/gmail.metadata': 'Metadata (reply detection)',
};

const CHANNEL_TYPES: Record<Channel['type'], string> = { mailgun: 'Mailgun', twilio: 'Twilio', whatsapp: 'WhatsApp' };

type Flash = { tone: 'success' | 'error'; text: string };

function flashFrom(params: URLSearchParams): Flash | null {
  const connected = params.get('connected');
  const error = params.get('gmail_error');
  if (connected) return { tone: 'success', text: `${connected} is connected and ready to send.` };
  if (error) return { tone: 'error', text: (GMAIL_ERRORS[error] ?? GMAIL_ERRORS.google_error!)(params.get('email') ?? undefined) };
  return null;
}

export function SettingsPage() {
  const [params, setParams] = useSearchParams();
  // Outcomes of the Google round trip arrive as query parameters: shown once (the effect cleans the URL).
  const [flash, setFlash] = useState<Flash | null>(() => flashFrom(params));
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (params.has('connected') || params.has('gmail_error')) setParams({}, { replace: true });
  }, [params, setParams]);

  useEffect(() => {
    document.title = 'Settings · Cadence';
    headingRef.current?.focus();
  }, []);

  return (
    <div className="page">
      <h1 ref={headingRef} tabIndex={-1}>
        Settings
      </h1>
      {flash && (
        <Banner tone={flash.tone} onDismiss={() => setFlash(null)}>
          {flash.text}
        </Banner>
      )}
      <Mailboxes onFlash={setFlash} />
      <Channels />
    </div>
  );
}

function Mailboxes({ onFlash }: { onFlash: (f: Flash) => void }) {
  const accounts = useQuery({ queryKey: ['email-accounts'], queryFn: () => api<{ items: EmailAccount[] }>('GET', '/email-accounts') });
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="section-head">
        <div>
          <h2 id={headingId}>Mailboxes</h2>
          <p className="muted">
            Gmail and Google Workspace mailboxes your email campaigns send from. Cadence only asks to send and to read replies.
          </p>
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

/** The outcome of a connection test, announced to screen readers (status when it worked, alert when not). */
function ResultLine({ result }: { result: TestResult }) {
  return (
    <p className={result.ok ? 'row-ok' : 'row-error'} role={result.ok ? 'status' : 'alert'}>
      {result.ok ? '✓ ' : ''}
      {result.message}
    </p>
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
        {a.status !== 'connected' && a.lastError && result?.message !== a.lastError && <p className="row-error">{a.lastError}</p>}
        {result && <ResultLine result={result} />}
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

function Channels() {
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => api<{ items: Channel[] }>('GET', '/channels?limit=100') });
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="section-head">
        <div>
          <h2 id={headingId}>Channels</h2>
          <p className="muted">
            Mailgun domains, Twilio numbers and WhatsApp Business numbers. Secrets are stored encrypted and never shown.
          </p>
        </div>
      </div>
      {channels.isPending && <p role="status">Loading channels…</p>}
      {channels.error && <Banner tone="error">Channels could not be loaded: {channels.error.message}</Banner>}
      {channels.data && channels.data.items.length === 0 && (
        <p className="empty">
          No channel yet. Add one with <code>POST /api/v1/channels</code> (see <a href="/docs">the API docs</a>).
        </p>
      )}
      {channels.data && channels.data.items.length > 0 && (
        <ul className="rows" aria-label="Channels">
          {channels.data.items.map((c) => (
            <ChannelRow key={c.id} channel={c} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ChannelRow({ channel: c }: { channel: Channel }) {
  const queryClient = useQueryClient();
  const [result, setResult] = useState<TestResult | null>(null);
  const test = useMutation({
    mutationFn: () => api<TestResult>('POST', `/channels/${c.id}/test`),
    onSuccess: (r) => setResult(r),
    onError: (e: Error) => setResult({ ok: false, message: e.message }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['channels'] }),
  });
  const sender = (c.config.from ?? c.config.domain ?? c.config.phoneNumberId) as string | undefined;
  return (
    <li className="row" data-testid="channel" aria-busy={test.isPending}>
      <div className="row-main">
        <div className="row-title">
          <span className="email">{c.name}</span>
          <span className="badge badge-type">{CHANNEL_TYPES[c.type]}</span>
          <StatusBadge status={c.status} />
        </div>
        <p className="meta">
          {sender && <>{sender} · </>}
          {c.lastTestedAt ? `Last tested ${new Date(c.lastTestedAt).toLocaleString()}` : 'Never tested'}
        </p>
        {!result && c.status === 'error' && c.lastError && <p className="row-error">{c.lastError}</p>}
        {result && <ResultLine result={result} />}
      </div>
      <div className="row-actions">
        <button
          type="button"
          className="btn"
          onClick={() => test.mutate()}
          disabled={test.isPending}
          aria-label={`Test connection of ${c.name}`}
        >
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
      </div>
    </li>
  );
}
