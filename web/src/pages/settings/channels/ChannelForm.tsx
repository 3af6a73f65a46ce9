import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { api, Channel } from '../../../api';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import type { ChannelDetail } from '../types';
import { CHANNEL_TYPES, ChannelField } from './channelFields';
import { fieldErrors } from './fieldErrors';

type Values = Record<string, string>;

const asText = (v: unknown) => (v === undefined || v === null ? '' : String(v));
/** Whole numbers go as numbers; anything else as typed, for the API to explain. */
const asValue = (f: ChannelField, v: string): unknown => (f.kind === 'number' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v.trim());

/**
 * Adds a channel (`channel` absent) or edits one. Secrets are write-only: on edit their inputs start empty,
 * and an input left empty keeps the stored secret. A config field emptied on edit is cleared (null), which
 * puts the provider default back.
 */
export function ChannelForm({
  channel,
  onDone,
  onCancel,
}: {
  channel?: ChannelDetail;
  onDone: (c: ChannelDetail) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const headingId = useId();
  const [type, setType] = useState<Channel['type']>(channel?.type ?? 'twilio');
  const [name, setName] = useState(channel?.name ?? '');
  const [config, setConfig] = useState<Values>(() =>
    Object.fromEntries(CHANNEL_TYPES[channel?.type ?? 'twilio'].config.map((f) => [f.key, asText(channel?.config[f.key])])),
  );
  const [secrets, setSecrets] = useState<Values>({});
  const spec = CHANNEL_TYPES[type];
  const hints = channel && !('unreadable' in channel.secrets) ? channel.secrets : {};

  const save = useMutation({
    mutationFn: () => {
      const configBody: Record<string, unknown> = {};
      for (const f of spec.config) {
        const v = config[f.key] ?? '';
        if (v.trim()) configBody[f.key] = asValue(f, v);
        else if (channel && channel.config[f.key] !== undefined) configBody[f.key] = null;
      }
      const secretsBody = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== ''));
      return channel
        ? api<ChannelDetail>('PATCH', `/channels/${channel.id}`, { name: name.trim(), config: configBody, secrets: secretsBody })
        : api<ChannelDetail>('POST', '/channels', { type, name: name.trim(), config: configBody, secrets: secretsBody });
    },
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: ['channels'] });
      onDone(c);
    },
  });
  const errors = fieldErrors(save.error);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const advancedError = spec.config.some((f) => f.advanced && errors[`config.${f.key}`]);
  // A problem in a folded field must not stay hidden.
  useEffect(() => {
    if (advancedError) setAdvancedOpen(true);
  }, [advancedError, save.error]);

  const input = (group: 'config' | 'secrets', f: ChannelField) => {
    const values = group === 'config' ? config : secrets;
    const set = group === 'config' ? setConfig : setSecrets;
    const stored = group === 'secrets' ? hints[f.key] : undefined;
    // On edit a stored secret may be left empty (kept), so no secret input is required there.
    const required = Boolean(f.required) && !(group === 'secrets' && channel);
    const hint =
      group === 'secrets' && channel
        ? `${stored ? `Saved (${stored}). Leave empty to keep it as it is.` : 'Not set.'}${f.hint ? ` ${f.hint}` : ''}`
        : f.hint;
    return (
      <Field key={`${group}.${f.key}`} label={required ? `${f.label} (required)` : f.label} hint={hint} error={errors[`${group}.${f.key}`]}>
        {(p) =>
          f.kind === 'select' ? (
            <select {...p} value={values[f.key] ?? ''} onChange={(e) => set((v) => ({ ...v, [f.key]: e.target.value }))}>
              <option value="">Default</option>
              {f.options!.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              {...p}
              name={`${group}.${f.key}`}
              type={group === 'secrets' ? 'password' : 'text'}
              inputMode={f.kind === 'number' ? 'numeric' : undefined}
              autoComplete={group === 'secrets' ? 'new-password' : 'off'}
              spellCheck={false}
              placeholder={f.placeholder}
              value={values[f.key] ?? ''}
              required={required}
              onChange={(e) => set((v) => ({ ...v, [f.key]: e.target.value }))}
            />
          )
        }
      </Field>
    );
  };

  return (
    <form
      className="inline-form form"
      aria-labelledby={headingId}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3 id={headingId}>{channel ? `Edit ${channel.name}` : 'Add a channel'}</h3>
      <p className="muted">{spec.intro}</p>
      <div className="form-row">
        {!channel && (
          <Field label="Type">
            {(p) => (
              <select
                {...p}
                value={type}
                onChange={(e) => {
                  const next = e.target.value as Channel['type'];
                  setType(next);
                  setConfig(Object.fromEntries(CHANNEL_TYPES[next].config.map((f) => [f.key, ''])));
                  setSecrets({});
                  save.reset();
                }}
              >
                {Object.entries(CHANNEL_TYPES).map(([value, s]) => (
                  <option key={value} value={value}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Name (required)" hint="How campaigns and this page name it, e.g. “Support line”." error={errors.name}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />}
        </Field>
      </div>
      <fieldset>
        <legend>{spec.label} settings</legend>
        <div className="form-row">{spec.config.filter((f) => !f.advanced).map((f) => input('config', f))}</div>
      </fieldset>
      <fieldset>
        <legend>Credentials (stored encrypted, never shown again)</legend>
        <div className="form-row">{spec.secrets.map((f) => input('secrets', f))}</div>
      </fieldset>
      <details open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
        <summary>Advanced: rate, daily cap, API endpoint</summary>
        <div className="form-row">{spec.config.filter((f) => f.advanced).map((f) => input('config', f))}</div>
      </details>
      {save.error && <ErrorBanner error={save.error} />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : channel ? 'Save changes' : 'Add channel'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
