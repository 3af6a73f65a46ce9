import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { notify } from '../../components/toast';
import { CHANNEL_LABELS, CONSENT_CHANNELS, ConsentChannel, Lead } from './types';

type Editable = 'email' | 'phone' | 'firstName' | 'lastName' | 'timezone';
const FIELDS: Array<[Editable, string, string]> = [
  ['email', 'Email', 'email'],
  ['phone', 'Phone', 'tel'],
  ['firstName', 'First name', 'text'],
  ['lastName', 'Last name', 'text'],
  ['timezone', 'Time zone (IANA, e.g. Europe/Paris)', 'text'],
];

/** Fields and consent, sent as a PATCH of what changed (empty clears a field; the server checks the rest). */
export function LeadEditForm({ lead, onDone }: { lead: Lead; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<Editable, string>>(
    () => Object.fromEntries(FIELDS.map(([k]) => [k, lead[k] ?? ''])) as Record<Editable, string>,
  );
  const [consent, setConsent] = useState<Lead['consent']>(lead.consent);
  const save = useMutation({
    mutationFn: () => {
      const patch: Record<string, unknown> = {};
      for (const [k] of FIELDS) if (values[k].trim() !== (lead[k] ?? '')) patch[k] = values[k].trim() || null;
      const changed = CONSENT_CHANNELS.filter((c) => consent[c] !== undefined && consent[c] !== lead.consent[c]);
      if (changed.length) patch.consent = Object.fromEntries(changed.map((c) => [c, consent[c]]));
      return api<Lead>('PATCH', `/leads/${lead.id}`, patch);
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(['leads', 'one', lead.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      notify.success('Lead saved');
      onDone();
    },
  });
  const setOpt = (c: ConsentChannel, v: string) => setConsent({ ...consent, [c]: v === '' ? undefined : v === 'true' });
  return (
    <form
      className="card form"
      aria-label="Edit lead"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>Edit</h2>
      <div className="form-row">
        {FIELDS.map(([k, label, type]) => (
          <Field key={k} label={label}>
            {(p) => <input {...p} type={type} value={values[k]} onChange={(e) => setValues({ ...values, [k]: e.target.value })} />}
          </Field>
        ))}
      </div>
      <fieldset>
        <legend>Consent</legend>
        <div className="form-row">
          {CONSENT_CHANNELS.map((c) => (
            <Field key={c} label={CHANNEL_LABELS[c]}>
              {(p) => (
                <select {...p} value={consent[c] === undefined ? '' : String(consent[c])} onChange={(e) => setOpt(c, e.target.value)}>
                  {/* Consent once given or refused is recorded, not un-asked: "not asked" only shows while it is so. */}
                  {lead.consent[c] === undefined && <option value="">Not asked</option>}
                  <option value="true">Opted in</option>
                  <option value="false">Opted out</option>
                </select>
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      {save.error && <ErrorBanner error={save.error} />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone} disabled={save.isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
