import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, withQuery } from '../../api';
import { errorText } from '../../components/ErrorBanner';
import { useDebounced } from './useDebounced';

interface LeadSummary {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** Whom the preview renders for: the backend's sample lead, edited sample data, or a stored lead. */
export type PreviewTarget = { kind: 'sample'; lead?: Record<string, unknown> } | { kind: 'lead'; leadId: string; label: string };

const leadLabel = (l: LeadSummary) =>
  [[l.firstName, l.lastName].filter(Boolean).join(' '), l.email ?? l.phone].filter(Boolean).join(' · ') || l.id;

/**
 * Picks the preview's data: sample data as editable JSON (lead fields and attributes, as GET /leads/:id answers them),
 * or a stored lead found by name, email or phone (GET /leads?search=).
 */
export function PreviewSource({
  target,
  onChange,
  usedLead,
}: {
  target: PreviewTarget;
  onChange: (target: PreviewTarget) => void;
  usedLead: Record<string, unknown> | undefined;
}) {
  const id = useId();
  const [search, setSearch] = useState('');
  const [json, setJson] = useState<string | null>(null);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const term = useDebounced(search.trim(), 250);
  const leads = useQuery({
    queryKey: ['leads', 'search', term],
    queryFn: () => api<{ items: LeadSummary[] }>('GET', withQuery('/leads', { search: term, limit: 8 })),
    enabled: target.kind === 'lead' && term.length > 0,
  });

  // The JSON starts as the lead the backend used for the sample preview, so there is something to edit.
  const sampleText = json ?? (target.kind === 'sample' && usedLead ? JSON.stringify(usedLead, null, 2) : '');
  const editJson = (text: string) => {
    setJson(text);
    try {
      const value: unknown = JSON.parse(text);
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('The sample data must be a JSON object');
      setJsonError(null);
      onChange({ kind: 'sample', lead: value as Record<string, unknown> });
    } catch (error) {
      setJsonError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <fieldset className="preview-source">
      <legend>Preview with</legend>
      <div className="preview-source-kinds">
        <label className="check">
          <input
            type="radio"
            name={`${id}-kind`}
            checked={target.kind === 'sample'}
            onChange={() =>
              onChange({ kind: 'sample', lead: json && !jsonError ? (JSON.parse(json) as Record<string, unknown>) : undefined })
            }
          />
          Sample data
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-kind`}
            checked={target.kind === 'lead'}
            onChange={() => onChange({ kind: 'lead', leadId: '', label: '' })}
          />
          A lead
        </label>
      </div>
      {target.kind === 'sample' && (
        <div className={jsonError ? 'field field-invalid' : 'field'}>
          <label htmlFor={`${id}-json`}>Sample lead (JSON)</label>
          <textarea
            id={`${id}-json`}
            className="mono"
            rows={9}
            spellCheck={false}
            value={sampleText}
            onChange={(e) => editJson(e.target.value)}
            aria-invalid={jsonError ? true : undefined}
            aria-describedby={`${id}-json-hint${jsonError ? ` ${id}-json-error` : ''}`}
          />
          <p id={`${id}-json-hint`} className="field-hint">
            firstName, lastName, email, phone, timezone and attributes; templates read them as lead.first_name, lead.company…
          </p>
          {jsonError && (
            <p id={`${id}-json-error`} className="field-error">
              {jsonError}
            </p>
          )}
        </div>
      )}
      {target.kind === 'lead' && (
        <div className="field">
          <label htmlFor={`${id}-search`}>Find a lead</label>
          <input
            id={`${id}-search`}
            type="search"
            value={search}
            placeholder="Name, email or phone"
            onChange={(e) => setSearch(e.target.value)}
            aria-describedby={`${id}-chosen`}
          />
          <p id={`${id}-chosen`} className="field-hint">
            {target.leadId ? <>Previewing for {target.label}</> : 'Type to search your leads, then choose one.'}
          </p>
          {leads.error && <p className="field-error">{errorText(leads.error)}</p>}
          {term && leads.data && (
            <ul className="lead-results" aria-label="Matching leads">
              {leads.data.items.length === 0 && <li className="muted">No lead matches “{term}”.</li>}
              {leads.data.items.map((l) => (
                <li key={l.id}>
                  <button
                    type="button"
                    className={l.id === target.leadId ? 'btn btn-small btn-primary' : 'btn btn-small'}
                    aria-pressed={l.id === target.leadId}
                    onClick={() => onChange({ kind: 'lead', leadId: l.id, label: leadLabel(l) })}
                  >
                    {leadLabel(l)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </fieldset>
  );
}
