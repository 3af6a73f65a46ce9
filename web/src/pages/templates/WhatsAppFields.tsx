import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api';
import { Field } from '../../components/Field';
import type { WhatsappTemplate } from '../whatsapp/types';
import { TemplateDraft, WHATSAPP_LISTS, whatsappDraftOf, type WhatsAppMediaFormat } from './draft';
import { FieldProblem, where } from './types';

type Update = (change: (d: TemplateDraft) => TemplateDraft) => void;
type Props = { draft: TemplateDraft; update: Update; problems: FieldProblem[] };

const of = (problems: FieldProblem[], field: string) => problems.filter((p) => p.field === field);
const line = (problems: FieldProblem[]) =>
  problems.map((p) => `${where(p) ? `${where(p)}: ` : ''}${p.message} (${p.code})`).join('; ') || null;

const MEDIA_FORMATS: Array<{ value: '' | WhatsAppMediaFormat; label: string }> = [
  { value: '', label: 'None (text or no header)' },
  { value: 'image', label: 'Image' },
  { value: 'video', label: 'Video' },
  { value: 'document', label: 'Document' },
];

/** `name (language)`: how Meta itself tells one template from its translations. */
const keyOf = (name: string, language: string) => `${name}\u0000${language}`;

/**
 * The approved templates synced from Meta, to fill the fields from one: name, language and a Liquid value
 * per placeholder (its sample-CSV column). Typing a name by hand stays possible before the first sync.
 */
function CatalogPicker({ draft, update }: Pick<Props, 'draft' | 'update'>) {
  const catalog = useQuery({
    queryKey: ['whatsapp-templates', 'approved-for-editor'],
    queryFn: () => api<{ items: WhatsappTemplate[] }>('GET', '/whatsapp/templates?status=APPROVED&limit=500'),
  });
  const items = catalog.data?.items ?? [];
  const current = keyOf(draft.whatsapp.name, draft.whatsapp.language);
  const known = items.some((t) => keyOf(t.name, t.language) === current);
  const pick = (key: string) => {
    const t = items.find((x) => keyOf(x.name, x.language) === key);
    if (t) update((d) => ({ ...d, whatsapp: whatsappDraftOf(t.suggestedSpec) }));
  };
  return (
    <Field
      label="Approved template"
      hint={
        catalog.isPending
          ? 'Loading the templates synced from Meta…'
          : items.length === 0
            ? 'No approved template synced yet: sync them on the WhatsApp templates page, or type the name below.'
            : 'Picking one fills the name, the language and one value per placeholder (its sample-CSV column).'
      }
      error={catalog.error ? 'The synced templates could not be loaded' : null}
    >
      {(a) => (
        <select {...a} value={known ? current : ''} onChange={(e) => pick(e.target.value)} disabled={items.length === 0}>
          <option value="">
            {known || !draft.whatsapp.name ? 'Choose a template…' : `${draft.whatsapp.name} (not in the synced catalog)`}
          </option>
          {items.map((t) => (
            <option key={t.id} value={keyOf(t.name, t.language)}>
              {t.name} ({t.language}, {t.category.toLowerCase()})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function MediaHeader({ draft, update, problems }: Props) {
  const media = draft.whatsapp.headerMedia;
  const set = (change: Partial<TemplateDraft['whatsapp']['headerMedia']>) =>
    update((d) => ({ ...d, whatsapp: { ...d.whatsapp, headerMedia: { ...d.whatsapp.headerMedia, ...change } } }));
  return (
    <fieldset className="param-list">
      <legend>Media header</legend>
      <div className="form-row">
        <Field label="Header media" hint="Only for templates Meta approved with an image, video or document header.">
          {(a) => (
            <select {...a} value={media.format} onChange={(e) => set({ format: e.target.value as '' | WhatsAppMediaFormat })}>
              {MEDIA_FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {media.format === 'document' && (
          <Field
            label="File name"
            hint="What the recipient sees, e.g. invoice.pdf."
            error={line(of(problems, 'whatsapp.headerMedia.filename'))}
          >
            {(a) => <input {...a} value={media.filename} onChange={(e) => set({ filename: e.target.value })} />}
          </Field>
        )}
      </div>
      {media.format && (
        <Field
          label="Media link (Liquid)"
          hint="Renders to a public https URL that Meta downloads the media from, e.g. {{ lead.header_image_url }}."
          error={line(of(problems, 'whatsapp.headerMedia.link'))}
        >
          {(a) => (
            <input {...a} className="mono" value={media.link} placeholder="https://…" onChange={(e) => set({ link: e.target.value })} />
          )}
        </Field>
      )}
    </fieldset>
  );
}

/** A WhatsApp template: which approved Meta template it sends, and the Liquid that fills each placeholder. */
export function WhatsAppFields({ draft, update, problems }: Props) {
  const w = draft.whatsapp;
  const set = (change: Partial<TemplateDraft['whatsapp']>) => update((d) => ({ ...d, whatsapp: { ...d.whatsapp, ...change } }));
  const lists = WHATSAPP_LISTS.filter(({ key }) => key !== 'headerParameters' || !w.headerMedia.format);
  return (
    <>
      <CatalogPicker draft={draft} update={update} />
      <div className="form-row">
        <Field
          label="Approved template name"
          hint={
            <>
              As in WhatsApp Manager: lowercase letters, digits and underscores.{' '}
              <Link to="/whatsapp/templates">Browse the synced templates</Link>
            </>
          }
          error={line(of(problems, 'whatsapp.name'))}
        >
          {(a) => <input {...a} value={w.name} onChange={(e) => set({ name: e.target.value })} />}
        </Field>
        <Field label="Language" hint="WhatsApp language code, e.g. en_US." error={line(of(problems, 'whatsapp.language'))}>
          {(a) => <input {...a} value={w.language} onChange={(e) => set({ language: e.target.value })} />}
        </Field>
      </div>
      <MediaHeader draft={draft} update={update} problems={problems} />
      {lists.map(({ key, label, one, placeholder }) => (
        <fieldset key={key} className="param-list">
          <legend>{label}</legend>
          {w[key].length === 0 && <p className="muted">None.</p>}
          {w[key].map((value, i) => {
            // A named template's body placeholder says what it is ({{first_name}}), not where it is.
            const named = key === 'parameters' ? w.parameterNames[i] : undefined;
            return (
              <div key={i} className="param-row">
                <Field
                  label={named ? `Body {{${named}}} (Liquid)` : `${one[0]!.toUpperCase()}${one.slice(1)} ${i + 1} (Liquid)`}
                  error={line(of(problems, `whatsapp.${key}[${i}]`))}
                >
                  {(a) => (
                    <input
                      {...a}
                      className="mono"
                      value={value}
                      placeholder={placeholder(i)}
                      onChange={(e) => set({ [key]: w[key].map((v, j) => (j === i ? e.target.value : v)) })}
                    />
                  )}
                </Field>
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  aria-label={`Remove ${one} ${i + 1}`}
                  onClick={() =>
                    set({
                      [key]: w[key].filter((_, j) => j !== i),
                      ...(key === 'parameters' ? { parameterNames: w.parameterNames.filter((_, j) => j !== i) } : {}),
                    })
                  }
                >
                  Remove
                </button>
              </div>
            );
          })}
          {/* A named template's placeholders come from Meta: adding one by hand would have no name. */}
          {!(key === 'parameters' && w.parameterNames.length > 0) && (
            <button type="button" className="btn btn-small" onClick={() => set({ [key]: [...w[key], ''] })}>
              Add {one}
            </button>
          )}
        </fieldset>
      ))}
    </>
  );
}
