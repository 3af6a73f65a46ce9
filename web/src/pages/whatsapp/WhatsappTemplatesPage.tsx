import '../leads/leads.css';
import './whatsapp.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api';
import { Column, DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { notify } from '../../components/toast';
import { useCursorList } from '../../hooks/useCursorList';
import { renderPreview, WhatsappTemplate } from './types';

interface SyncAnswer {
  channels: Array<{ templates: number; changed: number; suspendedCampaigns: string[] }>;
}

/** What the recipient will read, placeholders shown with Meta's examples, and what the sample CSV holds. */
function TemplatePreview({ t }: { t: WhatsappTemplate }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const preview = renderPreview(t);
  const use = useMutation({
    mutationFn: () =>
      api<{ id: string }>('POST', '/templates', {
        name: `WhatsApp: ${t.name} (${t.language})`,
        channel: 'whatsapp',
        whatsapp: t.suggestedSpec,
      }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['templates'] });
      notify.success(`Template “${t.name}” is ready for a campaign`);
      void navigate(`/templates/${created.id}`);
    },
    onError: (e) => notify.error(e, 'The campaign template was not created'),
  });
  return (
    <section className="card" aria-labelledby="wa-preview-title" data-testid="wa-preview">
      <h2 id="wa-preview-title">
        {t.name} <span className="muted">({t.language})</span>
      </h2>
      <div className="wa-bubble" aria-label="Preview of the message">
        {preview.header && <p className="wa-header">{preview.header}</p>}
        <p className="wa-body">{preview.body}</p>
        {preview.footer && <p className="muted wa-footer">{preview.footer}</p>}
        {preview.buttons.map((b) => (
          <p key={b} className="wa-button">
            {b}
          </p>
        ))}
      </div>
      <h3>Columns of the sample CSV</h3>
      <p className="muted">
        country_code, phone_number, first_name, whatsapp_opt_in (yes/no), then one column per placeholder. The lead import joins the country
        code to the number, and the placeholder columns become the lead attributes the campaign template reads.
      </p>
      <ul data-testid="wa-columns">
        {t.placeholders.map((p) => (
          <li key={p.column}>
            <code>{p.column}</code> — {p.part}
            {p.part === 'button' ? ` ${p.buttonIndex ?? 0} URL suffix` : ` {{${p.key}}}`}
            {p.example ? ` (e.g. ${p.example})` : ''}
          </li>
        ))}
      </ul>
      <div className="form-actions">
        <a className="btn" href={`/api/v1/whatsapp/templates/${t.id}/sample.csv`} download>
          Download sample CSV
        </a>
        <Link className="btn" to="/leads/import">
          Upload recipients
        </Link>
        <button type="button" className="btn btn-primary" disabled={!t.sendable || use.isPending} onClick={() => use.mutate()}>
          Use in a campaign
        </button>
      </div>
      {!t.sendable && <p className="muted">Only templates Meta approved can be sent; this one is {t.status.toLowerCase()}.</p>}
    </section>
  );
}

/** The business accounts' message templates as synced from Meta: pick one, preview it, download its sample CSV. */
export function WhatsappTemplatesPage() {
  const queryClient = useQueryClient();
  const [approvedOnly, setApprovedOnly] = useState(true);
  const [selected, setSelected] = useState<WhatsappTemplate | undefined>();
  const list = useCursorList<WhatsappTemplate>(['whatsapp-templates'], '/whatsapp/templates', {
    status: approvedOnly ? 'APPROVED' : undefined,
  });
  const sync = useMutation({
    mutationFn: () => api<SyncAnswer>('POST', '/whatsapp/templates/sync', {}),
    onSuccess: (answer) => {
      void queryClient.invalidateQueries({ queryKey: ['whatsapp-templates'] });
      const templates = answer.channels.reduce((n, c) => n + c.templates, 0);
      const paused = answer.channels.reduce((n, c) => n + c.suspendedCampaigns.length, 0);
      notify.success(
        `${templates} template${templates === 1 ? '' : 's'} synced${paused ? `; ${paused} campaign(s) paused by a template status` : ''}`,
      );
    },
    onError: (e) => notify.error(e, 'The templates were not synced'),
  });
  const columns: Column<WhatsappTemplate>[] = [
    { key: 'name', header: 'Name', cell: (t) => <span className="mono">{t.name}</span> },
    { key: 'language', header: 'Language', cell: (t) => t.language },
    { key: 'category', header: 'Category', cell: (t) => t.category.toLowerCase(), secondary: true },
    { key: 'status', header: 'Status', cell: (t) => <StatusBadge status={t.status.toLowerCase()} /> },
    {
      key: 'pick',
      header: <span className="sr-only">Preview</span>,
      align: 'end',
      cell: (t) => (
        <button type="button" className="btn btn-small" onClick={() => setSelected(t)} aria-label={`Preview ${t.name} (${t.language})`}>
          Preview
        </button>
      ),
    },
  ];
  return (
    <div className="page page-wide">
      <PageHeader
        title="WhatsApp templates"
        subtitle="Message templates of your WhatsApp Business Accounts, as Meta reviewed them. Only approved ones can be sent."
        actions={
          <button type="button" className="btn btn-primary" disabled={sync.isPending} onClick={() => sync.mutate()}>
            {sync.isPending ? 'Syncing…' : 'Sync from Meta'}
          </button>
        }
      />
      <section className="card" aria-labelledby="wa-list-title">
        <h2 id="wa-list-title">Templates</h2>
        <label className="checkbox">
          <input type="checkbox" checked={approvedOnly} onChange={(e) => setApprovedOnly(e.target.checked)} /> Approved only
        </label>
        <DataTable
          caption="WhatsApp templates"
          columns={columns}
          rows={list.items}
          rowKey={(t) => t.id}
          rowTestId="wa-template-row"
          isLoading={list.isPending}
          error={list.error}
          empty={
            <EmptyState title="No template synced yet">
              Give your WhatsApp channel its Business Account id (Settings → Channels), then sync from Meta.
            </EmptyState>
          }
        />
      </section>
      {selected && <TemplatePreview t={selected} />}
    </div>
  );
}
