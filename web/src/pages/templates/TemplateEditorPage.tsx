import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { LIBRARY_CATEGORIES, LIBRARY_CATEGORY_LABELS } from '@cadence/contracts/src/template-library';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { notify } from '../../components/toast';
import { formatDateTime } from '../../format';
import { AiDraftTools } from './AiDraftTools';
import { ChannelFields } from './ChannelFields';
import { channelFields, draftOf, emptyDraft, TemplateDraft } from './draft';
import { PreviewSource, PreviewTarget } from './PreviewSource';
import { TemplatePreview } from './TemplatePreview';
import { useDebounced } from './useDebounced';
import { CHANNEL_LABELS, fieldProblems, PreviewAnswer, Template, TEMPLATE_CHANNELS, TemplateChannel } from './types';
import './templates.css';

/** /templates/new and /templates/:id: one editor, with a live preview rendered by the backend. */
export function TemplateEditorPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const template = useQuery({ queryKey: ['templates', id], queryFn: () => api<Template>('GET', `/templates/${id}`), enabled: !!id });
  if (!id) {
    const channel = TEMPLATE_CHANNELS.find((c) => c === params.get('channel')) ?? 'sms';
    return <Editor key="new" initial={emptyDraft(channel)} />;
  }
  if (template.error) return <ErrorBanner error={template.error} />;
  if (!template.data) return <Loading what="the template" />;
  return <Editor key={`${template.data.id}:${template.data.updatedAt}`} initial={draftOf(template.data)} saved={template.data} />;
}

const body = (draft: TemplateDraft) => ({ name: draft.name, ...channelFields(draft), libraryCategory: draft.libraryCategory || null });

function Editor({ initial, saved }: { initial: TemplateDraft; saved?: Template }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const [target, setTarget] = useState<PreviewTarget>({ kind: 'sample' });

  const save = useMutation({
    mutationFn: () =>
      saved ? api<Template>('PATCH', `/templates/${saved.id}`, body(draft)) : api<Template>('POST', '/templates', body(draft)),
    onSuccess: async (t) => {
      notify.success(`Template “${t.name}” saved`);
      await queryClient.invalidateQueries({ queryKey: ['templates'] });
      if (!saved) void navigate(`/templates/${t.id}`, { replace: true });
    },
  });
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/templates/${saved!.id}`),
    onSuccess: async () => {
      notify.success(`Template “${saved!.name}” deleted`);
      await queryClient.invalidateQueries({ queryKey: ['templates'] });
      void navigate('/templates');
    },
    onError: (e) => notify.error(e, 'The template was not deleted'),
  });
  const update = (change: (d: TemplateDraft) => TemplateDraft) => {
    setDraft(change);
    if (save.error) save.reset();
  };

  // The stored template previews through its own endpoint; unsaved text (new, or edited) through the draft endpoint.
  const fields = useMemo(() => channelFields(draft), [draft]);
  const dirtyFields = JSON.stringify(fields) !== JSON.stringify(channelFields(initial));
  const request = useDebounced({ fields, target, stored: saved && !dirtyFields ? saved.id : undefined }, 350);
  const ready = request.target.kind === 'sample' || request.target.leadId !== '';
  const preview = useQuery({
    queryKey: ['template-preview', request],
    queryFn: () => {
      const who =
        request.target.kind === 'lead' ? { leadId: request.target.leadId } : request.target.lead ? { lead: request.target.lead } : {};
      return request.stored
        ? api<PreviewAnswer>('POST', `/templates/${request.stored}/preview`, who)
        : api<PreviewAnswer>('POST', '/templates/preview', { ...request.fields, ...who });
    },
    enabled: ready,
    retry: false,
    placeholderData: keepPreviousData,
  });

  const problems = fieldProblems(save.error ?? preview.error);
  const changed = dirtyFields || draft.name !== initial.name || draft.libraryCategory !== initial.libraryCategory;
  const title = saved ? saved.name : 'New template';

  return (
    <div className="page page-wide">
      <PageHeader
        title={title}
        back={
          <Link className="back-link" to="/templates">
            ← Templates
          </Link>
        }
        subtitle={
          saved
            ? `${CHANNEL_LABELS[saved.channel]} · updated ${formatDateTime(saved.updatedAt)}`
            : 'Write it in Liquid; the preview renders as you type.'
        }
        actions={
          saved && (
            <ConfirmButton
              danger
              title={`Delete “${saved.name}”?`}
              message="Campaign steps that use it can no longer be launched. This cannot be undone."
              confirmLabel="Delete template"
              onConfirm={() => remove.mutate()}
              disabled={remove.isPending}
            >
              Delete
            </ConfirmButton>
          )
        }
      />
      {save.error ? <ErrorBanner error={save.error} onDismiss={() => save.reset()} /> : null}
      <div className="template-layout">
        <form
          className="form card"
          aria-label="Template"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <div className="form-row">
            <Field label="Name">
              {(a) => (
                <input
                  {...a}
                  required
                  maxLength={200}
                  value={draft.name}
                  onChange={(e) => update((d) => ({ ...d, name: e.target.value }))}
                />
              )}
            </Field>
            <Field label="Channel" hint={saved ? 'A saved template keeps its channel.' : undefined}>
              {(a) => (
                <select
                  {...a}
                  value={draft.channel}
                  disabled={!!saved}
                  onChange={(e) =>
                    update((d) => ({ ...emptyDraft(e.target.value as TemplateChannel), name: d.name, libraryCategory: d.libraryCategory }))
                  }
                >
                  {TEMPLATE_CHANNELS.map((c) => (
                    <option key={c} value={c}>
                      {CHANNEL_LABELS[c]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <AiDraftTools draft={draft} update={update} />
          <ChannelFields draft={draft} update={update} problems={problems} />
          <Field label="Template library" hint="In the library, the team can start new templates from a copy of this one.">
            {(a) => (
              <select
                {...a}
                value={draft.libraryCategory}
                onChange={(e) => update((d) => ({ ...d, libraryCategory: e.target.value as TemplateDraft['libraryCategory'] }))}
              >
                <option value="">Not in the library</option>
                {LIBRARY_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    In the library: {LIBRARY_CATEGORY_LABELS[c]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : saved ? 'Save changes' : 'Create template'}
            </button>
            {changed && <span className="muted">Unsaved changes</span>}
          </div>
        </form>
        <div className="card template-side">
          <PreviewSource target={target} onChange={setTarget} usedLead={preview.data?.lead} />
          {ready ? (
            <TemplatePreview result={preview.data?.result} error={preview.error} busy={preview.isFetching} />
          ) : (
            <p className="muted">Choose a lead to preview the message for them.</p>
          )}
        </div>
      </div>
    </div>
  );
}
