import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, upload, withQuery } from '../../../api';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { ProgressBar } from '../../../components/ProgressBar';
import { formatNumber } from '../../../format';
import { useAudienceReview, useDebounced } from './wizard-api';
import { AudienceKind, CHANNEL_NAMES, CHANNELS, ConsentChoice, CsvAudience, previewInput, WizardState } from './wizard-state';

interface LeadRow {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
}

const KINDS: Array<[AudienceKind, string]> = [
  ['all', 'All leads'],
  ['filter', 'A filter'],
  ['leads', 'Chosen leads'],
  ['csv', 'Upload a CSV'],
];

const labelOf = (l: LeadRow) => [[l.firstName, l.lastName].filter(Boolean).join(' '), l.email ?? l.phone].filter(Boolean).join(' · ');

function LeadPicker({ chosen, onChange }: { chosen: Record<string, string>; onChange: (chosen: Record<string, string>) => void }) {
  const [search, setSearch] = useState('');
  const term = useDebounced(search.trim());
  const found = useQuery<{ items: LeadRow[] }, ApiError>({
    queryKey: ['wizard-lead-search', term],
    queryFn: () => api('GET', withQuery('/leads', { search: term, limit: 25 })),
  });
  const toggle = (id: string, label: string, on: boolean) => {
    const next = { ...chosen };
    if (on) next[id] = label;
    else delete next[id];
    onChange(next);
  };
  const picked = Object.entries(chosen);
  return (
    <div className="form">
      <Field label="Search leads" hint="Email, first or last name">
        {(p) => <input {...p} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />}
      </Field>
      {found.error && <ErrorBanner error={found.error} />}
      <fieldset>
        <legend>Results</legend>
        <div className="wizard-picked">
          {found.data?.items.length === 0 && <p className="muted">No lead matches.</p>}
          {found.data?.items.map((l) => (
            <label key={l.id} className="check">
              <input type="checkbox" checked={l.id in chosen} onChange={(e) => toggle(l.id, labelOf(l), e.target.checked)} />
              {labelOf(l) || l.id}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Chosen ({formatNumber(picked.length)})</legend>
        <div className="wizard-picked">
          {picked.length === 0 && <p className="muted">Nobody yet.</p>}
          {picked.map(([id, label]) => (
            <label key={id} className="check">
              <input type="checkbox" checked onChange={() => toggle(id, label, false)} />
              <span className={label === id ? 'mono' : undefined}>{label}</span>
            </label>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  failed: number;
  leadIds: string[];
  leadIdsTruncated: boolean;
}

function CsvUpload({ csv, onChange }: { csv: CsvAudience | null; onChange: (csv: CsvAudience | null) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const send = async () => {
    if (!file) return;
    setError(null);
    setProgress(0);
    try {
      const form = new FormData();
      form.append('file', file);
      // returnIds: the campaign targets exactly the leads this file created or updated.
      const report = await upload<ImportReport>('/leads/import?returnIds=true', form, setProgress);
      if (report.leadIdsTruncated)
        throw new Error('This file names more than 100,000 leads: import it on the Leads page and use a filter instead.');
      onChange({
        fileName: file.name,
        leadIds: report.leadIds,
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        failed: report.failed,
      });
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };
  return (
    <div className="form">
      <Field label="CSV file" hint="A header row; columns email, phone, firstName, lastName, timezone, consent.<channel>, attributes.<key>">
        {(p) => <input {...p} type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
      </Field>
      <div>
        <button type="button" className="btn" disabled={!file || progress !== null} onClick={() => void send()}>
          Upload and import
        </button>
      </div>
      {progress !== null && <ProgressBar done={Math.round(progress * 100)} total={100} label="Uploading (%)" />}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {csv && (
        <p role="status" data-testid="csv-result">
          {csv.fileName}: {formatNumber(csv.leadIds.length)} leads imported ({formatNumber(csv.created)} new, {formatNumber(csv.updated)}{' '}
          updated
          {csv.failed ? `, ${formatNumber(csv.failed)} rows refused` : ''}).
        </p>
      )}
    </div>
  );
}

function FilterBuilder({ state, onChange }: { state: WizardState; onChange: (patch: Partial<WizardState>) => void }) {
  const f = state.filter;
  const set = (patch: Partial<WizardState['filter']>) => onChange({ filter: { ...f, ...patch } });
  return (
    <div className="form">
      <Field label="Search" hint="Part of the email, first or last name">
        {(p) => <input {...p} value={f.search} onChange={(e) => set({ search: e.target.value })} />}
      </Field>
      <div className="form-row">
        {CHANNELS.map((c) => (
          <Field key={c} label={`${CHANNEL_NAMES[c]} consent`}>
            {(p) => (
              <select
                {...p}
                value={f.consent[c] ?? ''}
                onChange={(e) => set({ consent: { ...f.consent, [c]: e.target.value as ConsentChoice } })}
              >
                <option value="">Any</option>
                <option value="true">Opted in</option>
                <option value="false">Not opted in</option>
              </select>
            )}
          </Field>
        ))}
      </div>
      <div className="form-row">
        <Field label="Attribute" hint="e.g. plan">
          {(p) => (
            <input {...p} value={f.attributeKey} pattern="[A-Za-z0-9_]{1,100}" onChange={(e) => set({ attributeKey: e.target.value })} />
          )}
        </Field>
        <Field label="equals">
          {(p) => <input {...p} value={f.attributeValue} onChange={(e) => set({ attributeValue: e.target.value })} />}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Created after">
          {(p) => <input {...p} type="datetime-local" value={f.createdAfter} onChange={(e) => set({ createdAfter: e.target.value })} />}
        </Field>
        <Field label="Created before">
          {(p) => <input {...p} type="datetime-local" value={f.createdBefore} onChange={(e) => set({ createdBefore: e.target.value })} />}
        </Field>
      </div>
    </div>
  );
}

export function AudienceStep({
  state,
  problems,
  onChange,
}: {
  state: WizardState;
  problems: Record<string, string>;
  onChange: (patch: Partial<WizardState>) => void;
}) {
  const body = previewInput(state, false);
  const count = useAudienceReview(body.audience ? body : undefined);
  const triggered = state.type === 'triggered';
  const noun = (n: number) => (n === 1 ? 'lead' : 'leads');
  return (
    <div className="card form">
      {triggered && (
        <p className="muted" data-testid="audience-triggered">
          For a triggered campaign the audience restricts who <strong>may</strong> enroll: a matching event enrolls its lead only if the
          lead is in it. All leads by default.
        </p>
      )}
      <fieldset>
        <legend>{triggered ? 'Who may enroll' : 'Who receives the campaign'}</legend>
        <div className="wizard-choices">
          {KINDS.map(([kind, label]) => (
            <label key={kind} className="check">
              <input
                type="radio"
                name="audience-kind"
                checked={state.audienceKind === kind}
                onChange={() => onChange({ audienceKind: kind })}
              />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      {state.audienceKind === 'filter' && <FilterBuilder state={state} onChange={onChange} />}
      {state.audienceKind === 'leads' && <LeadPicker chosen={state.chosen} onChange={(chosen) => onChange({ chosen })} />}
      {state.audienceKind === 'csv' && <CsvUpload csv={state.csv} onChange={(csv) => onChange({ csv })} />}
      {problems.audience && <p className="field-error">{problems.audience}</p>}
      <div aria-live="polite" data-testid="audience-count" className="wizard-count">
        {!body.audience
          ? 'No audience yet.'
          : count.data
            ? `${formatNumber(count.data.total)} ${noun(count.data.total)} ${triggered ? 'may enroll' : 'in the audience'}${count.isFetching ? ' (updating…)' : ''}`
            : count.isPending
              ? 'Counting…'
              : null}
      </div>
      {count.error && <ErrorBanner error={count.error} />}
    </div>
  );
}
