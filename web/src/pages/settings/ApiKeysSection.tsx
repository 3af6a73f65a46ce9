import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable, Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { notify } from '../../components/toast';
import { formatDateTime, formatRelative } from '../../format';
import { CopyField } from './CopyField';
import type { ApiKeyRow, IssuedApiKey } from './types';

const KEYS = ['api-keys'];

/** Keys for programs (n8n, Zapier, scripts): created here, shown once, revoked here. */
export function ApiKeysSection() {
  const headingId = useId();
  const keys = useQuery({ queryKey: KEYS, queryFn: () => api<{ items: ApiKeyRow[] }>('GET', '/api-keys') });
  const [issued, setIssued] = useState<IssuedApiKey | null>(null);

  const columns: Column<ApiKeyRow>[] = [
    { key: 'name', header: 'Name', cell: (k) => <strong>{k.name}</strong> },
    { key: 'key', header: 'Key', cell: (k) => <span className="mono">{`cad_${k.prefix}_…`}</span> },
    { key: 'created', header: 'Created', cell: (k) => formatDateTime(k.createdAt), secondary: true },
    { key: 'lastUsed', header: 'Last used', cell: (k) => (k.lastUsedAt ? formatRelative(k.lastUsedAt) : 'Never'), secondary: true },
    {
      key: 'status',
      header: 'Status',
      cell: (k) =>
        k.revokedAt ? (
          <span className="badge badge-muted" title={`Revoked ${formatDateTime(k.revokedAt)}`}>
            Revoked
          </span>
        ) : (
          <span className="badge badge-ok">Active</span>
        ),
    },
    {
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      cell: (k) => !k.revokedAt && <RevokeKey apiKey={k} />,
      align: 'end',
    },
  ];

  return (
    <section className="card settings-section" aria-labelledby={headingId}>
      <div className="section-head">
        <div>
          <h2 id={headingId}>API keys</h2>
          <p className="muted">
            For programs that call the API (<code>Authorization: Bearer cad_…</code>). A key acts for the whole organization.
          </p>
        </div>
      </div>
      <CreateKeyForm onIssued={setIssued} />
      {issued && <IssuedKeyPanel issued={issued} onDone={() => setIssued(null)} />}
      <DataTable
        caption="API keys"
        columns={columns}
        rows={keys.data?.items}
        rowKey={(k) => k.id}
        isLoading={keys.isPending}
        error={keys.error}
        rowTestId="api-key"
        empty={
          <EmptyState title="No API key yet">Create one for each program that calls the API, so each can be revoked alone.</EmptyState>
        }
      />
    </section>
  );
}

function CreateKeyForm({ onIssued }: { onIssued: (k: IssuedApiKey) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api<IssuedApiKey>('POST', '/api-keys', { name: name.trim() }),
    onSuccess: (k) => {
      setName('');
      onIssued(k);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEYS }),
  });
  return (
    <>
      <form
        className="add-form"
        aria-label="Create an API key"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label="New key name" hint="What the key is for, e.g. “n8n production”.">
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={create.isPending || !name.trim()}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {create.error && <ErrorBanner error={create.error} onDismiss={() => create.reset()} />}
    </>
  );
}

/** The only time the full key is on screen: the API keeps only its hash. */
function IssuedKeyPanel({ issued, onDone }: { issued: IssuedApiKey; onDone: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  // Keyboard and screen-reader users land on the new key.
  useEffect(() => ref.current?.focus(), [issued.id]);
  return (
    <div className="once-panel" role="region" aria-label={`New API key ${issued.name}`} ref={ref} tabIndex={-1} data-testid="issued-key">
      <h3>Key “{issued.name}” created</h3>
      <p className="once-warning" role="status">
        Copy it now: you won’t see it again. Cadence keeps only a fingerprint of it; if it is lost, create another and revoke this one.
      </p>
      <CopyField label="API key" value={issued.key} />
      <div>
        <button type="button" className="btn" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </div>
  );
}

function RevokeKey({ apiKey: k }: { apiKey: ApiKeyRow }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api<ApiKeyRow>('POST', `/api-keys/${k.id}/revoke`),
    onSuccess: () => notify.success(`API key “${k.name}” revoked`),
    onError: (e) => notify.error(e, `“${k.name}” was not revoked`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEYS }),
  });
  return (
    <ConfirmButton
      danger
      title={`Revoke the API key “${k.name}”?`}
      message="Programs using it get 401 from their next request. This cannot be undone."
      confirmLabel="Revoke key"
      onConfirm={() => revoke.mutate()}
      disabled={revoke.isPending}
      ariaLabel={`Revoke API key ${k.name}`}
    >
      {revoke.isPending ? 'Revoking…' : 'Revoke'}
    </ConfirmButton>
  );
}
