import { useState } from 'react';
import { Field } from '../../components/Field';
import { ATTRIBUTE_KEY } from './leadCsvMapping';
import { CHANNEL_LABELS, CONSENT_CHANNELS } from './types';

/** The filters as they sit in the page's address (short names, dates as the date inputs give them). */
export interface LeadFilterValues {
  search: string;
  /** `sms:true` (opted in) or `sms:false` (not opted in), or empty. */
  consent: string;
  attrKey: string;
  attrValue: string;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
}

const KEYS: Array<keyof LeadFilterValues> = ['search', 'consent', 'attrKey', 'attrValue', 'from', 'to'];

export function filtersFromSearch(search: URLSearchParams): LeadFilterValues {
  return Object.fromEntries(KEYS.map((k) => [k, search.get(k) ?? ''])) as unknown as LeadFilterValues;
}

/** A local calendar day as the instant it starts, which is what the API compares created_at with. */
const startOfDay = (day: string, plusDays = 0) => {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
};

/** GET /leads's filter language (backend lead-filter.ts `leadFilterFromQuery`). */
export function toQuery(f: LeadFilterValues): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.search.trim()) q.search = f.search.trim();
  const [channel, opted] = f.consent.split(':');
  if (channel && (CONSENT_CHANNELS as readonly string[]).includes(channel) && (opted === 'true' || opted === 'false'))
    q[`consent.${channel}`] = opted;
  if (ATTRIBUTE_KEY.test(f.attrKey.trim())) q[`attributes.${f.attrKey.trim()}`] = f.attrValue;
  const after = f.from && startOfDay(f.from);
  const before = f.to && startOfDay(f.to, 1);
  if (after) q.createdAfter = after;
  if (before) q.createdBefore = before;
  return q;
}

/** Search and filters; applied on submit (Enter in any field), so typing does not fire a query per key. */
export function LeadFilters({ value, onApply }: { value: LeadFilterValues; onApply: (v: Record<string, string>) => void }) {
  const [f, setF] = useState(value);
  const set = (k: keyof LeadFilterValues) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setF({ ...f, [k]: e.target.value });
  const keyProblem = f.attrKey.trim() && !ATTRIBUTE_KEY.test(f.attrKey.trim()) ? 'Letters, digits and _ only' : null;
  const apply = (v: LeadFilterValues) => onApply(Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '')));
  return (
    <form
      className="card lead-filters"
      role="search"
      aria-label="Filter leads"
      onSubmit={(e) => {
        e.preventDefault();
        if (!keyProblem) apply(f);
      }}
    >
      <div className="toolbar">
        <Field label="Search" hint="Email, first or last name">
          {(p) => <input {...p} type="search" value={f.search} onChange={set('search')} placeholder="ada@…" />}
        </Field>
        <Field label="Consent">
          {(p) => (
            <select {...p} value={f.consent} onChange={set('consent')}>
              <option value="">Any</option>
              {CONSENT_CHANNELS.map((c) => (
                <option key={`${c}:true`} value={`${c}:true`}>
                  Opted in to {CHANNEL_LABELS[c]}
                </option>
              ))}
              {CONSENT_CHANNELS.map((c) => (
                <option key={`${c}:false`} value={`${c}:false`}>
                  Not opted in to {CHANNEL_LABELS[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Attribute" error={keyProblem}>
          {(p) => <input {...p} value={f.attrKey} onChange={set('attrKey')} placeholder="plan" maxLength={100} />}
        </Field>
        <Field label="equals">{(p) => <input {...p} value={f.attrValue} onChange={set('attrValue')} placeholder="pro" />}</Field>
        <Field label="Created from">{(p) => <input {...p} type="date" value={f.from} onChange={set('from')} />}</Field>
        <Field label="Created to">{(p) => <input {...p} type="date" value={f.to} onChange={set('to')} />}</Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            Apply filters
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              const empty = filtersFromSearch(new URLSearchParams());
              setF(empty);
              apply(empty);
            }}
          >
            Clear
          </button>
        </div>
      </div>
    </form>
  );
}
