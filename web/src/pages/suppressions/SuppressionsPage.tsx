import '../leads/leads.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Column, DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { notify } from '../../components/toast';
import { formatDateTime } from '../../format';
import { useCursorList } from '../../hooks/useCursorList';
import { AddSuppressionForm } from './AddSuppressionForm';
import { ImportSuppressions } from './ImportSuppressions';
import { CHANNEL_LABELS, REASON_LABELS, Suppression, SUPPRESSION_CHANNELS, SUPPRESSION_REASONS } from './types';

function RemoveButton({ s }: { s: Suppression }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/suppressions/${s.id}`),
    onSuccess: () => {
      notify.success(`${s.address} can be contacted on ${CHANNEL_LABELS[s.channel]} again`);
      void queryClient.invalidateQueries({ queryKey: ['suppressions'] });
    },
    onError: (e) => notify.error(e, 'The suppression was not removed'),
  });
  return (
    <ConfirmButton
      danger
      className="btn btn-danger-ghost btn-small"
      ariaLabel={`Remove ${s.address} (${CHANNEL_LABELS[s.channel]})`}
      title="Remove this suppression?"
      message={`Campaigns will be able to contact ${s.address} on ${CHANNEL_LABELS[s.channel]} again. Only do this if they asked to be contacted.`}
      confirmLabel="Remove"
      disabled={remove.isPending}
      onConfirm={() => remove.mutate()}
    >
      Remove
    </ConfirmButton>
  );
}

const COLUMNS: Column<Suppression>[] = [
  { key: 'address', header: 'Address', cell: (s) => <span className="mono">{s.address}</span> },
  { key: 'channel', header: 'Channel', cell: (s) => CHANNEL_LABELS[s.channel] ?? s.channel },
  { key: 'reason', header: 'Reason', cell: (s) => REASON_LABELS[s.reason] ?? s.reason },
  { key: 'source', header: 'Source', cell: (s) => s.source, secondary: true },
  { key: 'created', header: 'Added', cell: (s) => formatDateTime(s.createdAt), secondary: true },
  { key: 'actions', header: <span className="sr-only">Actions</span>, cell: (s) => <RemoveButton s={s} />, align: 'end' },
];

/** Addresses no campaign may contact, per channel: unsubscribes, bounces, complaints, STOP replies, manual entries. */
export function SuppressionsPage() {
  const [filters, setFilters] = useState({ channel: '', reason: '', address: '' });
  const [draft, setDraft] = useState(filters);
  const list = useCursorList<Suppression>(['suppressions'], '/suppressions', filters);
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div className="page page-wide">
      <PageHeader
        title="Suppressions"
        subtitle="Addresses campaigns never contact on a channel. Unsubscribes, bounces, complaints and STOP replies are added automatically."
      />
      <AddSuppressionForm />
      <ImportSuppressions />
      <section className="card" aria-labelledby="suppression-list-title">
        <h2 id="suppression-list-title">Suppressed addresses</h2>
        <form
          className="toolbar"
          role="search"
          aria-label="Filter suppressions"
          onSubmit={(e) => {
            e.preventDefault();
            setFilters({ ...draft, address: draft.address.trim() });
          }}
        >
          <Field label="Find an address" hint="The exact email or +phone">
            {(p) => <input {...p} type="search" value={draft.address} onChange={(e) => setDraft({ ...draft, address: e.target.value })} />}
          </Field>
          <Field label="Channel">
            {(p) => (
              <select {...p} value={draft.channel} onChange={(e) => setDraft({ ...draft, channel: e.target.value })}>
                <option value="">All</option>
                {SUPPRESSION_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {CHANNEL_LABELS[c]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Reason">
            {(p) => (
              <select {...p} value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value })}>
                <option value="">All</option>
                {SUPPRESSION_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {REASON_LABELS[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn">
              Apply filters
            </button>
          </div>
        </form>
        <DataTable
          caption="Suppressed addresses"
          columns={COLUMNS}
          rows={list.items}
          rowKey={(s) => s.id}
          rowTestId="suppression-row"
          isLoading={list.isPending}
          error={list.error}
          empty={
            <EmptyState title={filtered ? 'No suppression matches' : 'No suppressed addresses'}>
              {filtered ? 'Change the filters to see more.' : 'Add one above or import a CSV.'}
            </EmptyState>
          }
          footer={
            list.hasNextPage ? (
              <button type="button" className="btn" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : undefined
          }
        />
      </section>
    </div>
  );
}
