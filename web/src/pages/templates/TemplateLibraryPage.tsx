import { LIBRARY_CATEGORIES, LIBRARY_CATEGORY_LABELS, type LibraryCategory } from '@cadence/contracts/src/template-library';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { notify } from '../../components/toast';
import { snippet } from './draft';
import { TemplatePreview } from './TemplatePreview';
import { CHANNEL_LABELS, LibraryEntry, PreviewAnswer, Template, TEMPLATE_CHANNELS } from './types';
import './templates.css';

/**
 * /templates/library: starters and the team's saved templates, by channel and purpose. "Use" copies an entry
 * into a new template and opens it in the editor; the entry itself never changes.
 */
export function TemplateLibraryPage() {
  const [params, setParams] = useSearchParams();
  const channel = TEMPLATE_CHANNELS.find((c) => c === params.get('channel'));
  const category = LIBRARY_CATEGORIES.find((c) => c === params.get('category'));
  const query = new URLSearchParams({ ...(channel && { channel }), ...(category && { category }) }).toString();
  const library = useQuery({
    queryKey: ['templates', 'library', channel ?? '', category ?? ''],
    queryFn: () => api<{ items: LibraryEntry[] }>('GET', `/templates/library${query ? `?${query}` : ''}`),
  });
  const filter = (key: 'channel' | 'category', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <div className="page page-wide">
      <PageHeader
        title="Template library"
        subtitle="Start from a proven message: each one is copied into a template of your own that you can edit."
        back={
          <Link className="back-link" to="/templates">
            ← Templates
          </Link>
        }
      />
      <div className="toolbar">
        <div className="field">
          <label htmlFor="library-channel">Channel</label>
          <select id="library-channel" value={channel ?? ''} onChange={(e) => filter('channel', e.target.value)}>
            <option value="">All channels</option>
            {TEMPLATE_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="library-category">Purpose</label>
          <select id="library-category" value={category ?? ''} onChange={(e) => filter('category', e.target.value)}>
            <option value="">All purposes</option>
            {LIBRARY_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {LIBRARY_CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {library.error ? <ErrorBanner error={library.error} /> : null}
      {!library.data && !library.error && <Loading what="the library" />}
      {library.data && library.data.items.length === 0 && (
        <EmptyState title="Nothing in the library for this choice">Try another channel or purpose.</EmptyState>
      )}
      {library.data && library.data.items.length > 0 && (
        <ul className="library-grid" aria-label="Library templates">
          {library.data.items.map((entry) => (
            <LibraryCard key={entry.id} entry={entry} />
          ))}
        </ul>
      )}
    </div>
  );
}

function LibraryCard({ entry }: { entry: LibraryEntry }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [previewing, setPreviewing] = useState(false);
  const use = useMutation({
    mutationFn: () => api<Template>('POST', `/templates/library/${encodeURIComponent(entry.id)}/copy`, {}),
    onSuccess: async (t) => {
      notify.success(`Template “${t.name}” created from the library`);
      await queryClient.invalidateQueries({ queryKey: ['templates'] });
      void navigate(`/templates/${t.id}`);
    },
    onError: (e) => notify.error(e, 'The template was not created'),
  });
  const headingId = `library-${entry.id}`;
  return (
    <li className="card library-card" aria-labelledby={headingId} data-testid="library-entry">
      <div className="library-card-head">
        <h2 id={headingId}>{entry.name}</h2>
        <span className="badge badge-type">{CHANNEL_LABELS[entry.channel]}</span>
        <CategoryBadge category={entry.category} />
        <span className={entry.source === 'organization' ? 'badge badge-primary' : 'badge badge-muted'}>
          {entry.source === 'organization' ? 'Your team' : 'Starter'}
        </span>
      </div>
      {entry.description && <p className="muted library-description">{entry.description}</p>}
      <p className="template-snippet">{snippet(entry)}</p>
      {previewing && <LibraryPreview entry={entry} />}
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={use.isPending} onClick={() => use.mutate()}>
          {use.isPending ? 'Creating…' : 'Use this template'}
        </button>
        <button type="button" className="btn" aria-expanded={previewing} onClick={() => setPreviewing((p) => !p)}>
          {previewing ? 'Hide preview' : 'Preview'}
        </button>
      </div>
    </li>
  );
}

function CategoryBadge({ category }: { category: LibraryCategory }) {
  return <span className="badge badge-muted">{LIBRARY_CATEGORY_LABELS[category]}</span>;
}

/** Rendered by the backend against the sample lead, exactly as the editor's preview would. */
function LibraryPreview({ entry }: { entry: LibraryEntry }) {
  const { channel, subject, html, text, body, whatsapp, voice } = entry;
  const preview = useQuery({
    queryKey: ['template-preview', 'library', entry.id, entry.updatedAt],
    queryFn: () => api<PreviewAnswer>('POST', '/templates/preview', { channel, subject, html, text, body, whatsapp, voice }),
    retry: false,
  });
  return <TemplatePreview result={preview.data?.result} error={preview.error} busy={preview.isFetching} />;
}
