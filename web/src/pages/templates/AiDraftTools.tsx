import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Link } from 'react-router';
import { api, ApiError } from '../../api';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { notify } from '../../components/toast';
import { channelFields, draftOf, TemplateDraft } from './draft';
import { CHANNEL_LABELS, Template } from './types';

/** `POST /templates/draft` answers a template's channel fields (null where the channel has none) and the model. */
type AiDraftAnswer = Pick<Template, 'channel' | 'subject' | 'html' | 'text' | 'body' | 'whatsapp' | 'voice'> & { model: string };
type AiAction = 'rewrite' | 'shorten' | 'variant';

const ACTION_LABELS: Record<AiAction, string> = { rewrite: 'Rewrite', shorten: 'Shorten', variant: 'Variant B' };
const ACTION_DONE: Record<AiAction, string> = { rewrite: 'Rewritten', shorten: 'Shortened', variant: 'Variant B drafted' };

/** The editor's fields replaced by the AI's draft; name and library category stay. Nothing is saved. */
function applyDraft(d: TemplateDraft, answer: AiDraftAnswer): TemplateDraft {
  const next = draftOf({ ...answer, id: '', name: d.name, libraryCategory: d.libraryCategory || null, createdAt: '', updatedAt: '' });
  return { ...next, name: d.name, libraryCategory: d.libraryCategory };
}

/** The draft's channel fields without the nulls of other channels: the `source` of an action. */
function source(d: TemplateDraft) {
  return Object.fromEntries(Object.entries(channelFields(d)).filter(([, v]) => v !== null && v !== undefined));
}

function aiErrorText(e: unknown): React.ReactNode {
  if (e instanceof ApiError && e.code === 'ai_not_configured')
    return (
      <>
        No AI provider is set up yet: add one in <Link to="/settings">Settings</Link>.
      </>
    );
  return null;
}

/**
 * "Draft with AI" (goal, audience, tone for the editor's channel) and Rewrite / Shorten / Variant B of what the editor
 * holds, through the organization's AI provider. The answer fills the editor's fields; the person saves it (or not).
 */
export function AiDraftTools({ draft, update }: { draft: TemplateDraft; update: (change: (d: TemplateDraft) => TemplateDraft) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const [goal, setGoal] = useState('');
  const [audience, setAudience] = useState('');
  const [tone, setTone] = useState('');
  const [fields, setFields] = useState('first_name, company');

  const leadFields = () =>
    fields
      .split(',')
      .map((f) => f.trim())
      .filter((f) => /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(f));

  const create = useMutation({
    mutationFn: () =>
      api<AiDraftAnswer>('POST', '/templates/draft', {
        goal: goal.trim(),
        channel: draft.channel,
        ...(audience.trim() && { audience: audience.trim() }),
        ...(tone.trim() && { tone: tone.trim() }),
        fields: leadFields(),
      }),
    onSuccess: (answer) => {
      update((d) => applyDraft(d, answer));
      dialog.current?.close();
      notify.success(`Draft by ${answer.model} filled in: review it, then save`);
    },
  });
  const act = useMutation({
    mutationFn: (action: AiAction) =>
      api<AiDraftAnswer>('POST', '/templates/draft', {
        action,
        source: source(draft),
        ...(tone.trim() && { tone: tone.trim() }),
        fields: leadFields(),
      }),
    onSuccess: (answer, action) => {
      update((d) => applyDraft(d, answer));
      notify.success(`${ACTION_DONE[action]} by ${answer.model}: review it, then save`);
    },
    onError: (e) => notify.error(e, 'No draft'),
  });
  const busy = create.isPending || act.isPending;
  const hasContent = JSON.stringify(source(draft)) !== JSON.stringify({ channel: draft.channel });

  return (
    <div className="ai-draft-tools" role="group" aria-label="AI drafting">
      <button
        type="button"
        className="btn"
        disabled={busy}
        onClick={() => {
          create.reset();
          dialog.current?.showModal();
        }}
      >
        Draft with AI
      </button>
      {(['rewrite', 'shorten', 'variant'] as const).map((action) => (
        <button key={action} type="button" className="btn btn-ghost" disabled={busy || !hasContent} onClick={() => act.mutate(action)}>
          {act.isPending && act.variables === action ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]}
        </button>
      ))}
      {act.error && aiErrorText(act.error) ? <p className="field-error">{aiErrorText(act.error)}</p> : null}
      {createPortal(
        <dialog ref={dialog} className="dialog" aria-labelledby={headingId}>
          <form
            onSubmit={(e) => {
              // Not the editor's form: React bubbles a portal's events to its parents.
              e.preventDefault();
              e.stopPropagation();
              if (goal.trim()) create.mutate();
            }}
          >
            <h2 id={headingId}>Draft a {CHANNEL_LABELS[draft.channel]} template with AI</h2>
            <div className="dialog-body">
              <p>The draft replaces the editor’s {CHANNEL_LABELS[draft.channel]} fields. Nothing is saved until you save.</p>
              <Field label="Goal" hint="What should the message achieve?">
                {(a) => <textarea {...a} required maxLength={2000} rows={3} value={goal} onChange={(e) => setGoal(e.target.value)} />}
              </Field>
              <Field label="Audience">
                {(a) => <input {...a} maxLength={500} value={audience} onChange={(e) => setAudience(e.target.value)} />}
              </Field>
              <Field label="Tone" hint="e.g. friendly, concise">
                {(a) => <input {...a} maxLength={200} value={tone} onChange={(e) => setTone(e.target.value)} />}
              </Field>
              <Field label="Lead fields" hint="Comma-separated; the draft may use them as {{ lead.field }}.">
                {(a) => <input {...a} value={fields} onChange={(e) => setFields(e.target.value)} />}
              </Field>
              {create.error ? (
                aiErrorText(create.error) ? (
                  <p className="field-error">{aiErrorText(create.error)}</p>
                ) : (
                  <ErrorBanner error={create.error} />
                )
              ) : null}
            </div>
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={() => dialog.current?.close()}>
                Cancel
              </button>
              <button type="submit" className="btn btn-primary" disabled={create.isPending || !goal.trim()}>
                {create.isPending ? 'Drafting…' : 'Draft'}
              </button>
            </div>
          </form>
        </dialog>,
        document.body,
      )}
    </div>
  );
}
