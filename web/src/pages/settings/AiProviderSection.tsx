import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, ApiError } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field } from '../../components/Field';
import { notify } from '../../components/toast';

/** `GET /settings/ai`: the key itself is never answered, only whether one is stored. */
interface AiSettings {
  configured: boolean;
  baseUrl: string | null;
  model: string | null;
  hasKey: boolean;
  updatedAt: string | null;
}

/** The organization's AI provider for template drafting: an OpenAI-compatible API (base URL, model, write-only key). */
export function AiProviderSection() {
  const headingId = useId();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['settings-ai'], queryFn: () => api<AiSettings>('GET', '/settings/ai') });
  // What the person typed; until then, the saved values.
  const [baseUrl, setBaseUrl] = useState<string | null>(null);
  const [model, setModel] = useState<string | null>(null);
  const [apiKey, setApiKey] = useState('');
  const current = settings.data;
  const shownUrl = baseUrl ?? current?.baseUrl ?? 'https://api.openai.com/v1';
  const shownModel = model ?? current?.model ?? '';

  const save = useMutation({
    mutationFn: () =>
      api<AiSettings>('PUT', '/settings/ai', {
        baseUrl: shownUrl.trim(),
        model: shownModel.trim(),
        ...(apiKey.trim() && { apiKey: apiKey.trim() }),
      }),
    onSuccess: (s) => {
      notify.success(`AI provider saved (${s.model})`);
      setBaseUrl(null);
      setModel(null);
      setApiKey('');
      queryClient.setQueryData(['settings-ai'], s);
    },
    onError: (e) => notify.error(e, 'AI provider not saved'),
  });
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', '/settings/ai'),
    onSuccess: async () => {
      notify.success('AI provider removed');
      setBaseUrl(null);
      setModel(null);
      setApiKey('');
      await queryClient.invalidateQueries({ queryKey: ['settings-ai'] });
    },
    onError: (e) => notify.error(e, 'AI provider not removed'),
  });
  const fieldError = (field: string) =>
    save.error instanceof ApiError &&
    (save.error.code === 'ai_base_url_refused' ? field === 'baseUrl' : field === 'apiKey' && /apiKey/.test(save.error.message))
      ? save.error.message
      : null;
  const needsKey = !current?.hasKey && apiKey.trim() === '';

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>AI provider</h2>
      <p className="muted">
        Drafts templates in the editor (“Draft with AI”, Rewrite, Shorten, Variant B) with an OpenAI-compatible chat completions API.
        {current?.configured ? ' Set up.' : ' Not set up yet.'}
      </p>
      <form
        className="form"
        aria-label="AI provider"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field
          label="Base URL"
          hint="Requests go to {base URL}/chat/completions, e.g. https://api.openai.com/v1."
          error={fieldError('baseUrl')}
        >
          {(a) => <input {...a} type="url" required maxLength={500} value={shownUrl} onChange={(e) => setBaseUrl(e.target.value)} />}
        </Field>
        <Field label="Model" hint="e.g. gpt-4o-mini">
          {(a) => <input {...a} required maxLength={200} value={shownModel} onChange={(e) => setModel(e.target.value)} />}
        </Field>
        <Field
          label="API key"
          hint={
            current?.hasKey
              ? 'A key is stored (encrypted, never shown). Type a new one to replace it; leave empty to keep it.'
              : 'Stored encrypted; never shown again.'
          }
          error={fieldError('apiKey')}
        >
          {(a) => (
            <input
              {...a}
              type="password"
              autoComplete="off"
              maxLength={1000}
              placeholder={current?.hasKey ? '•••••••• (stored)' : ''}
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending || needsKey || !shownModel.trim()}>
            {save.isPending ? 'Saving…' : 'Save AI provider'}
          </button>
          {current?.configured && (
            <ConfirmButton
              danger
              title="Remove the AI provider?"
              message="Its key is deleted. Drafting with AI stops until a provider is set up again."
              confirmLabel="Remove provider"
              onConfirm={() => remove.mutate()}
              disabled={remove.isPending}
            >
              Remove
            </ConfirmButton>
          )}
        </div>
      </form>
    </section>
  );
}
